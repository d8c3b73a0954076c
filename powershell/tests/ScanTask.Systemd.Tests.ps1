# The systemd side of the scan task commands (Linux/macOS): units are written to a folder in
# TestDrive (IOCSCAN_SYSTEMD_DIR) and systemctl is mocked, so nothing touches the host.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1') -Force
}

Describe 'Scan tasks with systemd' {
    BeforeEach {
        $script:Saved = Save-IocTestEnvironment
        $script:Case = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $env:IOCSCAN_TASK_DIR = Join-Path $Case 'var/lib/iocscan/tasks'
        $env:IOCSCAN_SYSTEMD_DIR = Join-Path $Case 'etc/systemd/system'
        $script:Engine = Join-Path $Case 'opt/iocscan/bin/iocscan'
        New-Item -ItemType Directory -Path (Split-Path $Engine) -Force | Out-Null
        Set-Content -Path $Engine -Value 'engine'
        $env:IOCSCAN_ENGINE = $Engine
        $script:Systemctl = New-Object System.Collections.Generic.List[string]

        Mock Test-IocWindows -ModuleName IocScan { $false }
        Mock Test-IocRoot -ModuleName IocScan { $true }
        Mock Test-IocSystemd -ModuleName IocScan { $true }
        Mock Invoke-IocSystemctl -ModuleName IocScan {
            $script:Systemctl.Add((@($(if ($UserScope) { '--user' })) + $Argument) -join ' ')
            if ($Argument[0] -eq 'show') {
                'ActiveState=active'
                'LastTriggerUSec=Fri 2026-11-27 02:00:03 UTC'
                'NextElapseUSecRealtime=Sat 2026-11-28 02:00:00 UTC'
                ''
                'ActiveState=inactive'
                'ExecMainStatus=1'
            }
        }
    }
    AfterEach {
        Restore-IocTestEnvironment $Saved
    }

    It 'writes a oneshot service running the engine with the definition, and a daily persistent timer' {
        $task = Register-IocScanTask -Name DailyScan -IocPath /srv/iocs -Path /home -Daily -At '02:00'
        $definition = Join-Path $env:IOCSCAN_TASK_DIR 'DailyScan.json'
        $definition | Should -Exist
        $service = Get-Content -Raw (Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-DailyScan.service')
        $timer = Get-Content -Raw (Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-DailyScan.timer')
        $service | Should -Match 'Type=oneshot'
        $service | Should -Match ([regex]::Escape("ExecStart=`"$Engine`" `"scan`" `"--task`" `"$definition`" `"--json`""))
        $service | Should -Match 'TimeoutStartSec=3600'
        $service | Should -Match 'SuccessExitStatus=1'
        $service | Should -Not -Match 'User='
        $timer | Should -Match 'OnCalendar=\*-\*-\* 02:00:00'
        $timer | Should -Match 'Persistent=true'
        $timer | Should -Match 'Unit=iocscan-DailyScan.service'
        $Systemctl | Should -Be @('daemon-reload', 'enable --now iocscan-DailyScan.timer', 'show iocscan-DailyScan.timer iocscan-DailyScan.service --property=ActiveState,LastTriggerUSec,NextElapseUSecRealtime,ExecMainStatus')

        $task.Scheduler | Should -Be 'systemd'
        $task.Schedule | Should -Be '*-*-* 02:00:00'
        $task.RunAs | Should -Be 'root'
        $task.State | Should -Be 'active'
        $task.LastRunTime | Should -Be ([datetime]'2026-11-27 02:00:03')
        $task.LastResult | Should -Be 1
    }

    It 'behaves in a fleet by default: RandomizedDelaySec=1800, Nice=10, idle I/O, AC power only' {
        Register-IocScanTask -Name Fleet -IocPath /srv/iocs -Daily -At '02:00' | Out-Null
        $service = Get-Content -Raw (Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-Fleet.service')
        $timer = Get-Content -Raw (Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-Fleet.timer')
        $timer | Should -Match '(?m)^RandomizedDelaySec=1800$'
        $service | Should -Match '(?m)^Nice=10$'
        $service | Should -Match '(?m)^IOSchedulingClass=idle$'
        $service | Should -Match '(?m)^ConditionACPower=true$'
        $service | Should -Match '(?m)^TimeoutStartSec=3600$'
    }

    It 'takes -RandomDelay, -Priority Normal and -AllowOnBattery, and 8 hours for all-drives' {
        Register-IocScanTask -Name Tuned -IocPath /srv/iocs -Preset all-drives -Daily -At '02:00' -RandomDelay (New-TimeSpan -Minutes 5) -Priority Normal -AllowOnBattery | Out-Null
        $service = Get-Content -Raw (Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-Tuned.service')
        Get-Content -Raw (Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-Tuned.timer') | Should -Match '(?m)^RandomizedDelaySec=300$'
        $service | Should -Match '(?m)^Nice=0$'
        $service | Should -Match '(?m)^IOSchedulingClass=best-effort$'
        $service | Should -Not -Match 'ConditionACPower'
        $service | Should -Match '(?m)^TimeoutStartSec=28800$'
    }

    It 'writes no RandomizedDelaySec with -RandomDelay 0' {
        Register-IocScanTask -Name Exact -IocPath /srv/iocs -Daily -At '02:00' -RandomDelay ([timespan]::Zero) | Out-Null
        Get-Content -Raw (Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-Exact.timer') | Should -Not -Match 'RandomizedDelaySec'
    }

    It 'without systemd, keeps the definition and says which cron line to use instead (IocScan.NoSystemd)' {
        Mock Test-IocSystemd -ModuleName IocScan { $false }
        $definition = Join-Path $env:IOCSCAN_TASK_DIR 'Cron.json'
        { Register-IocScanTask -Name Cron -IocPath /srv/iocs -Weekly -DaysOfWeek Monday, Friday -At '22:30' } |
            Should -Throw -ErrorId 'IocScan.NoSystemd,Register-IocScanTask' -ExpectedMessage "*30 22 * * 1,5 root sleep `$(shuf -i 0-1800 -n 1) && timeout 3600 nice -n 10 ionice -c 3 '$Engine' 'scan' '--task' '$definition' '--json' >/dev/null 2>&1*"
        $definition | Should -Exist
        Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-Cron.timer' | Should -Not -Exist
        $Systemctl.Count | Should -Be 0
    }

    It 'without systemd, gives an @reboot cron line for -AtStartup' {
        Mock Test-IocSystemd -ModuleName IocScan { $false }
        { Register-IocScanTask -Name Boot -IocPath /srv/iocs -AtStartup -RandomDelay ([timespan]::Zero) -Priority Normal } |
            Should -Throw -ErrorId 'IocScan.NoSystemd,Register-IocScanTask' -ExpectedMessage "*@reboot root timeout 3600 '$Engine'*"
    }

    It 'writes weekly, once and at-startup timers and the run time limit' {
        Register-IocScanTask -Name Weekly -IocPath /srv/iocs -Weekly -DaysOfWeek Friday, Monday -At '22:30' -ExecutionTimeLimit (New-TimeSpan -Hours 6) | Out-Null
        Register-IocScanTask -Name Once -IocPath /srv/iocs -Once -At '2026-12-24 18:00' | Out-Null
        Register-IocScanTask -Name Boot -IocPath /srv/iocs -AtStartup | Out-Null
        Get-Content -Raw (Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-Weekly.timer') | Should -Match 'OnCalendar=Mon,Fri \*-\*-\* 22:30:00'
        Get-Content -Raw (Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-Weekly.service') | Should -Match 'TimeoutStartSec=21600'
        Get-Content -Raw (Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-Once.timer') | Should -Match 'OnCalendar=2026-12-24 18:00:00'
        $boot = Get-Content -Raw (Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-Boot.timer')
        $boot | Should -Match 'OnBootSec='
        $boot | Should -Not -Match 'OnCalendar'
    }

    It 'runs as the -Credential user with User=, and refuses that without root' {
        $credential = New-Object System.Management.Automation.PSCredential -ArgumentList 'scanner', (ConvertTo-SecureString 'unused' -AsPlainText -Force)
        Register-IocScanTask -Name AsUser -IocPath /srv/iocs -AtStartup -Credential $credential | Out-Null
        Get-Content -Raw (Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-AsUser.service') | Should -Match '(?m)^User=scanner$'
        (Get-IocScanTask -Name AsUser).RunAs | Should -Be 'scanner'

        Mock Test-IocRoot -ModuleName IocScan { $false }
        { Register-IocScanTask -Name AsUser2 -IocPath /srv/iocs -AtStartup -Credential $credential } |
            Should -Throw -ErrorId 'IocScan.SchedulerFailed,Register-IocScanTask' -ExpectedMessage '*needs root*'
    }

    It 'uses systemctl --user for a non-root user' {
        Mock Test-IocRoot -ModuleName IocScan { $false }
        Register-IocScanTask -Name Mine -IocPath /srv/iocs -AtStartup | Out-Null
        $Systemctl[0..1] | Should -Be @('--user daemon-reload', '--user enable --now iocscan-Mine.timer')
    }

    It 'escapes % and $ and quotes in ExecStart' {
        $line = InModuleScope IocScan { ConvertTo-IocSystemdArgument -Argument '/opt/a b/iocscan', '100%', '$HOME', 'say "x"', 'C:\dir' }
        $line | Should -BeExactly '"/opt/a b/iocscan" "100%%" "$$HOME" "say \"x\"" "C:\\dir"'
    }

    It 'starts the service now without waiting' {
        Register-IocScanTask -Name DailyScan -IocPath /srv/iocs -Daily -At '02:00' | Out-Null
        Start-IocScanTask -Name DailyScan
        $Systemctl | Should -Contain 'start --no-block iocscan-DailyScan.service'
    }

    It 'removes the timer, the service and the definition' {
        Register-IocScanTask -Name DailyScan -IocPath /srv/iocs -Daily -At '02:00' | Out-Null
        Unregister-IocScanTask -Name DailyScan -Force
        $Systemctl | Should -Contain 'disable --now iocscan-DailyScan.timer'
        Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-DailyScan.timer' | Should -Not -Exist
        Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-DailyScan.service' | Should -Not -Exist
        Join-Path $env:IOCSCAN_TASK_DIR 'DailyScan.json' | Should -Not -Exist
    }

    It 'leaves nothing behind when systemd refuses the timer (IocScan.SchedulerFailed)' {
        Mock Invoke-IocSystemctl -ModuleName IocScan {
            throw (New-TestErrorRecord -ErrorId 'IocScan.SchedulerFailed' -Message 'systemctl enable failed: System has not been booted with systemd')
        }
        { Register-IocScanTask -Name DailyScan -IocPath /srv/iocs -Daily -At '02:00' } |
            Should -Throw -ErrorId 'IocScan.SchedulerFailed,Register-IocScanTask' -ExpectedMessage '*not been booted with systemd*'
        Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-DailyScan.timer' | Should -Not -Exist
        Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-DailyScan.service' | Should -Not -Exist
        Join-Path $env:IOCSCAN_TASK_DIR 'DailyScan.json' | Should -Not -Exist
    }

    It 'changes nothing with -WhatIf' {
        Register-IocScanTask -Name DailyScan -IocPath /srv/iocs -Daily -At '02:00' -WhatIf
        Join-Path $env:IOCSCAN_SYSTEMD_DIR 'iocscan-DailyScan.timer' | Should -Not -Exist
        Join-Path $env:IOCSCAN_TASK_DIR 'DailyScan.json' | Should -Not -Exist
        $Systemctl.Count | Should -Be 0
    }
}
