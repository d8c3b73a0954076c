# The response actions from PowerShell (docs/actions.md): -Action takes the engine's names and their
# PascalCase spelling (CriticalScan), the isolation's and the critical-areas scan's options go into
# the task file (New-IocTaskDocument) for Invoke-IocScan and for Register-IocScanTask (systemd mocked:
# nothing touches the host), and the real engine reads those task files: a bad duration is its
# usage error before anything runs, a scan with -Action CriticalScan sweeps the critical areas.
# Nothing here isolates this machine: the isolation itself is tested in network namespaces
# (tests/isolation_action_lab_test.ts).
BeforeDiscovery {
    $script:RepoRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $script:EngineSkip = $null
    $script:Bundle = Join-Path ([System.IO.Path]::GetTempPath()) ("iocscan-pester-ra-{0}/iocscan.js" -f [guid]::NewGuid().ToString('N'))
    $deno = Get-Command deno -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if (-not $IsLinux) {
        $EngineSkip = 'the real-engine response-action tests run on Linux'
    } elseif (-not $deno) {
        $EngineSkip = 'deno is not on PATH'
    } else {
        $output = & $deno.Source bundle --quiet --platform deno --config (Join-Path $RepoRoot 'deno.json') -o $Bundle (Join-Path $RepoRoot 'cli/main.ts') 2>&1
        if ($LASTEXITCODE -ne 0 -or -not (Test-Path $Bundle)) { $EngineSkip = "the engine does not bundle: $(($output | Out-String).Trim())" }
    }
    if ($EngineSkip) { Write-Warning "ResponseActions.Tests.ps1: real-engine tests skipped: $EngineSkip" }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1') -Force
}

Describe 'Response actions in task documents' {
    It 'takes the engine''s action names in any case and in PascalCase, in the engine''s spelling' {
        InModuleScope IocScan {
            (Get-IocAction).Name | Should -Be @('critical-scan', 'quarantine', 'isolate')
            $document = New-IocTaskDocument -IocPath /srv/iocs -Action CriticalScan, QUARANTINE, isolate
            $document.actions | Should -Be @('critical-scan', 'quarantine', 'isolate')
            Resolve-IocActionName -Name 'Critical-Scan' | Should -Be 'critical-scan'
            Resolve-IocActionName -Name 'Nuke' | Should -BeNullOrEmpty
        }
    }

    It 'spells -IsolationDuration as the engine reads it: a TimeSpan, a colon string, or the engine''s own text' {
        InModuleScope IocScan {
            (New-IocTaskDocument -IocPath /srv/iocs -IsolationDuration (New-TimeSpan -Minutes 90)).isolationDuration | Should -Be '90m'
            (New-IocTaskDocument -IocPath /srv/iocs -IsolationDuration '08:00:00').isolationDuration | Should -Be '8h'
            (New-IocTaskDocument -IocPath /srv/iocs -IsolationDuration '1h30m').isolationDuration | Should -Be '1h30m'
            { New-IocTaskDocument -IocPath /srv/iocs -IsolationDuration (New-TimeSpan -Seconds 30) } | Should -Throw -ErrorId 'IocScan.InvalidDuration*'
        }
    }

    It 'refuses an unknown action and a malformed allow-list entry before anything runs' {
        { Invoke-IocScan -IocPath /srv/iocs -Action Nuke } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        { Invoke-IocScan -IocPath /srv/iocs -Action Isolate -IsolationAllow '--db=x' } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        { Register-IocScanTask -Name T -IocPath /srv/iocs -AtStartup -Antivirus norton } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }
}

Describe 'Register-IocScanTask -Action (systemd)' {
    BeforeEach {
        $script:Saved = Save-IocTestEnvironment
        $script:Case = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $env:IOCSCAN_TASK_DIR = Join-Path $Case 'var/lib/iocscan/tasks'
        $env:IOCSCAN_SYSTEMD_DIR = Join-Path $Case 'etc/systemd/system'
        $script:Engine = Join-Path $Case 'opt/iocscan/bin/iocscan'
        New-Item -ItemType Directory -Path (Split-Path $Engine) -Force | Out-Null
        Set-Content -Path $Engine -Value 'engine'
        $env:IOCSCAN_ENGINE = $Engine
        Mock Test-IocWindows -ModuleName IocScan { $false }
        Mock Test-IocRoot -ModuleName IocScan { $true }
        Mock Invoke-IocSystemctl -ModuleName IocScan { }
        # A host with systemd (this test machine has none: Register-IocScanTask would stop there).
        Mock Test-IocSystemd -ModuleName IocScan { $true }
    }
    AfterEach {
        Restore-IocTestEnvironment $Saved
    }

    It 'writes the actions and their options into the task file' {
        Push-Location $Case
        try {
            Register-IocScanTask -Name Respond -IocPath /srv/iocs -Preset important-areas -Daily -At '02:00' `
                -Action CriticalScan, Quarantine, Isolate -QuarantinePath 'q' -MaxActions 5 `
                -IsolationDuration (New-TimeSpan -Hours 4) -IsolationAllow 'mgmt.contoso.com:443', '10.0.0.0/8' `
                -IsolationProbe '192.0.2.1:443' -IsolationReason 'nightly response' -Antivirus clamav -ClamavDatabase 'sigs' | Out-Null
        } finally { Pop-Location }
        $task = Get-Content -Raw (Join-Path $env:IOCSCAN_TASK_DIR 'Respond.json') | ConvertFrom-Json
        $task.actions | Should -Be @('critical-scan', 'quarantine', 'isolate')
        $task.quarantineDir | Should -Be (Join-Path $Case 'q')
        $task.maxActions | Should -Be 5
        $task.isolationDuration | Should -Be '4h'
        $task.isolationAllow | Should -Be @('mgmt.contoso.com:443', '10.0.0.0/8')
        $task.isolationProbe | Should -Be '192.0.2.1:443'
        $task.isolationReason | Should -Be 'nightly response'
        $task.antivirus | Should -Be 'clamav'
        $task.clamavDatabase | Should -Be (Join-Path $Case 'sigs')
        $task.PSObject.Properties.Name | Should -Not -Contain 'whatIf'
    }

    It 'writes no action key without -Action' {
        Register-IocScanTask -Name Plain -IocPath /srv/iocs -AtStartup | Out-Null
        $task = Get-Content -Raw (Join-Path $env:IOCSCAN_TASK_DIR 'Plain.json') | ConvertFrom-Json
        $task.PSObject.Properties.Name | Should -Not -Contain 'actions'
        $task.PSObject.Properties.Name | Should -Not -Contain 'isolationDuration'
    }
}

Describe 'Response actions with the real engine' -Skip:($null -ne $EngineSkip) -ForEach @(@{ Bundle = $Bundle; RepoRoot = $RepoRoot }) {
    BeforeAll {
        $script:Saved = Save-IocTestEnvironment
        $env:IOCSCAN_ENGINE = $Bundle
        $script:Tree = Join-Path $TestDrive 'tree'
        New-Item -ItemType Directory -Path $Tree -Force | Out-Null
        [System.IO.File]::WriteAllText((Join-Path $Tree 'evil-one.bin'), 'planted')
        $script:Iocs = Join-Path $TestDrive 'evil.ioc'
        [System.IO.File]::WriteAllText($Iocs, @"
<?xml version="1.0" encoding="utf-8"?>
<ioc id="55555555-5555-4555-8555-555555555555" last-modified="2026-12-07T00:00:00" xmlns="http://schemas.mandiant.com/2010/ioc">
  <short_description>Planted evil</short_description>
  <definition>
    <Indicator operator="OR" id="r-root">
      <IndicatorItem id="r-item" condition="contains">
        <Context document="FileItem" search="FileItem/FileName" type="mir" />
        <Content type="string">evil-</Content>
      </IndicatorItem>
    </Indicator>
  </definition>
</ioc>
"@)
        $script:Database = Join-Path $TestDrive 'results.db'
    }
    AfterAll {
        Restore-IocTestEnvironment $Saved
        Remove-Item -LiteralPath (Split-Path $Bundle) -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'a bad -IsolationDuration is the engine''s usage error, before anything runs (no database)' {
        { Invoke-IocScan -IocPath $Iocs -Path $Tree -DatabasePath $Database -Action Isolate -IsolationDuration '10000h' `
                -WarningAction SilentlyContinue -ErrorAction Stop -Confirm:$false } | Should -Throw '*9,999 hours*'
        Test-Path -LiteralPath $Database | Should -BeFalse
    }

    It 'the engine reads the task document Register-IocScanTask writes (New-IocTaskDocument): a bad isolationDuration is exit code 2' {
        $definition = Join-Path $TestDrive 'task.json'
        InModuleScope IocScan -Parameters @{ Definition = $definition; Iocs = $Iocs; Tree = $Tree } {
            param($Definition, $Iocs, $Tree)
            $document = New-IocTaskDocument -IocPath $Iocs -Path $Tree -Action Isolate -IsolationDuration 'forever'
            Set-Content -LiteralPath $Definition -Value ($document | ConvertTo-Json -Depth 5)
        }
        Push-Location $RepoRoot
        try { $output = & deno run -q -P=engine cli/main.ts scan --task $definition --json 2>&1 } finally { Pop-Location }
        $LASTEXITCODE | Should -Be 2
        ($output | Out-String) | Should -Match 'isolationDuration'
    }

    It 'Invoke-IocScan -Action CriticalScan detects in the scope and sweeps the critical areas in the same run' {
        $detections = @(Invoke-IocScan -IocPath $Iocs -Path $Tree -DatabasePath $Database -Action CriticalScan -Antivirus none `
                -WarningAction SilentlyContinue -ErrorAction Stop -Confirm:$false)
        $detections.Count | Should -Be 1
        $detections[0].IocId | Should -Be '55555555-5555-4555-8555-555555555555'
        # One file in the scope; the critical areas (process images and modules…) add the rest.
        $run = Get-IocScanResult -DatabasePath $Database -RunId $detections[0].RunId -NoDetection
        $run.Counts.objects | Should -BeGreaterThan 10
    }
}
