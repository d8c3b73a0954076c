BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1') -Force

    # A detection on an image's file and one on an event: evidence says where each was read.
    $script:ImageEvents = @(
        '{"type":"detection","runId":7,"ioc":{"id":"img","name":"Image hits","file":"/iocs/img.ioc","version":"1.0"},"evidence":[{"document":"FileItem","object":"C:\\Windows\\Temp\\x.exe","source":"/mnt/image/Windows/Temp/x.exe","indicator":"ind-1","items":[]},{"document":"EventLogItem","object":"Security#42","source":"/mnt/image/Windows/System32/winevt/Logs/Security.evtx","time":"2026-11-30T08:15:00.1234567Z","computer":"WS01","indicator":"ind-2","items":[]}]}'
        '{"type":"summary","runId":7,"detections":1}'
    )
}

Describe 'Invoke-IocScan on offline evidence' {
    BeforeEach {
        $script:Captured = @{}
        Mock Invoke-IocEngine -ModuleName IocScan {
            $index = [array]::IndexOf($Argument, '--task')
            $script:Captured.Task = Get-Content -Raw -LiteralPath $Argument[$index + 1] | ConvertFrom-Json
            New-EngineOutput -Lines $ImageEvents -ExitCode 1
        }
    }

    It 'gives each evidence object its Source, Time and Computer' {
        $detection = @(Invoke-IocScan -IocPath /iocs -Evidence /mnt/image)[0]
        $detection.Objects | Should -Be @('C:\Windows\Temp\x.exe', 'Security#42')
        $file, $event = $detection.Evidence
        $file.Source | Should -Be '/mnt/image/Windows/Temp/x.exe'
        $file.Time | Should -BeNullOrEmpty
        $file.Computer | Should -BeNullOrEmpty
        $event.Source | Should -Be '/mnt/image/Windows/System32/winevt/Logs/Security.evtx'
        $event.Time | Should -BeOfType [datetime]
        $event.Time.ToUniversalTime() | Should -Be ([datetime]::new(2026, 11, 30, 8, 15, 0, [System.DateTimeKind]::Utc).AddTicks(1234567))
        $event.Computer | Should -Be 'WS01'
    }

    It 'writes -RootDrive to the task file as X:' {
        Invoke-IocScan -IocPath /iocs -Evidence /mnt/image -RootDrive e | Out-Null
        $Captured.Task.rootDrive | Should -Be 'E:'
    }

    It 'refuses an empty -Evidence rather than scanning this machine instead' {
        # A case's file list that came out empty (Get-ChildItem matched nothing) names no evidence;
        # without the key the engine would scan the analyst's own machine with every permission.
        { Invoke-IocScan -IocPath /iocs -Evidence @() } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Invoke-IocScan'
        { Invoke-IocScan -IocPath /iocs -Evidence '' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Invoke-IocScan'
        { Register-IocScanTask -Name Case -IocPath /iocs -Evidence @() -Daily -At '02:00' -WhatIf } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,Register-IocScanTask'
        Should -Invoke Invoke-IocEngine -ModuleName IocScan -Times 0 -Exactly
    }

    It 'refuses a -RootDrive that is not one drive letter' {
        { Invoke-IocScan -IocPath /iocs -Evidence /mnt/image -RootDrive EF } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Invoke-IocScan'
    }
}
