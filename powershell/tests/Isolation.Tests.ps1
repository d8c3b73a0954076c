BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1') -Force

    # What `iocscan isolate|isolation … --json` prints: one object (pretty-printed here, to show
    # that stdout is parsed whole, not line by line).
    $script:IsolationJson = @(
        '{'
        '  "id": "iso-20261207-0600",'
        '  "state": "applied",'
        '  "expiresAt": "2026-12-07T14:00:00.000Z",'
        '  "allow": ['
        '    {"address": "10.0.0.10", "port": 8443, "protocol": "tcp", "why": "--allow mgmt.corp.example:8443/tcp"},'
        '    {"address": "10.0.0.53", "why": "dns server"}'
        '  ],'
        '  "audit": ['
        '    {"isolationId": "iso-20261207-0600", "step": "apply", "at": "2026-12-07T06:00:00.000Z", "who": "SYSTEM", "outcome": "ok", "rulesetHash": "ab12"},'
        '    {"isolationId": "iso-20261207-0600", "step": "self-test", "at": "2026-12-07T06:00:01.000Z", "who": "SYSTEM", "outcome": "ok"}'
        '  ]'
        '}'
    )
}

Describe 'Start-IocIsolation, Get-IocIsolation and Stop-IocIsolation through an engine process' {
    BeforeEach {
        $script:Saved = Save-IocTestEnvironment
        $env:IOCSCAN_ENGINE = Get-FakeEnginePath
        $env:IOCSCAN_FAKE_OUTPUT = Join-Path $TestDrive 'isolation.json'
        $env:IOCSCAN_FAKE_RECORD = Join-Path $TestDrive 'record.txt'
        Remove-Item -LiteralPath $env:IOCSCAN_FAKE_RECORD -ErrorAction SilentlyContinue
        $env:IOCSCAN_FAKE_EXIT = '0'
        $env:IOCSCAN_FAKE_STDERR = ''
        [System.IO.File]::WriteAllLines($env:IOCSCAN_FAKE_OUTPUT, [string[]]$IsolationJson)
        $script:Database = Join-Path $TestDrive 'results.db'
        Set-Content -Path $Database -Value 'sqlite'
    }
    AfterEach {
        Restore-IocTestEnvironment $Saved
    }

    It 'Start-IocIsolation runs `isolate` with the duration, each allow entry, reason, probe, store and --json' {
        $isolation = Start-IocIsolation -Duration (New-TimeSpan -Hours 8) -Allow 'mgmt.corp.example:8443/tcp', '[fd00::10]:443' `
            -Reason 'IOC hit on ws01' -Probe '203.0.113.9:443' -DatabasePath $Database -Confirm:$false
        @(Get-Content $env:IOCSCAN_FAKE_RECORD) | Should -Be @(
            'isolate', '--duration', '8h', '--allow', 'mgmt.corp.example:8443/tcp', '--allow', '[fd00::10]:443',
            '--reason', 'IOC hit on ws01', '--probe', '203.0.113.9:443', '--db', $Database, '--json')
        $isolation.PSObject.TypeNames[0] | Should -Be 'IocScan.Isolation'
        $isolation.Id | Should -Be 'iso-20261207-0600'
        $isolation.State | Should -Be 'applied'
        $isolation.ExpiresAt.Kind | Should -Be 'Local'
        $isolation.ExpiresAt.ToUniversalTime() | Should -Be ([datetime]::new(2026, 12, 7, 14, 0, 0, [System.DateTimeKind]::Utc))
        $isolation.Allow.Count | Should -Be 2
        $isolation.Allow[0].address | Should -Be '10.0.0.10'
        $isolation.Allow[0].port | Should -Be 8443
        $isolation.Audit.step | Should -Be @('apply', 'self-test')
        $isolation.WhatIf | Should -BeFalse
        $isolation.DatabasePath | Should -Be $Database
        ($isolation | Format-Table -AutoSize | Out-String -Width 300) | Should -Match '10\.0\.0\.10:8443/tcp, 10\.0\.0\.53'
    }

    It 'Start-IocIsolation spells minutes when the duration is not whole hours, and uses the default store without --db' {
        Start-IocIsolation -Duration '01:30:00' -Confirm:$false | Out-Null
        @(Get-Content $env:IOCSCAN_FAKE_RECORD) | Should -Be @('isolate', '--duration', '90m', '--json')
    }

    It 'Start-IocIsolation -WhatIf runs the engine with --what-if and marks the object' {
        $isolation = Start-IocIsolation -Duration '00:30:00' -Allow 10.0.0.0/8 -WhatIf
        @(Get-Content $env:IOCSCAN_FAKE_RECORD) | Should -Be @('isolate', '--duration', '30m', '--allow', '10.0.0.0/8', '--what-if', '--json')
        $isolation.WhatIf | Should -BeTrue
        $isolation.Allow.Count | Should -Be 2
    }

    It 'puts no database password on the command line or in the object: PGPASSWORD only' {
        $isolation = Start-IocIsolation -Duration '01:00:00' -DatabasePath 'postgres://scanner:s%40cret@db01:5432/iocscan' -Confirm:$false
        $arguments = @(Get-Content $env:IOCSCAN_FAKE_RECORD)
        $arguments | Should -Contain 'postgres://scanner@db01:5432/iocscan'
        ($arguments -join ' ') | Should -Not -Match 'cret'
        Get-Content -Raw "$env:IOCSCAN_FAKE_RECORD.pgpassword" | Should -Be 's@cret'
        $isolation.DatabasePath | Should -Be 'postgres://scanner@db01:5432/iocscan'
        Get-IocIsolation -DatabasePath 'postgres://scanner:s%40cret@db01/iocscan' | Out-Null
        (@(Get-Content $env:IOCSCAN_FAKE_RECORD) -join ' ') | Should -Not -Match 'cret'
    }

    It 'Get-IocIsolation runs `isolation status`' {
        $isolation = Get-IocIsolation -DatabasePath $Database
        @(Get-Content $env:IOCSCAN_FAKE_RECORD) | Should -Be @('isolation', 'status', '--db', $Database, '--json')
        $isolation.State | Should -Be 'applied'
    }

    It 'Stop-IocIsolation runs `isolation release`, and nothing with -WhatIf' {
        Stop-IocIsolation -DatabasePath $Database -WhatIf | Should -BeNullOrEmpty
        Test-Path $env:IOCSCAN_FAKE_RECORD | Should -BeFalse
        $released = Stop-IocIsolation -DatabasePath $Database -Confirm:$false
        @(Get-Content $env:IOCSCAN_FAKE_RECORD) | Should -Be @('isolation', 'release', '--db', $Database, '--json')
        $released.PSObject.TypeNames[0] | Should -Be 'IocScan.Isolation'
    }

    It 'turns a failing engine into IocScan.IsolationFailed with its stderr, escaped' {
        $env:IOCSCAN_FAKE_EXIT = '2'
        $env:IOCSCAN_FAKE_STDERR = "iocscan isolate: self-test failed, rolled back$([char]27)[31m"
        $failure = $null
        try { Start-IocIsolation -Duration '01:00:00' -Confirm:$false } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -Be 'IocScan.IsolationFailed,Start-IocIsolation'
        $failure.Exception.Message | Should -Match 'self-test failed, rolled back\\x1b\[31m'
        $failure.Exception.Message | Should -Match 'exit code 2'
    }

    It 'turns output that is not one JSON object into IocScan.EngineOutputInvalid' {
        [System.IO.File]::WriteAllLines($env:IOCSCAN_FAKE_OUTPUT, [string[]]@('{"type":"progress"}', '{"type":"summary"}'))
        { Get-IocIsolation } | Should -Throw -ErrorId 'IocScan.EngineOutputInvalid,Get-IocIsolation'
    }

    It 'refuses a duration out of range or not whole minutes before running anything (IocScan.InvalidDuration)' {
        { Start-IocIsolation -Duration '00:00:30' -Confirm:$false } | Should -Throw -ErrorId 'IocScan.InvalidDuration'
        { Start-IocIsolation -Duration ([timespan]::FromHours(10000)) -Confirm:$false } | Should -Throw -ErrorId 'IocScan.InvalidDuration'
        { Start-IocIsolation -Duration '00:01:30' -Confirm:$false } | Should -Throw -ErrorId 'IocScan.InvalidDuration'
        Test-Path $env:IOCSCAN_FAKE_RECORD | Should -BeFalse
    }

    It 'refuses an allow entry that could read as an option or holds spaces (IocScan.InvalidAllowRule)' {
        foreach ($bad in '--db=/tmp/x.db', 'host name', "host`nname", '10.0.0.1:443/icmp', '') {
            { Start-IocIsolation -Duration '01:00:00' -Allow $bad -Confirm:$false } | Should -Throw -ErrorId 'IocScan.InvalidAllowRule'
        }
        { Start-IocIsolation -Duration '01:00:00' -Probe '-x' -Confirm:$false } | Should -Throw -ErrorId 'IocScan.InvalidAllowRule'
        Test-Path $env:IOCSCAN_FAKE_RECORD | Should -BeFalse
    }

    It 'Get-IocIsolation and Stop-IocIsolation report a missing SQLite store as IocScan.PathNotFound' {
        $missing = Join-Path $TestDrive 'nope.db'
        Get-IocIsolation -DatabasePath $missing -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -Be 'IocScan.PathNotFound,Get-IocIsolation'
        Stop-IocIsolation -DatabasePath $missing -Confirm:$false -ErrorVariable failed2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed2[0].FullyQualifiedErrorId | Should -Be 'IocScan.PathNotFound,Stop-IocIsolation'
        Test-Path $env:IOCSCAN_FAKE_RECORD | Should -BeFalse
    }
}
