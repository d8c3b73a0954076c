# The Task Scheduler side of the scan task commands, run on any platform: the ScheduledTasks
# cmdlets are stubbed when absent (Linux) and always mocked, and Test-IocWindows is mocked true.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    if (-not (Get-Command Register-ScheduledTask -ErrorAction Ignore)) { . (Join-Path $PSScriptRoot 'Stubs/ScheduledTasks.ps1') }
    Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1') -Force
}

Describe 'Scan tasks on Windows' {
    BeforeEach {
        $script:Saved = Save-IocTestEnvironment
        $env:IOCSCAN_TASK_DIR = Join-Path $TestDrive "$([guid]::NewGuid().ToString('N'))/ProgramData/IocScan/tasks"
        $script:Engine = Join-Path $TestDrive 'bin/iocscan.exe'
        New-Item -ItemType Directory -Path (Split-Path $Engine) -Force | Out-Null
        Set-Content -Path $Engine -Value 'engine'
        $env:IOCSCAN_ENGINE = $Engine
        $script:Registered = @{}

        Mock Test-IocWindows -ModuleName IocScan { $true }
        $script:Order = New-Object System.Collections.Generic.List[string]
        Mock Protect-IocTaskFolder -ModuleName IocScan { $script:Order.Add("protect $Path") }
        Mock New-ScheduledTaskAction -ModuleName IocScan {
            [pscustomobject]@{ Kind = 'Action'; Execute = $Execute; Arguments = $Argument; WorkingDirectory = $WorkingDirectory }
        }
        Mock New-ScheduledTaskTrigger -ModuleName IocScan {
            [pscustomobject]@{ Kind = 'Trigger'; Once = [bool]$Once; Daily = [bool]$Daily; Weekly = [bool]$Weekly; AtStartup = [bool]$AtStartup; At = $At; DaysOfWeek = $DaysOfWeek; RandomDelay = $RandomDelay }
        }
        Mock New-ScheduledTaskPrincipal -ModuleName IocScan {
            [pscustomobject]@{ Kind = 'Principal'; UserId = $UserId; LogonType = $LogonType; RunLevel = $RunLevel }
        }
        Mock New-ScheduledTaskSettingsSet -ModuleName IocScan {
            [pscustomobject]@{ Kind = 'Settings'; StartWhenAvailable = [bool]$StartWhenAvailable; ExecutionTimeLimit = $ExecutionTimeLimit; MultipleInstances = $MultipleInstances }
        }
        Mock Register-ScheduledTask -ModuleName IocScan { $script:Order.Add("register $TaskName"); $script:Registered[$TaskName] = $true }
        Mock Get-ScheduledTask -ModuleName IocScan {
            if (-not $script:Registered.ContainsKey($TaskName)) { return }
            [pscustomobject]@{
                TaskName  = $TaskName; TaskPath = $TaskPath; State = 'Ready'
                Principal = [pscustomobject]@{ UserId = 'SYSTEM' }
                Triggers  = @([pscustomobject]@{
                        PSTypeName = 'Microsoft.Management.Infrastructure.CimInstance#Root/Microsoft/Windows/TaskScheduler/MSFT_TaskWeeklyTrigger'
                        StartBoundary = '2026-11-28T02:00:00'; DaysOfWeek = 2 + 32
                    })
            }
        }
        Mock Get-ScheduledTaskInfo -ModuleName IocScan {
            [pscustomobject]@{ LastRunTime = '2026-11-27T02:00:00'; LastTaskResult = 1; NextRunTime = '2026-11-28T02:00:00' }
        }
        Mock Start-ScheduledTask -ModuleName IocScan { }
        Mock Unregister-ScheduledTask -ModuleName IocScan { $script:Registered.Remove($TaskName) }
    }
    AfterEach {
        Restore-IocTestEnvironment $Saved
    }

    Context 'Register-IocScanTask' {
        It 'registers \IocScan\<Name> running the engine with the saved definition as SYSTEM, highest privileges' {
            $task = Register-IocScanTask -Name DailyScan -IocPath (Join-Path $TestDrive 'iocs') -Preset important-areas -Daily -At '02:00'
            $definition = Join-Path $env:IOCSCAN_TASK_DIR 'DailyScan.json'

            Should -Invoke New-ScheduledTaskAction -ModuleName IocScan -Times 1 -Exactly -ParameterFilter {
                $Execute -eq $Engine -and $Argument -eq "scan --task $definition --json" -and $WorkingDirectory -eq $env:IOCSCAN_TASK_DIR
            }
            Should -Invoke New-ScheduledTaskPrincipal -ModuleName IocScan -Times 1 -Exactly -ParameterFilter {
                $UserId -eq 'SYSTEM' -and $LogonType -eq 'ServiceAccount' -and $RunLevel -eq 'Highest'
            }
            Should -Invoke New-ScheduledTaskTrigger -ModuleName IocScan -Times 1 -Exactly -ParameterFilter {
                $Daily -and $At.Hour -eq 2 -and $At.Minute -eq 0 -and -not $Once -and -not $Weekly
            }
            Should -Invoke New-ScheduledTaskSettingsSet -ModuleName IocScan -Times 1 -Exactly -ParameterFilter {
                $StartWhenAvailable -and $ExecutionTimeLimit -eq (New-TimeSpan -Hours 1) -and $MultipleInstances -eq 'IgnoreNew'
            }
            Should -Invoke Register-ScheduledTask -ModuleName IocScan -Times 1 -Exactly -ParameterFilter {
                $TaskName -eq 'DailyScan' -and $TaskPath -eq '\IocScan\' -and $Principal.UserId -eq 'SYSTEM' -and
                $Action.Execute -eq $Engine -and $Trigger.Daily -and $Settings.MultipleInstances -eq 'IgnoreNew' -and
                -not $User -and -not $Password
            }
            $task.PSObject.TypeNames[0] | Should -Be 'IocScan.ScanTask'
            $task.Name | Should -Be 'DailyScan'
            $task.LastResult | Should -Be 1
        }

        It 'restricts the tasks folder to SYSTEM and Administrators before registering, and recreates the definition' {
            New-Item -ItemType Directory -Path $env:IOCSCAN_TASK_DIR -Force | Out-Null
            $script:Definition = Join-Path $env:IOCSCAN_TASK_DIR 'DailyScan.json'
            Set-Content -Path $Definition -Value '{"version":1,"iocPaths":["planted by someone else"]}'
            Mock Remove-Item -ModuleName IocScan -ParameterFilter { $LiteralPath -eq $script:Definition } {
                $script:Order.Add('delete definition')
                [System.IO.File]::Delete($LiteralPath)
            }
            Register-IocScanTask -Name DailyScan -IocPath /iocs -Daily -At '02:00' -Force | Out-Null
            $Order | Should -Be @("protect $($env:IOCSCAN_TASK_DIR)", 'delete definition', 'register DailyScan')
            (Get-Content -Raw $Definition | ConvertFrom-Json).iocPaths | Should -Be @('/iocs')
            $sddl = InModuleScope IocScan { $script:TaskFolderSddl }
            $sddl | Should -Be 'D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)'
        }

        It 'stops before registering when the tasks folder cannot be protected (IocScan.TaskFolderUnprotected)' {
            Mock Protect-IocTaskFolder -ModuleName IocScan { throw (New-TestErrorRecord -ErrorId 'IocScan.TaskFolderUnprotected' -Message 'Access denied') }
            { Register-IocScanTask -Name DailyScan -IocPath /iocs -Daily -At '02:00' } | Should -Throw -ErrorId 'IocScan.TaskFolderUnprotected,Register-IocScanTask'
            Should -Invoke Register-ScheduledTask -ModuleName IocScan -Times 0
            Join-Path $env:IOCSCAN_TASK_DIR 'DailyScan.json' | Should -Not -Exist
        }

        It 'saves the definition as a version 1 engine task file' {
            Register-IocScanTask -Name DailyScan -IocPath (Join-Path $TestDrive 'iocs') -Path 'C:\Users' -DataType file -Daily -At '02:00' | Out-Null
            $definitionJson = Get-Content -Raw (Join-Path $env:IOCSCAN_TASK_DIR 'DailyScan.json') | ConvertFrom-Json
            $definitionJson.version | Should -Be 1
            $definitionJson.taskName | Should -Be 'DailyScan'
            $definitionJson.iocPaths | Should -Be @((Join-Path $TestDrive 'iocs'))
            $definitionJson.types | Should -Be @('file')
            # No database given: the engine stores into its own default database.
            $definitionJson.PSObject.Properties.Name | Should -Not -Contain 'databasePath'
            $definitionJson.scopes[0].path | Should -Be 'C:\Users'
        }

        It 'runs as the -Credential account with its password and highest privileges instead of SYSTEM' {
            $password = ConvertTo-SecureString 'S3cret!pass' -AsPlainText -Force
            $credential = New-Object System.Management.Automation.PSCredential -ArgumentList 'CONTOSO\svc-iocscan', $password
            Register-IocScanTask -Name ShareScan -IocPath '\\fs01\ioc$' -Path '\\fs01\public' -Weekly -DaysOfWeek Monday, Friday -At '22:30' `
                -Credential $credential -ExecutionTimeLimit (New-TimeSpan -Hours 6) | Out-Null
            Should -Invoke New-ScheduledTaskPrincipal -ModuleName IocScan -Times 0
            Should -Invoke Register-ScheduledTask -ModuleName IocScan -Times 1 -Exactly -ParameterFilter {
                $User -eq 'CONTOSO\svc-iocscan' -and $Password -eq 'S3cret!pass' -and $RunLevel -eq 'Highest' -and $null -eq $Principal
            }
            Should -Invoke New-ScheduledTaskTrigger -ModuleName IocScan -Times 1 -Exactly -ParameterFilter {
                $Weekly -and @($DaysOfWeek).Count -eq 2 -and $DaysOfWeek -contains [System.DayOfWeek]::Friday -and $At.Hour -eq 22 -and $At.Minute -eq 30
            }
            Should -Invoke New-ScheduledTaskSettingsSet -ModuleName IocScan -ParameterFilter { $ExecutionTimeLimit -eq (New-TimeSpan -Hours 6) }
        }

        It 'behaves in a fleet by default: 30 minutes of random start delay, below-normal priority, no start on battery' {
            Register-IocScanTask -Name Fleet -IocPath /iocs -Daily -At '02:00' | Out-Null
            Should -Invoke New-ScheduledTaskTrigger -ModuleName IocScan -Times 1 -Exactly -ParameterFilter {
                $Daily -and $RandomDelay -eq (New-TimeSpan -Minutes 30)
            }
            Should -Invoke New-ScheduledTaskSettingsSet -ModuleName IocScan -Times 1 -Exactly -ParameterFilter {
                $Priority -eq 7 -and -not $AllowStartIfOnBatteries -and -not $DontStopIfGoingOnBatteries -and -not $RunOnlyIfIdle
            }
        }

        It 'takes -RandomDelay, -Priority, -AllowOnBattery and -RunOnlyIfIdle' {
            Register-IocScanTask -Name Tuned -IocPath /iocs -Weekly -DaysOfWeek Sunday -At '03:00' -RandomDelay (New-TimeSpan -Hours 2) `
                -Priority Idle -AllowOnBattery -RunOnlyIfIdle | Out-Null
            Should -Invoke New-ScheduledTaskTrigger -ModuleName IocScan -Times 1 -Exactly -ParameterFilter { $RandomDelay -eq (New-TimeSpan -Hours 2) }
            Should -Invoke New-ScheduledTaskSettingsSet -ModuleName IocScan -Times 1 -Exactly -ParameterFilter {
                $Priority -eq 9 -and $AllowStartIfOnBatteries -and $DontStopIfGoingOnBatteries -and $RunOnlyIfIdle -and
                $IdleDuration -eq (New-TimeSpan -Minutes 10) -and $DontStopOnIdleEnd
            }
        }

        It 'gives no random delay with -RandomDelay 0, and normal priority with -Priority Normal' {
            Register-IocScanTask -Name Exact -IocPath /iocs -Daily -At '02:00' -RandomDelay ([timespan]::Zero) -Priority Normal | Out-Null
            Should -Invoke New-ScheduledTaskTrigger -ModuleName IocScan -Times 1 -Exactly -ParameterFilter { -not $PSBoundParameters.ContainsKey('RandomDelay') }
            Should -Invoke New-ScheduledTaskSettingsSet -ModuleName IocScan -Times 1 -Exactly -ParameterFilter { $Priority -eq 5 }
        }

        It 'sets the time limit by the scope: 8 hours for all-drives, 1 hour otherwise' {
            Register-IocScanTask -Name Everything -IocPath /iocs -Preset all-drives -Daily -At '02:00' | Out-Null
            Should -Invoke New-ScheduledTaskSettingsSet -ModuleName IocScan -Times 1 -Exactly -ParameterFilter { $ExecutionTimeLimit -eq (New-TimeSpan -Hours 8) }
        }

        It 'builds <Schedule> triggers' -ForEach @(
            @{ Schedule = 'once'; Parameters = @{ Once = $true; At = [datetime]'2026-12-01T03:15:00' }; Filter = { $Once -and $At -eq [datetime]'2026-12-01T03:15:00' } }
            @{ Schedule = 'at-startup'; Parameters = @{ AtStartup = $true }; Filter = { $AtStartup -and -not $Daily } }
        ) {
            Register-IocScanTask -Name Trigger1 -IocPath /iocs @Parameters | Out-Null
            Should -Invoke New-ScheduledTaskTrigger -ModuleName IocScan -Times 1 -Exactly -ParameterFilter $Filter
        }

        It 'runs deno with the engine permission set and the bundle when there is no compiled engine' {
            Mock Resolve-IocEngine -ModuleName IocScan {
                [pscustomobject]@{
                    Kind = 'Deno'; FileName = 'C:\Program Files\deno\deno.exe'; Source = 'bundle'
                    Arguments = @('run', '--quiet', '--no-prompt', '--no-config', '--allow-all', 'C:\Program Files\WindowsPowerShell\Modules\IocScan\0.1.0\bin\iocscan.js')
                }
            }
            Register-IocScanTask -Name DenoTask -IocPath /iocs -AtStartup | Out-Null
            $definition = Join-Path $env:IOCSCAN_TASK_DIR 'DenoTask.json'
            $expected = 'run --quiet --no-prompt --no-config --allow-all ' +
                '"C:\Program Files\WindowsPowerShell\Modules\IocScan\0.1.0\bin\iocscan.js" scan --task ' + $definition + ' --json'
            Should -Invoke New-ScheduledTaskAction -ModuleName IocScan -Times 1 -Exactly -ParameterFilter {
                $Execute -eq 'C:\Program Files\deno\deno.exe' -and $Argument -eq $expected
            }
        }

        It 'quotes definition paths with spaces in the action arguments' {
            $env:IOCSCAN_TASK_DIR = Join-Path $TestDrive 'Program Data/tasks'
            Register-IocScanTask -Name Spaced -IocPath /iocs -AtStartup | Out-Null
            $definition = Join-Path $env:IOCSCAN_TASK_DIR 'Spaced.json'
            Should -Invoke New-ScheduledTaskAction -ModuleName IocScan -ParameterFilter { $Argument -eq "scan --task `"$definition`" --json" }
        }

        It 'refuses to replace an existing task without -Force (IocScan.TaskExists)' {
            Register-IocScanTask -Name DailyScan -IocPath /iocs -Daily -At '02:00' | Out-Null
            { Register-IocScanTask -Name DailyScan -IocPath /iocs -Daily -At '03:00' } | Should -Throw -ErrorId 'IocScan.TaskExists,Register-IocScanTask'
            Register-IocScanTask -Name DailyScan -IocPath /iocs -Daily -At '03:00' -Force | Out-Null
            Should -Invoke Register-ScheduledTask -ModuleName IocScan -Times 2 -Exactly
        }

        It 'changes nothing with -WhatIf' {
            Register-IocScanTask -Name DailyScan -IocPath /iocs -Daily -At '02:00' -WhatIf
            Should -Invoke Register-ScheduledTask -ModuleName IocScan -Times 0
            Should -Invoke New-ScheduledTaskAction -ModuleName IocScan -Times 0
            Join-Path $env:IOCSCAN_TASK_DIR 'DailyScan.json' | Should -Not -Exist
        }

        It 'rejects task names that are unsafe as file or unit names' {
            { Register-IocScanTask -Name '..\evil' -IocPath /iocs -AtStartup } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Register-IocScanTask'
        }

        It 'removes the definition again and throws IocScan.SchedulerFailed when Task Scheduler refuses' {
            Mock Register-ScheduledTask -ModuleName IocScan { throw 'Access is denied.' }
            { Register-IocScanTask -Name Denied -IocPath /iocs -AtStartup } | Should -Throw -ErrorId 'IocScan.SchedulerFailed,Register-IocScanTask' -ExpectedMessage '*Access is denied*'
            Join-Path $env:IOCSCAN_TASK_DIR 'Denied.json' | Should -Not -Exist
        }
    }

    Context 'Get-IocScanTask' {
        It 'joins each definition with its scheduled task' {
            Register-IocScanTask -Name DailyScan -IocPath /iocs -Daily -At '02:00' | Out-Null
            Register-IocScanTask -Name Other -IocPath /iocs -AtStartup | Out-Null
            $script:Registered.Remove('Other')
            $tasks = @(Get-IocScanTask)
            $tasks.Name | Should -Be @('DailyScan', 'Other')
            $tasks[0].Scheduler | Should -Be 'TaskScheduler'
            $tasks[0].RunAs | Should -Be 'SYSTEM'
            $tasks[0].State | Should -Be 'Ready'
            $tasks[0].Schedule | Should -Be 'weekly on Monday, Friday at 02:00'
            $tasks[0].LastResult | Should -Be 1
            $tasks[0].IocPaths | Should -Be @('/iocs')
            $tasks[1].State | Should -Be 'Missing'
            Should -Invoke Get-ScheduledTask -ModuleName IocScan -ParameterFilter { $TaskPath -eq '\IocScan\' }
        }

        It 'reports an unknown name as IocScan.TaskNotFound, and a wildcard matching nothing quietly' {
            Get-IocScanTask -Name Nope -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $problems[0].FullyQualifiedErrorId | Should -Be 'IocScan.TaskNotFound,Get-IocScanTask'
            Get-IocScanTask -Name 'No*' -ErrorAction Stop | Should -BeNullOrEmpty
        }

        It 'reports a corrupt definition as IocScan.TaskDefinitionInvalid' {
            New-Item -ItemType Directory -Path $env:IOCSCAN_TASK_DIR -Force | Out-Null
            Set-Content -Path (Join-Path $env:IOCSCAN_TASK_DIR 'Broken.json') -Value '{ not json'
            Get-IocScanTask -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            # ErrorVariable also holds the JSON parser's own (caught) error; the module's is the one with an IocScan id.
            @($problems | Where-Object { $_.FullyQualifiedErrorId -like 'IocScan.*' })[0].FullyQualifiedErrorId |
                Should -Be 'IocScan.TaskDefinitionInvalid,Get-IocScanTask'
        }
    }

    Context 'Start-IocScanTask and Unregister-IocScanTask' {
        BeforeEach {
            Register-IocScanTask -Name DailyScan -IocPath /iocs -Daily -At '02:00' | Out-Null
        }

        It 'starts the scheduled task in \IocScan\, from the pipeline too' {
            Get-IocScanTask -Name DailyScan | Start-IocScanTask
            Should -Invoke Start-ScheduledTask -ModuleName IocScan -Times 1 -Exactly -ParameterFilter { $TaskName -eq 'DailyScan' -and $TaskPath -eq '\IocScan\' }
        }

        It 'changes nothing with -WhatIf' {
            Start-IocScanTask -Name DailyScan -WhatIf
            Unregister-IocScanTask -Name DailyScan -WhatIf
            Should -Invoke Start-ScheduledTask -ModuleName IocScan -Times 0
            Should -Invoke Unregister-ScheduledTask -ModuleName IocScan -Times 0
            Join-Path $env:IOCSCAN_TASK_DIR 'DailyScan.json' | Should -Exist
        }

        It 'removes the scheduled task and the definition' {
            Unregister-IocScanTask -Name DailyScan -Confirm:$false
            Should -Invoke Unregister-ScheduledTask -ModuleName IocScan -Times 1 -Exactly -ParameterFilter { $TaskName -eq 'DailyScan' -and $TaskPath -eq '\IocScan\' }
            Join-Path $env:IOCSCAN_TASK_DIR 'DailyScan.json' | Should -Not -Exist
            Get-IocScanTask -Name 'Daily*' | Should -BeNullOrEmpty
        }

        It 'reports unknown tasks as IocScan.TaskNotFound' {
            Start-IocScanTask -Name Nope -ErrorVariable started -ErrorAction SilentlyContinue
            Unregister-IocScanTask -Name Nope -Confirm:$false -ErrorVariable removed -ErrorAction SilentlyContinue
            $started[0].FullyQualifiedErrorId | Should -Be 'IocScan.TaskNotFound,Start-IocScanTask'
            $removed[0].FullyQualifiedErrorId | Should -Be 'IocScan.TaskNotFound,Unregister-IocScanTask'
        }
    }
}
