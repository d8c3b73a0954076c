# Names from IOC files, evidence and stores reach the PowerShell host only escaped, as in the
# engine's human output (report/terminal_text.ts): the table views of the module's objects, and
# the warnings, errors, verbose lines and progress made from engine events. The objects keep the
# exact values.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1') -Force

    $script:Esc = [string][char]0x1b
    $script:Rlo = [string][char]0x202e
    $script:Bel = [string][char]0x07
    # Any C0/C1 control other than the newlines between lines of output, or a bidi control.
    $script:Unsafe = '[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]'
}

Describe 'ConvertTo-IocDisplayText' {
    It 'spells controls as the engine does: ASCII as \xHH, the others as \u{HHHH}' {
        InModuleScope IocScan -Parameters @{ Esc = $Esc; Rlo = $Rlo } {
            param($Esc, $Rlo)
            ConvertTo-IocDisplayText ("a${Esc}[31mb`nc$Rlo") | Should -BeExactly 'a\x1b[31mb\x0ac\u{202e}'
            ConvertTo-IocDisplayText ("tab`there" + [char]0x85 + [char]0x7f) | Should -BeExactly 'tab\x09here\u{0085}\x7f'
            ConvertTo-IocDisplayText 'C:\plain\name.exe' | Should -BeExactly 'C:\plain\name.exe'
            ConvertTo-IocDisplayText $null | Should -BeExactly ''
        }
    }
}

Describe 'The table views of the module objects' {
    It 'show names with escape sequences, newlines and bidi overrides escaped, keeping the objects exact' {
        $name = "evil${Esc}[2J${Esc}[31mRED$Bel"
        $detection = [pscustomobject]@{
            PSTypeName = 'IocScan.Detection'; Timestamp = '2026-12-07'; RunId = 1
            IocName = $name; IocId = "id`nFORGED"; Objects = @("/tmp/a${Esc}]0;title$Bel", "b${Rlo}gnp.exe")
        }
        $run = [pscustomobject]@{
            PSTypeName = 'IocScan.Run'; Id = 1; TaskName = "t${Esc}[2J"; Host = "h${Rlo}x"; Started = '2026'; Status = 'completed'; DetectionCount = 0
        }
        $indicator = [pscustomobject]@{
            PSTypeName = 'IocScan.Indicator'; Name = $name; Id = "i${Esc}[1A"; Items = 1; Evaluable = 1; CanFire = $true; Unsupported = @("X${Esc}[0m")
        }
        $evidence = [pscustomobject]@{ PSTypeName = 'IocScan.Evidence'; Document = "FileItem$Esc"; Indicator = "i$Rlo"; Object = "/x${Esc}[2J" }
        $item = [pscustomobject]@{
            PSTypeName = 'IocScan.EvidenceItem'; Search = "s$Esc"; Condition = 'is'; Expected = "e${Esc}[2J"; Observed = @("o${Esc}[2J")
        }
        foreach ($object in $detection, $run, $indicator, $evidence, $item) {
            $shown = $object | Format-Table -AutoSize | Out-String -Width 400
            $shown | Should -Not -Match $Unsafe -Because "$($object.PSObject.TypeNames[0]) shows escaped text"
            $shown | Should -Match '\\x1b|\\u\{202e\}'
        }
        $detection.IocName | Should -BeExactly $name
    }
}

Describe 'Engine events on the PowerShell streams' {
    BeforeEach {
        Mock Invoke-IocEngine -ModuleName IocScan {
            New-EngineOutput -ExitCode 3 -Lines @(
                ('{"type":"warning","code":"w","message":"bad \u001b[2J name","file":"/e/a\u001b]0;x\u0007.evtx","place":"p\u202e"}')
                ('{"type":"rejected","file":"/iocs/x\u001b[31m.ioc","error":"nope\nFORGED"}')
                ('{"type":"skipped","collector":"file","object":"/t/f\u001b[2J","reason":"special-file","detail":"d\u001b[0m"}')
                ('{"type":"not-evaluated","ioc":{"id":"i\u001b[1A"},"itemId":"x\u202e","search":"FileItem/FileName","reason":"no-source"}')
                '{"type":"summary","files":1}'
            ) -StandardError "iocscan indicators: bad${Esc}[2J"
        }
    }

    It 'writes warnings, errors and verbose lines with the names escaped' {
        $warnings = $null; $errors = $null
        $verbose = Get-IocIndicator -Path $TestDrive -WarningVariable warnings -ErrorVariable errors -ErrorAction SilentlyContinue -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        @($warnings).Count | Should -BeGreaterThan 0
        @($errors).Count | Should -BeGreaterThan 0
        foreach ($text in @($warnings | ForEach-Object { $_.Message }) + @($errors | ForEach-Object { $_.Exception.Message }) + @($verbose | ForEach-Object { $_.Message })) {
            $text | Should -Not -Match $Unsafe
        }
        ($warnings | ForEach-Object { $_.Message }) -join ' ' | Should -Match ([regex]::Escape('bad \x1b[2J name'))
        ($errors | ForEach-Object { $_.Exception.Message }) -join ' ' | Should -Match ([regex]::Escape('x\x1b[31m.ioc'))
        ($errors | ForEach-Object { $_.TargetObject }) | Should -Contain "/iocs/x${Esc}[31m.ioc"
    }
}
