# Hostile names, paths, user names and database passwords in scan task definitions: systemd units
# and Task Scheduler registrations must carry them exactly or refuse them, never let them add a
# directive, and never write a database password into a definition, a unit or a command line.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    if (-not (Get-Command Register-ScheduledTask -ErrorAction Ignore)) { . (Join-Path $PSScriptRoot 'Stubs/ScheduledTasks.ps1') }
    Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1') -Force

    function New-TestCredential([string] $UserName, [string] $Password = 'unused') {
        New-Object System.Management.Automation.PSCredential -ArgumentList $UserName, (ConvertTo-SecureString $Password -AsPlainText -Force)
    }
    function Get-UnixMode([string] $Path) {
        [Convert]::ToString([int](Get-Item -LiteralPath $Path).UnixFileMode, 8)
    }
}

Describe 'Task names' {
    It 'refuses a name with a trailing newline in <Command>' -ForEach @(
        @{ Command = 'Register-IocScanTask'; Extra = @{ IocPath = '/srv/iocs'; AtStartup = $true } }
        @{ Command = 'Start-IocScanTask'; Extra = @{} }
        @{ Command = 'Unregister-IocScanTask'; Extra = @{} }
    ) {
        { & $Command -Name "Daily`n" @Extra -WhatIf } | Should -Throw -ErrorId "ParameterArgumentValidationError,$Command"
    }
}

Describe 'Scan tasks with systemd: hostile values' -Skip:($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
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
        Mock Test-IocSystemd -ModuleName IocScan { $true }
        Mock Invoke-IocSystemctl -ModuleName IocScan { }
    }
    AfterEach {
        Restore-IocTestEnvironment $Saved
    }

    It 'refuses a -Credential user name that would add a directive, and writes nothing' {
        $credential = New-TestCredential "scanner`nExecStartPre=/bin/sh -c 'id > /tmp/pwned'"
        { Register-IocScanTask -Name Evil -IocPath /srv/iocs -AtStartup -Credential $credential } |
            Should -Throw -ErrorId 'IocScan.UnsafeTaskValue,Register-IocScanTask' -ExpectedMessage '*control character*'
        Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-Evil.service' | Should -Not -Exist
        Join-Path $env:IOCSCAN_TASK_DIR 'Evil.json' | Should -Not -Exist
    }

    It 'refuses a user name systemd would read otherwise (<UserName>)' -ForEach @(
        @{ UserName = 'a b' }, @{ UserName = '-rf' }, @{ UserName = 'x:y' }, @{ UserName = 'a/b' }, @{ UserName = "tab`tuser" }
    ) {
        { Register-IocScanTask -Name Evil -IocPath /srv/iocs -AtStartup -Credential (New-TestCredential $UserName) } |
            Should -Throw -ErrorId 'IocScan.UnsafeTaskValue,Register-IocScanTask'
    }

    It 'refuses control characters in the task folder and the engine path' {
        $env:IOCSCAN_TASK_DIR = "$Case/tasks`nExecStartPre=/bin/true"
        { Register-IocScanTask -Name T1 -IocPath /srv/iocs -AtStartup } |
            Should -Throw -ErrorId 'IocScan.UnsafeTaskValue,Register-IocScanTask'
        $env:IOCSCAN_TASK_DIR = Join-Path $Case 'tasks'
        $bad = "$Case/bin`e[31m/iocscan"
        [void][System.IO.Directory]::CreateDirectory("$Case/bin`e[31m")
        [System.IO.File]::WriteAllText($bad, 'engine')
        $env:IOCSCAN_ENGINE = $bad
        { Register-IocScanTask -Name T2 -IocPath /srv/iocs -AtStartup } |
            Should -Throw -ErrorId 'IocScan.UnsafeTaskValue,Register-IocScanTask'
    }

    It 'escapes %, $, quotes, backslashes and ]]> in the exact unit text' {
        $env:IOCSCAN_TASK_DIR = $Case + '/ta%sk $HOME "q" ]]>'
        $credential = New-TestCredential 'scan%n$er'
        Register-IocScanTask -Name Odd -IocPath /srv/iocs -AtStartup -Credential $credential | Out-Null
        $definition = $env:IOCSCAN_TASK_DIR + '/Odd.json'
        $folder = $env:IOCSCAN_TASK_DIR.Replace('%', '%%')
        $quoted = { param($text) '"' + $text.Replace('\', '\\').Replace('"', '\"').Replace('%', '%%').Replace('$', '$$') + '"' }
        $expected = @(
            '# Written by the IocScan PowerShell module (Register-IocScanTask). Remove with Unregister-IocScanTask.'
            '[Unit]'
            'Description=iocscan scan task Odd'
            'ConditionACPower=true'
            ''
            '[Service]'
            'Type=oneshot'
            ('ExecStart=' + (& $quoted $Engine) + ' "scan" "--task" ' + (& $quoted $definition) + ' "--json"')
            "WorkingDirectory=$folder"
            'User=scan%%n$er'
            'TimeoutStartSec=3600'
            'SuccessExitStatus=1'
            'StandardOutput=null'
            'Nice=10'
            'IOSchedulingClass=idle'
            ''
        ) -join [Environment]::NewLine
        Get-Content -Raw (Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-Odd.service') | Should -BeExactly $expected
        $expected | Should -Match ([regex]::Escape('WorkingDirectory=' + $Case + '/ta%%sk $HOME "q" ]]>'))
        (Get-IocScanTask -Name Odd).RunAs | Should -BeExactly 'scan%n$er'
    }

    It 'refuses a unit value ending in a backslash (systemd would join the next line) or padded with spaces' {
        InModuleScope IocScan {
            { New-IocSystemdUnit -Name T3 -FileName /opt/iocscan -Arguments scan -Schedule AtStartup -ExecutionTimeLimit ([timespan]::FromHours(1)) -WorkingDirectory '/srv/tasks\' } |
                Should -Throw -ErrorId 'IocScan.UnsafeTaskValue' -ExpectedMessage '*backslash*'
            { New-IocSystemdUnit -Name T3 -FileName /opt/iocscan -Arguments scan -Schedule AtStartup -ExecutionTimeLimit ([timespan]::FromHours(1)) -User 'root ' } |
                Should -Throw -ErrorId 'IocScan.UnsafeTaskValue' -ExpectedMessage '*white space*'
            { New-IocSystemdUnit -Name T3 -FileName '-/opt/iocscan' -Arguments scan -Schedule AtStartup -ExecutionTimeLimit ([timespan]::FromHours(1)) } |
                Should -Throw -ErrorId 'IocScan.UnsafeTaskValue' -ExpectedMessage '*absolute path*'
        }
    }

    It 'keeps the database password out of the definition and the units: a 0600 EnvironmentFile carries it' {
        $url = 'postgres://scanner:p%40ss%22w%24rd%5C%60@db.example:5432/iocscan?sslmode=require'
        Register-IocScanTask -Name Pg -IocPath /srv/iocs -AtStartup -DatabasePath $url | Out-Null
        $definition = Join-Path $env:IOCSCAN_TASK_DIR 'Pg.json'
        $secret = Join-Path $env:IOCSCAN_TASK_DIR 'Pg.secret'
        $service = Get-Content -Raw (Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-Pg.service')
        (Get-Content -Raw $definition | ConvertFrom-Json).databasePath | Should -BeExactly 'postgres://scanner@db.example:5432/iocscan?sslmode=require'
        Get-Content -Raw $definition | Should -Not -Match 'p@ss|p%40ss'
        $service | Should -Not -Match 'p@ss|p%40ss'
        $service | Should -Match ([regex]::Escape("EnvironmentFile=$secret"))
        Get-Content -Raw $secret | Should -BeExactly ('PGPASSWORD="p@ss\"w\$rd\\\`"' + "`n")
        Get-UnixMode $secret | Should -Be '600'
        Get-UnixMode $definition | Should -Be '600'

        Unregister-IocScanTask -Name Pg -Force
        $secret | Should -Not -Exist
    }

    It 'takes the password from a password= query parameter too' {
        Register-IocScanTask -Name Pg2 -IocPath /srv/iocs -AtStartup -DatabasePath 'postgresql://db/iocscan?user=u&password=hunter2&sslmode=require' | Out-Null
        (Get-Content -Raw (Join-Path $env:IOCSCAN_TASK_DIR 'Pg2.json') | ConvertFrom-Json).databasePath |
            Should -BeExactly 'postgresql://db/iocscan?user=u&sslmode=require'
        Get-Content -Raw (Join-Path $env:IOCSCAN_TASK_DIR 'Pg2.secret') | Should -BeExactly ('PGPASSWORD="hunter2"' + "`n")
    }

    It 'refuses a database password with a control character' {
        { Register-IocScanTask -Name Pg3 -IocPath /srv/iocs -AtStartup -DatabasePath 'postgres://u:a%0Ab@db/x' } |
            Should -Throw -ErrorId 'IocScan.UnsafeTaskValue,Register-IocScanTask'
        Join-Path $env:IOCSCAN_TASK_DIR 'Pg3.json' | Should -Not -Exist
    }
}

Describe 'Scan tasks on Windows: hostile values' {
    BeforeEach {
        $script:Saved = Save-IocTestEnvironment
        $env:IOCSCAN_TASK_DIR = Join-Path $TestDrive "$([guid]::NewGuid().ToString('N'))/ProgramData/IocScan/tasks"
        $script:Engine = Join-Path $TestDrive 'bin/iocscan.exe'
        New-Item -ItemType Directory -Path (Split-Path $Engine) -Force | Out-Null
        Set-Content -Path $Engine -Value 'engine'
        $env:IOCSCAN_ENGINE = $Engine
        $script:Secrets = @{}
        Mock Test-IocWindows -ModuleName IocScan { $true }
        Mock Protect-IocTaskFolder -ModuleName IocScan { }
        Mock Protect-IocSecretFile -ModuleName IocScan { $script:Secrets[$Path] = @($Account) }
        Mock ConvertTo-IocProtectedSecret -ModuleName IocScan { "dpapi($Secret)" }
        Mock New-ScheduledTaskAction -ModuleName IocScan {
            [pscustomobject]@{ Execute = $Execute; Arguments = $Argument; WorkingDirectory = $WorkingDirectory }
        }
        Mock New-ScheduledTaskTrigger -ModuleName IocScan { [pscustomobject]@{ AtStartup = [bool]$AtStartup } }
        Mock New-ScheduledTaskPrincipal -ModuleName IocScan { [pscustomobject]@{ UserId = $UserId } }
        Mock New-ScheduledTaskSettingsSet -ModuleName IocScan { [pscustomobject]@{} }
        Mock Register-ScheduledTask -ModuleName IocScan { }
        Mock Get-ScheduledTask -ModuleName IocScan { }
        Mock Get-ScheduledTaskInfo -ModuleName IocScan { }
        Mock Unregister-ScheduledTask -ModuleName IocScan { }
    }
    AfterEach {
        Restore-IocTestEnvironment $Saved
    }

    It 'passes a user name with XML and quote characters exactly, and refuses one with a newline' {
        $odd = 'CONTOSO\a]]>&<"''b'
        Register-IocScanTask -Name Odd -IocPath /iocs -AtStartup -Credential (New-TestCredential $odd 'pw') | Out-Null
        Should -Invoke Register-ScheduledTask -ModuleName IocScan -Times 1 -Exactly -ParameterFilter { $User -ceq $odd }
        { Register-IocScanTask -Name Odd2 -IocPath /iocs -AtStartup -Credential (New-TestCredential "CONTOSO\a`r`nb" 'pw') } |
            Should -Throw -ErrorId 'IocScan.UnsafeTaskValue,Register-IocScanTask'
        Should -Invoke Register-ScheduledTask -ModuleName IocScan -Times 1 -Exactly
    }

    It 'refuses % (Task Scheduler expands %VAR%) and control characters in the action' {
        $env:IOCSCAN_TASK_DIR = Join-Path $TestDrive '%SystemRoot%/tasks'
        { Register-IocScanTask -Name T1 -IocPath /iocs -AtStartup } | Should -Throw -ErrorId 'IocScan.UnsafeTaskValue,Register-IocScanTask'
        $env:IOCSCAN_TASK_DIR = Join-Path $TestDrive ("tasks" + [char]0x85 + "x")
        { Register-IocScanTask -Name T2 -IocPath /iocs -AtStartup } | Should -Throw -ErrorId 'IocScan.UnsafeTaskValue,Register-IocScanTask'
        Should -Invoke Register-ScheduledTask -ModuleName IocScan -Times 0
    }

    It 'keeps the database password out of the definition and the action: a DPAPI secret for the launcher' {
        Register-IocScanTask -Name Pg -IocPath /iocs -AtStartup -DatabasePath 'postgres://scanner:s3cret@db/iocscan' | Out-Null
        $definition = Join-Path $env:IOCSCAN_TASK_DIR 'Pg.json'
        $secret = Join-Path $env:IOCSCAN_TASK_DIR 'Pg.secret'
        (Get-Content -Raw $definition | ConvertFrom-Json).databasePath | Should -BeExactly 'postgres://scanner@db/iocscan'
        Get-Content -Raw $secret | Should -BeExactly 'dpapi(s3cret)'
        $Secrets[$secret] | Should -Be @('SYSTEM')
        $launcher = (Resolve-Path (Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/Launcher/Start-IocTaskEngine.ps1')).ProviderPath
        $powershell = InModuleScope IocScan { Get-IocPowerShellPath }
        $engineCommand = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes(
                (ConvertTo-Json -InputObject ([string[]]@($Engine, 'scan', '--task', $definition, '--json')) -Compress)))
        $expected = InModuleScope IocScan -Parameters @{ L = $launcher; S = $secret; C = $engineCommand } {
            param($L, $S, $C)
            ConvertTo-IocCommandLine -Argument @('-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', $L, '-SecretPath', $S, '-EngineCommand', $C)
        }
        Should -Invoke New-ScheduledTaskAction -ModuleName IocScan -Times 1 -Exactly -ParameterFilter {
            $Execute -eq $powershell -and $Argument -ceq $expected -and $Argument -notmatch 's3cret'
        }
        Should -Invoke Register-ScheduledTask -ModuleName IocScan -Times 1 -Exactly -ParameterFilter { $Description -notmatch 's3cret' }
    }

    It 'the launcher exits 2 and says why when the secret cannot be read' {
        $launcher = Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/Launcher/Start-IocTaskEngine.ps1'
        $secret = Join-Path $TestDrive 'missing.secret'
        $command = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes('["/bin/true","--task","x"]'))
        $powershell = InModuleScope IocScan { Get-IocPowerShellPath }
        $output = & $powershell -NoProfile -NonInteractive -File $launcher -SecretPath $secret -EngineCommand $command 2>&1
        $LASTEXITCODE | Should -Be 2
        ($output | Out-String) | Should -Match 'database password .* could not be read'
    }
}

Describe 'Interactive runs hand the database password over in the environment' -Skip:($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
    BeforeEach {
        $script:Saved = Save-IocTestEnvironment
        $env:IOCSCAN_ENGINE = Get-FakeEnginePath
        $env:IOCSCAN_FAKE_RECORD = Join-Path $TestDrive 'record.txt'
        $env:IOCSCAN_FAKE_OUTPUT = Join-Path $TestDrive 'output.ndjson'
        Set-Content -Path $env:IOCSCAN_FAKE_OUTPUT -Value '{"type":"summary","runs":0}'
        $env:IOCSCAN_FAKE_EXIT = '0'
    }
    AfterEach {
        Restore-IocTestEnvironment $Saved
    }

    It 'Get-IocScanResult passes the URL without its password and PGPASSWORD to the engine' {
        Get-IocScanResult -DatabasePath 'postgres://u:pa%24%24@db/iocscan' | Out-Null
        $arguments = Get-Content $env:IOCSCAN_FAKE_RECORD
        $arguments | Should -Contain 'postgres://u@db/iocscan'
        ($arguments -join ' ') | Should -Not -Match 'pa'
        Get-Content -Raw "$env:IOCSCAN_FAKE_RECORD.pgpassword" | Should -BeExactly 'pa$$'
        $env:PGPASSWORD | Should -BeNullOrEmpty
    }

    It 'Invoke-IocScan writes a task file without the password and passes PGPASSWORD' {
        Invoke-IocScan -IocPath /srv/iocs -Path /srv -DatabasePath 'postgres://u:secret@db/iocscan' | Out-Null
        (Get-Content -Raw "$env:IOCSCAN_FAKE_RECORD.task" | ConvertFrom-Json).databasePath | Should -BeExactly 'postgres://u@db/iocscan'
        Get-Content -Raw "$env:IOCSCAN_FAKE_RECORD.pgpassword" | Should -BeExactly 'secret'
    }

    It 'Invoke-IocScan for a fleet store as an endpoint login: local store and CA in the task file, the fleet run id reported' {
        Set-Content -Path $env:IOCSCAN_FAKE_OUTPUT -Value '{"type":"summary","runId":4,"status":"completed","complete":true,"fleet":{"database":"postgres://host17@db/iocscan","runId":91,"uploaded":1,"pending":0}}'
        $local = Join-Path $TestDrive 'spool/local.db'
        $ca = Join-Path $TestDrive 'ca.pem'
        $verbose = Invoke-IocScan -IocPath /srv/iocs -Evidence /srv/image -DatabasePath 'postgres://host17:pw@db/iocscan' -LocalDatabasePath $local -DatabaseCa $ca -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $task = Get-Content -Raw "$env:IOCSCAN_FAKE_RECORD.task" | ConvertFrom-Json
        $task.databasePath | Should -BeExactly 'postgres://host17@db/iocscan'
        $task.localDatabasePath | Should -BeExactly $local
        $task.databaseCa | Should -BeExactly $ca
        Get-Content -Raw "$env:IOCSCAN_FAKE_RECORD.pgpassword" | Should -BeExactly 'pw'
        ($verbose.Message -join "`n") | Should -Match 'uploaded to the fleet store postgres://host17@db/iocscan as run 91'
    }
}

Describe 'Protect-IocTaskFolder' {
    BeforeAll {
        # PowerShell on Linux has no ACL cmdlets: stand-ins to mock.
        $script:StubbedAcl = -not (Get-Command Get-Acl -ErrorAction Ignore)
        if ($StubbedAcl) {
            function global:Get-Acl { param([string] $LiteralPath) }
            function global:Set-Acl { param([string] $LiteralPath, $AclObject) }
        }
    }
    AfterAll {
        if ($StubbedAcl) { Remove-Item -Path Function:\Get-Acl, Function:\Set-Acl }
    }
    BeforeEach {
        $script:Saved = Save-IocTestEnvironment
        $env:IOCSCAN_TASK_DIR = $null
        $script:Applied = New-Object System.Collections.Generic.List[string]
        $script:Data = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        Mock Get-IocDataPath -ModuleName IocScan -ParameterFilter { $Kind -eq 'StoreFile' } { Join-Path $script:Data 'iocscan.db' }
        Mock Get-Acl -ModuleName IocScan {
            $acl = [pscustomobject]@{ Path = $LiteralPath; Sddl = $null }
            $acl | Add-Member -MemberType ScriptMethod -Name SetSecurityDescriptorSddlForm -Value { param($sddl, $sections) $this.Sddl = $sddl }
            $acl
        }
        Mock Set-Acl -ModuleName IocScan { $script:Applied.Add("$LiteralPath => $($AclObject.Sddl)") }
    }
    AfterEach {
        Restore-IocTestEnvironment $Saved
    }

    It 'restricts the data folder (SYSTEM and Administrators only) before the default tasks folder' {
        $tasks = Join-Path $Data 'tasks'
        InModuleScope IocScan -Parameters @{ T = $tasks } { param($T) Protect-IocTaskFolder -Path $T -Confirm:$false }
        $Applied | Should -Be @(
            "$Data => D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)"
            "$tasks => D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)"
        )
    }

    It 'leaves the parent of another tasks folder alone' {
        $tasks = Join-Path $TestDrive 'elsewhere/tasks'
        InModuleScope IocScan -Parameters @{ T = $tasks } { param($T) Protect-IocTaskFolder -Path $T -Confirm:$false }
        $Applied | Should -Be @("$tasks => D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)")
    }
}

Describe 'Get-IocScanTask with a hand-made definition name' -Skip:($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
    BeforeEach {
        $script:Saved = Save-IocTestEnvironment
        $env:IOCSCAN_TASK_DIR = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $env:IOCSCAN_TASK_DIR | Out-Null
        Mock Test-IocWindows -ModuleName IocScan { $false }
        Mock Get-IocSystemdTaskState -ModuleName IocScan { [pscustomobject]@{ Scheduler = 'systemd'; Schedule = $null; RunAs = $null; State = 'Missing'; LastRunTime = $null; LastResult = $null; NextRunTime = $null } }
    }
    AfterEach {
        Restore-IocTestEnvironment $Saved
    }

    It 'lists only names a scan task can have' {
        [System.IO.File]::WriteAllText((Join-Path $env:IOCSCAN_TASK_DIR "evil`e[2J`n.json"), '{"version":1,"iocPaths":["/x"]}')
        [System.IO.File]::WriteAllText((Join-Path $env:IOCSCAN_TASK_DIR 'Good.json'), '{"version":1,"iocPaths":["/x"]}')
        @(Get-IocScanTask).Name | Should -Be @('Good')
    }
}
