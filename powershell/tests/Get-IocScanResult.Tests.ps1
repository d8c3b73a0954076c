BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1') -Force

    $script:RunEvents = @{
        '7' = '{"type":"run","id":7,"taskName":"DailyScan","host":"ws01","user":"SYSTEM","started":"2026-11-27T02:00:00.000Z","finished":"2026-11-27T02:05:00.000Z","status":"completed","counts":{"detections":2,"objects":5000}}'
        '8' = '{"type":"run","id":8,"taskName":null,"host":"ws01","user":"admin","started":"2026-11-28T09:00:00.000Z","finished":"2026-11-28T09:01:00.000Z","status":"completed","counts":{"detections":0}}'
    }
    $script:DetectionEvents = @(
        '{"type":"detection","runId":7,"ioc":{"id":"aaa","sha256":"aa11","name":"Dropper","file":"/iocs/a.ioc","version":"1.1"},"evidence":[{"document":"FileItem","object":"/srv/evil.exe","indicator":"i1","items":[]}]}'
        '{"type":"detection","runId":7,"ioc":{"id":"aaa","sha256":"bb22","name":"Run key","file":"/iocs/b.ioc","version":"1.1"},"evidence":[{"document":"RegistryItem","object":"HKLM\\SOFTWARE\\Run\\x","indicator":"i2","items":[]}]}'
    )
}

Describe 'Get-IocScanResult' {
    BeforeEach {
        $script:Database = Join-Path $TestDrive 'results.db'
        Set-Content -Path $Database -Value 'sqlite'
        $script:Calls = New-Object System.Collections.Generic.List[object]
        Mock Invoke-IocEngine -ModuleName IocScan {
            $script:Calls.Add($Argument)
            $runIndex = [array]::IndexOf($Argument, '--run')
            if ($runIndex -ge 0) {
                $id = $Argument[$runIndex + 1]
                if (-not $RunEvents.ContainsKey($id)) { return New-EngineOutput -ExitCode 2 -Lines @() -StandardError "iocscan results: there is no run $id in /x.db" }
                $lines = @($RunEvents[$id])
                if ($id -eq '7') { $lines += $DetectionEvents }
                return New-EngineOutput -ExitCode 0 -Lines ($lines + '{"type":"summary"}')
            }
            New-EngineOutput -ExitCode 0 -Lines @($RunEvents['7'], $RunEvents['8'], '{"type":"summary","runs":2}')
        }
    }

    It 'returns IocScan.Run objects with their IocScan.Detection objects' {
        $runs = @(Get-IocScanResult -DatabasePath $Database)
        $runs.Count | Should -Be 2
        $runs[0].PSObject.TypeNames[0] | Should -Be 'IocScan.Run'
        $runs[0].Id | Should -Be 7
        $runs[0].TaskName | Should -Be 'DailyScan'
        $runs[0].Host | Should -Be 'ws01'
        $runs[0].Started.Kind | Should -Be 'Local'
        $runs[0].Started.ToUniversalTime() | Should -Be ([datetime]::new(2026, 11, 27, 2, 0, 0, [System.DateTimeKind]::Utc))
        $runs[0].Counts.objects | Should -Be 5000
        $runs[0].DetectionCount | Should -Be 2
        $runs[0].Detections[0].PSObject.TypeNames[0] | Should -Be 'IocScan.Detection'
        # Two IOCs of one id, told apart by the hash of their files.
        $runs[0].Detections.IocId | Should -Be @('aaa', 'aaa')
        $runs[0].Detections.IocSha256 | Should -Be @('aa11', 'bb22')
        $runs[0].Detections[1].Objects | Should -Be @('HKLM\SOFTWARE\Run\x')
        $runs[0].Detections[0].Timestamp | Should -Be $runs[0].Finished
        $runs[1].DetectionCount | Should -Be 0
        $runs[1].TaskName | Should -BeNullOrEmpty
    }

    It 'uses the engine default database when -DatabasePath is not given, and keeps postgres URLs' {
        Get-IocScanResult | Out-Null
        $Calls[0] | Should -Be @('results', '--json')
        $Calls[1] | Should -Be @('results', '--run', '7', '--json')
        $Calls.Clear()
        Get-IocScanResult -DatabasePath 'postgres://scanner@db01/iocscan' -RunId 8 | Out-Null
        $Calls[0] | Should -Be @('results', '--db', 'postgres://scanner@db01/iocscan', '--run', '8', '--json')
    }

    It 'passes -Since and -TaskName to `results` and reads each run with --run' {
        Get-IocScanResult -DatabasePath $Database -TaskName DailyScan -Since ([datetime]::new(2026, 11, 20, 0, 0, 0, [System.DateTimeKind]::Utc)) | Out-Null
        $Calls[0] | Should -Be @('results', '--db', $Database, '--since', '2026-11-20T00:00:00.000Z', '--task', 'DailyScan', '--json')
        $Calls[1] | Should -Be @('results', '--db', $Database, '--run', '7', '--json')
    }

    It 'reads a -Since without a zone as UTC, like the engine, whatever the local time zone' {
        $module = Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1'
        $script = "Import-Module '$module'; & (Get-Module IocScan) { " +
            "ConvertTo-IocIsoTime ([datetime]'2026-11-01T10:00'); " +
            "ConvertTo-IocIsoTime ([datetime]::new(2026, 11, 1, 10, 0, 0, [System.DateTimeKind]::Utc)) }"
        $saved = $env:TZ
        try {
            $env:TZ = 'America/New_York'
            $powershell = & (Get-Module IocScan) { Get-IocPowerShellPath }
            $converted = @(& $powershell -NoProfile -NonInteractive -Command $script)
        } finally {
            $env:TZ = $saved
        }
        $converted | Should -Be @('2026-11-01T10:00:00.000Z', '2026-11-01T10:00:00.000Z')
        Get-IocScanResult -DatabasePath $Database -Since '2026-11-01T10:00' -NoDetection | Out-Null
        $Calls[0] | Should -Be @('results', '--db', $Database, '--since', '2026-11-01T10:00:00.000Z', '--json')
    }

    It 'lists runs with one engine call and no detections with -NoDetection' {
        $runs = @(Get-IocScanResult -DatabasePath $Database -NoDetection)
        $Calls.Count | Should -Be 1
        $runs.Id | Should -Be @(7, 8)
        $runs[0].DetectionCount | Should -Be 2
        $runs[0].Detections | Should -BeNullOrEmpty
    }

    It 'binds RunId from piped detections and reads each run once' {
        $detections = @(
            [pscustomobject]@{ PSTypeName = 'IocScan.Detection'; RunId = 7; IocId = 'aaa' }
            [pscustomobject]@{ PSTypeName = 'IocScan.Detection'; RunId = 7; IocId = 'bbb' }
        )
        $runs = @($detections | Get-IocScanResult -DatabasePath $Database)
        $runs.Count | Should -Be 1
        $runs[0].Id | Should -Be 7
        $Calls.Count | Should -Be 1
    }

    It 'reports an unknown run as IocScan.RunNotFound and goes on, and a missing database as IocScan.PathNotFound' {
        $runs = @(Get-IocScanResult -DatabasePath $Database -RunId 99, 7 -ErrorVariable problems -ErrorAction SilentlyContinue)
        $runs.Id | Should -Be @(7)
        $problems[0].FullyQualifiedErrorId | Should -Be 'IocScan.RunNotFound,Get-IocScanResult'
        $problems[0].Exception.Message | Should -Match 'no run 99'
        Get-IocScanResult -DatabasePath (Join-Path $TestDrive 'none.db') -ErrorVariable missing -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $missing[0].FullyQualifiedErrorId | Should -Be 'IocScan.PathNotFound,Get-IocScanResult'
    }
}
