BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1') -Force

    # What the engine printed for a scan with one detection, a warning, progress and the summary.
    $script:ScanEvents = @(
        '{"type":"progress","collector":"file","objects":120,"bytes":4096,"current":"/srv/a","elapsedMs":250}'
        '{"type":"warning","code":"unsupported-term","message":"Yara/TextString is not supported","file":"/iocs/x.ioc","iocId":"x"}'
        '{"type":"skipped","collector":"file","object":"/srv/locked","reason":"unreadable","detail":"EACCES"}'
        '{"type":"not-evaluated","ioc":{"id":"x","name":"X","file":"/iocs/x.ioc","version":"1.1"},"itemId":"i9","search":"Yara/TextString","reason":"unsupported-term"}'
        '{"type":"detection","runId":12,"ioc":{"id":"6d2ba2b4-1c6e-4d41-9d2f-0a3f1c9b1a11","name":"Planted dropper","file":"/iocs/dropper.ioc","version":"1.1"},"evidence":[{"document":"FileItem","object":"/srv/a/evil.exe","indicator":"ind-1","items":[{"id":"it-1","search":"FileItem/Md5sum","condition":"is","negate":false,"preserveCase":false,"expected":"0cc175b9c0f1b6a831c399e269772661","observed":"0cc175b9c0f1b6a831c399e269772661"},{"id":"it-2","search":"FileItem/FileName","condition":"contains","negate":false,"preserveCase":true,"expected":"evil","observed":["evil.exe"]}]}]}'
        '{"type":"rejected","file":"/iocs/broken.ioc","error":"not well-formed XML","line":3,"column":7}'
        '{"type":"summary","runId":12,"detections":1,"iocs":2}'
    )
}

Describe 'Invoke-IocScan' {
    BeforeEach {
        $script:Captured = @{}
        Mock Invoke-IocEngine -ModuleName IocScan {
            $index = [array]::IndexOf($Argument, '--task')
            $script:Captured.Arguments = $Argument
            $script:Captured.Task = Get-Content -Raw -LiteralPath $Argument[$index + 1] | ConvertFrom-Json
            $script:Captured.TaskFile = $Argument[$index + 1]
            New-EngineOutput -Lines $ScanEvents -ExitCode 1
        }
    }

    It 'asks the engine to stop through its stdin when the pipeline stops' {
        Invoke-IocScan -IocPath /iocs -Path /srv -WarningAction SilentlyContinue -ErrorAction SilentlyContinue | Out-Null
        Should -Invoke Invoke-IocEngine -ModuleName IocScan -Times 1 -Exactly -ParameterFilter { $StopThroughStdin }
    }

    It 'writes the detections of an interrupted scan, then a non-terminating IocScan.EngineInterrupted error' {
        Mock Invoke-IocEngine -ModuleName IocScan {
            New-EngineOutput -Lines @($ScanEvents[4], '{"type":"summary","runId":12,"status":"interrupted","signal":"SIGTERM"}') -ExitCode 143
        }
        $detections = @(Invoke-IocScan -IocPath /iocs -Path /srv -ErrorVariable problems -ErrorAction SilentlyContinue)
        $detections.Count | Should -Be 1
        $detections[0].RunId | Should -Be 12
        @($problems).Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'IocScan.EngineInterrupted*'
        $problems[0].Exception.Message | Should -BeLike '*SIGTERM*interrupted*'
    }

    It 'returns one IocScan.Detection per detection event with its identity and evidence' {
        $detections = @(Invoke-IocScan -IocPath /iocs -Path /srv -WarningAction SilentlyContinue -ErrorAction SilentlyContinue)
        $detections.Count | Should -Be 1
        $detection = $detections[0]
        $detection.PSObject.TypeNames[0] | Should -Be 'IocScan.Detection'
        $detection.RunId | Should -Be 12
        $detection.IocId | Should -Be '6d2ba2b4-1c6e-4d41-9d2f-0a3f1c9b1a11'
        $detection.IocName | Should -Be 'Planted dropper'
        $detection.IocFile | Should -Be '/iocs/dropper.ioc'
        $detection.Timestamp | Should -BeOfType [datetime]
        $detection.Objects | Should -Be @('/srv/a/evil.exe')
        $detection.Evidence[0].PSObject.TypeNames[0] | Should -Be 'IocScan.Evidence'
        $detection.Evidence[0].Document | Should -Be 'FileItem'
        $detection.Evidence[0].Items.Count | Should -Be 2
        $detection.Evidence[0].Items[1].PSObject.TypeNames[0] | Should -Be 'IocScan.EvidenceItem'
        $detection.Evidence[0].Items[1].PreserveCase | Should -BeTrue
        $detection.Evidence[0].Items[1].Observed | Should -Be @('evil.exe')
    }

    It 'passes the parameters through a version 1 task file with absolute paths, and deletes it' {
        $since = [datetime]::new(2026, 11, 1, 8, 30, 0, [System.DateTimeKind]::Utc)
        Push-Location $TestDrive
        try {
            Invoke-IocScan -IocPath iocs -Path data -Depth 3 -Preset important-areas -Exclude '**/cache/**' -DataType file, eventlog `
                -EventLog Security -Since $since -RegistryKey 'HKLM\SOFTWARE\Run' -Evidence case/Security.evtx -DatabasePath results.db `
                -MaxFileSize 1048576 -TaskName adhoc -WarningAction SilentlyContinue -ErrorAction SilentlyContinue | Out-Null
        } finally {
            Pop-Location
        }
        $Captured.Arguments[0] | Should -Be 'scan'
        $Captured.Arguments[-1] | Should -Be '--json'
        $task = $Captured.Task
        $task.version | Should -Be 1
        $task.taskName | Should -Be 'adhoc'
        $task.iocPaths | Should -Be @((Join-Path $TestDrive 'iocs'))
        $task.scopes[0].path | Should -Be (Join-Path $TestDrive 'data')
        $task.scopes[0].depth | Should -Be 3
        $task.presets | Should -Be @('important-areas')
        $task.exclude | Should -Be @('**/cache/**')
        $task.types | Should -Be @('file', 'eventlog')
        $task.eventLogs | Should -Be @('Security')
        $task.registryKeys | Should -Be @('HKLM\SOFTWARE\Run')
        $task.evidence | Should -Be @((Join-Path $TestDrive 'case/Security.evtx'))
        $task.databasePath | Should -Be (Join-Path $TestDrive 'results.db')
        $task.maxFileSize | Should -Be 1048576
        $sinceText = $task.since
        if ($sinceText -is [datetime]) { $sinceText = $sinceText.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ss.fffZ') }
        $sinceText | Should -Be '2026-11-01T08:30:00.000Z'
        $Captured.TaskFile | Should -Not -Exist
    }

    It 'writes only the given keys, so the engine applies its own defaults' {
        Invoke-IocScan -IocPath /iocs -WarningAction SilentlyContinue -ErrorAction SilentlyContinue | Out-Null
        @($Captured.Task.PSObject.Properties.Name) | Should -Be @('version', 'iocPaths')
    }

    It 'turns engine warnings into Write-Warning with the file' {
        Invoke-IocScan -IocPath /iocs -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction SilentlyContinue | Out-Null
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -Match 'unsupported-term'
        $warnings[0].Message | Should -Match '/iocs/x.ioc'
    }

    It 'reports a rejected IOC file as a non-terminating IocScan.IocFileRejected error and goes on' {
        $detections = @(Invoke-IocScan -IocPath /iocs -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $detections.Count | Should -Be 1
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'IocScan.IocFileRejected*'
        $problems[0].TargetObject | Should -Be '/iocs/broken.ioc'
        $problems[0].Exception.Message | Should -Match 'line 3'
    }

    It 'shows engine progress with Write-Progress' {
        Mock Write-Progress -ModuleName IocScan { }
        Invoke-IocScan -IocPath /iocs -WarningAction SilentlyContinue -ErrorAction SilentlyContinue | Out-Null
        Should -Invoke Write-Progress -ModuleName IocScan -ParameterFilter { $Status -eq 'file: 120 objects' -and $CurrentOperation -eq '/srv/a' }
        Should -Invoke Write-Progress -ModuleName IocScan -ParameterFilter { $Completed }
    }

    It 'throws IocScan.EngineFailed with the engine stderr when the engine exits 2' {
        Mock Invoke-IocEngine -ModuleName IocScan { New-EngineOutput -Lines @('{"type":"summary"}') -ExitCode 2 -StandardError 'iocscan: no IOC could be loaded' }
        { Invoke-IocScan -IocPath /iocs } | Should -Throw -ErrorId 'IocScan.EngineFailed,Invoke-IocScan' -ExpectedMessage '*no IOC could be loaded*'
    }

    It 'maps exit code 3 (incomplete) to warnings with every reason, and throws nothing' {
        Mock Invoke-IocEngine -ModuleName IocScan {
            New-EngineOutput -ExitCode 3 -Lines @(
                '{"type":"summary","runId":7,"status":"incomplete","complete":false,"incomplete":[{"kind":"input","what":"/srv/typo","why":"--scope: not found"},{"kind":"ioc","what":"zeus (/iocs/zeus.ioc)","why":"cannot fire: every way to fire goes through items not evaluated (no-collector)"}],"detections":0}'
            )
        }
        $detections = @(Invoke-IocScan -IocPath /iocs -Path /srv/typo -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction Stop)
        $detections.Count | Should -Be 0
        @($warned).Count | Should -Be 3
        [string]$warned[0] | Should -BeLike 'The scan is INCOMPLETE: nothing detected in what was read*not a clean result.'
        [string]$warned[1] | Should -Be '[incomplete] /srv/typo: --scope: not found'
        [string]$warned[2] | Should -BeLike '`[incomplete`] zeus (/iocs/zeus.ioc): cannot fire*'
    }

    It 'returns the detections of an incomplete run (exit 1) and warns that it was incomplete' {
        Mock Invoke-IocEngine -ModuleName IocScan {
            New-EngineOutput -ExitCode 1 -Lines @(
                $ScanEvents[4]
                '{"type":"summary","runId":12,"status":"incomplete","complete":false,"incomplete":[{"kind":"input","what":"/srv/typo","why":"--scope: not found"}],"detections":1}'
            )
        }
        $detections = @(Invoke-IocScan -IocPath /iocs -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction Stop)
        $detections.Count | Should -Be 1
        [string]$warned[0] | Should -BeLike 'The scan is INCOMPLETE: the detections stand*'
        [string]$warned[1] | Should -Be '[incomplete] /srv/typo: --scope: not found'
    }

    It 'writes no incompleteness warning for a complete run' {
        Mock Invoke-IocEngine -ModuleName IocScan { New-EngineOutput -Lines @('{"type":"summary","complete":true,"incomplete":[],"detections":0}') -ExitCode 0 }
        Invoke-IocScan -IocPath /iocs -WarningVariable warned -ErrorAction Stop | Out-Null
        @($warned).Count | Should -Be 0
    }

    It 'returns nothing and throws nothing on a clean scan (exit 0)' {
        Mock Invoke-IocEngine -ModuleName IocScan { New-EngineOutput -Lines @('{"type":"summary","detections":0}') -ExitCode 0 }
        @(Invoke-IocScan -IocPath /iocs -ErrorAction Stop).Count | Should -Be 0
    }

    It 'reports a line that is not JSON as IocScan.EngineOutputInvalid and keeps reading' {
        Mock Invoke-IocEngine -ModuleName IocScan { New-EngineOutput -Lines @('Deno says hello', $ScanEvents[4]) -ExitCode 1 }
        $detections = @(Invoke-IocScan -IocPath /iocs -ErrorVariable problems -ErrorAction SilentlyContinue)
        $detections.Count | Should -Be 1
        @($problems | Where-Object { $_.FullyQualifiedErrorId -like 'IocScan.*' })[0].FullyQualifiedErrorId | Should -BeLike 'IocScan.EngineOutputInvalid*'
    }

    It 'throws IocScan.EngineNotFound as its own error when there is no engine' {
        Mock Invoke-IocEngine -ModuleName IocScan { throw (New-TestErrorRecord -ErrorId 'IocScan.EngineNotFound' -Message 'no engine') }
        { Invoke-IocScan -IocPath /iocs } | Should -Throw -ErrorId 'IocScan.EngineNotFound,Invoke-IocScan'
    }

    It 'changes nothing with -WhatIf: the engine never runs' {
        Invoke-IocScan -IocPath /iocs -Path /srv -DatabasePath (Join-Path $TestDrive 'whatif.db') -WhatIf
        Should -Invoke Invoke-IocEngine -ModuleName IocScan -Times 0
        Join-Path $TestDrive 'whatif.db' | Should -Not -Exist
    }

    It 'rejects an unknown -Preset and -DataType before running anything' {
        { Invoke-IocScan -IocPath /iocs -Preset everything } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Invoke-IocScan'
        { Invoke-IocScan -IocPath /iocs -DataType urlhistory } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Invoke-IocScan'
        Should -Invoke Invoke-IocEngine -ModuleName IocScan -Times 0
    }
}

Describe 'Invoke-IocScan through an engine process' {
    BeforeEach {
        $script:Saved = Save-IocTestEnvironment
        $env:IOCSCAN_ENGINE = Get-FakeEnginePath
        $env:IOCSCAN_FAKE_OUTPUT = Join-Path $TestDrive 'scan.ndjson'
        $env:IOCSCAN_FAKE_RECORD = Join-Path $TestDrive 'record.json'
        $env:IOCSCAN_FAKE_EXIT = '1'
        $env:IOCSCAN_FAKE_STDERR = 'iocscan: 2 IOC files, 1 detection'
        [System.IO.File]::WriteAllLines($env:IOCSCAN_FAKE_OUTPUT, [string[]]$ScanEvents)
    }
    AfterEach {
        Restore-IocTestEnvironment $Saved
    }

    It 'runs `scan --task FILE --json`, reads stdout only and returns the detection' {
        $detections = @(Invoke-IocScan -IocPath /iocs -Path '/srv/with space' -WarningAction SilentlyContinue -ErrorAction SilentlyContinue)
        $detections.Count | Should -Be 1
        $detections[0].IocName | Should -Be 'Planted dropper'
        $arguments = @(Get-Content $env:IOCSCAN_FAKE_RECORD)
        $arguments[0..1] | Should -Be @('scan', '--task')
        $arguments[3] | Should -Be '--json'
        (Get-Content -Raw "$env:IOCSCAN_FAKE_RECORD.task" | ConvertFrom-Json).scopes[0].path | Should -Be '/srv/with space'
    }

    It 'takes an engine that exits 3 as an incomplete scan: warnings, no error' {
        $env:IOCSCAN_FAKE_EXIT = '3'
        [System.IO.File]::WriteAllLines($env:IOCSCAN_FAKE_OUTPUT, [string[]]@(
                '{"type":"summary","status":"incomplete","complete":false,"incomplete":[{"kind":"input","what":"/srv/typo","why":"--scope: not found"}],"detections":0}'
            ))
        $detections = @(Invoke-IocScan -IocPath /iocs -Path /srv/typo -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction Stop)
        $detections.Count | Should -Be 0
        [string]$warned[-1] | Should -Be '[incomplete] /srv/typo: --scope: not found'
    }
}
