function Register-IocScanTask {
    <#
    .SYNOPSIS
    Saves a scan task and schedules it: a Windows scheduled task in \IocScan\, or a systemd timer on Linux.

    .DESCRIPTION
    Register-IocScanTask saves the scan parameters and the IOC file set as a task definition, a JSON
    file in %ProgramData%\IocScan\tasks\<Name>.json (Linux: /var/lib/iocscan/tasks as root,
    ~/.local/share/iocscan/tasks otherwise). That file is the engine's task file, so the scheduled
    run is simply `iocscan scan --task <definition> --json`, with no long command line to quote.

    On Windows the tasks folder gets a protected ACL first (SYSTEM and Administrators full
    control, Users read), because a SYSTEM task runs whatever its definition says and every user
    may create files in %ProgramData%. Then it registers the scheduled task <Name> in the Task Scheduler folder \IocScan\ with
    the ScheduledTasks cmdlets:
      - Action: the engine (bin\iocscan.exe next to the module, or deno running the bundled
        engine with its permission set) with `scan --task <definition> --json`.
      - Principal: SYSTEM (LogonType ServiceAccount) with highest privileges, unless -Credential.
      - Settings: StartWhenAvailable (a start missed while the machine was off or asleep runs as
        soon as it can), ExecutionTimeLimit (-ExecutionTimeLimit: 8 hours for -Preset all-drives,
        1 hour otherwise), MultipleInstances IgnoreNew (a run never overlaps the previous one),
        the task priority (-Priority: BelowNormal by default, Task Scheduler's priority 7, which
        also lowers the run's I/O and memory priority), no start on battery and a stop when the
        machine goes on battery (unless -AllowOnBattery), and with -RunOnlyIfIdle a start only
        after 10 idle minutes.
      - Triggers: -Once -At, -Daily -At, -Weekly -DaysOfWeek -At, or -AtStartup, each with a random
        start delay (-RandomDelay, 30 minutes by default), so that a fleet given the same time
        does not start together against the same file servers and database.
    Each run stores its results in the database named by -DatabasePath, or in the engine's default
    database (%ProgramData%\IocScan\iocscan.db; on Linux /var/lib/iocscan/iocscan.db as root);
    read them with Get-IocScanResult. The task's Last Run Result is the
    engine's exit code: 0 clean, 1 detections, 2 could not run, 3 incomplete.

    Why -Credential: SYSTEM has no mapped drives, and on the network it authenticates as the
    computer account (DOMAIN\HOST$). A scan of a network share (or IOCs kept on one) works as
    SYSTEM only when the share and NTFS permissions grant that computer account or Domain
    Computers; otherwise register the task with -Credential for a named account that can read the
    share, and use UNC paths (\\server\share\...), never drive letters. The password is stored by
    Task Scheduler (LSA secrets) and must be registered again when it changes.

    Task Scheduler has no Wake-on-LAN and does not wake a machine that is switched off; a powered-
    off machine runs the missed scan after it starts (StartWhenAvailable). Wake machines with your
    management tool if scans must run at a fixed hour.

    On Linux, where Task Scheduler does not exist, the same command writes a systemd service and
    timer, iocscan-<Name>.service and iocscan-<Name>.timer (in /etc/systemd/system as root, or
    ~/.config/systemd/user for a user's own systemd instance), then enables and starts the timer.
    -Credential sets the service's User= (the password is not needed and not stored; this needs root).
    The same fleet settings apply: the timer's RandomizedDelaySec (-RandomDelay), the service's
    Nice= and IOSchedulingClass= (-Priority; BelowNormal is Nice=10 with idle I/O), and
    ConditionACPower=true unless -AllowOnBattery (systemd has no idle condition: -RunOnlyIfIdle is
    Windows only). A stop at the time limit (TimeoutStartSec) is a SIGTERM, which the engine
    records as an interrupted run (exit code 143). Where the host has no systemd (a container, a
    SysV or OpenRC host), the definition is saved and the command stops with IocScan.NoSystemd and
    the /etc/crontab line that runs it with the same schedule, delay, limit and priority.

    Values that reach a task definition are checked first: a control character in the user name,
    the engine path or the task folder is refused (IocScan.UnsafeTaskValue), so that no value can
    add a directive to a root service or a SYSTEM task; unit values are escaped by systemd's rules
    (% doubled, ExecStart quoted with \ " $ escaped), and on Windows a % in the action is refused
    (Task Scheduler would expand it as a variable).

    A database password in -DatabasePath (postgres://user:password@host/db, or password=) is
    never written into the definition, the unit, the task or a command line: the definition keeps
    the URL without it, and the password goes to <Name>.secret beside the definition, readable by
    the task's account only. On Linux that is a 0600 root file the service names with
    EnvironmentFile=, so systemd puts PGPASSWORD in the engine's environment. On Windows it is
    encrypted with DPAPI (machine scope) in a file restricted to SYSTEM, Administrators and the
    task's account, and the task runs the module's launcher (Launcher\Start-IocTaskEngine.ps1)
    under PowerShell, which decrypts it into PGPASSWORD and starts the engine. Definitions are
    0600 on Linux.

    .PARAMETER Name
    The task name: letters, digits, '.', '_' and '-', at most 64 characters.
    .PARAMETER IocPath
    OpenIOC files or folders the task evaluates. Stored as absolute paths.
    .PARAMETER Path
    Folders or files to scan.
    .PARAMETER Depth
    How deep to descend below each -Path folder.
    .PARAMETER Preset
    Predefined scopes: important-areas or all-drives.
    .PARAMETER Exclude
    Glob patterns of paths not to scan.
    .PARAMETER DataType
    The data families to collect: file, eventlog, registry, process, port, dns, arp, route, network,
    url-history, volume, user, system, task, autoruns, service, driver, disk (Data/Collectors.psd1).
    .PARAMETER EventLog
    Event log channels to read.
    .PARAMETER RegistryKey
    Registry keys to read.
    .PARAMETER RegistryFull
    Read the whole registry.
    .PARAMETER EndpointNetwork
    Match Network/DNS and Network/URI items against the host names this machine resolved (opt-in).
    .PARAMETER Evidence
    Offline evidence (.evtx, hive files, mounted roots) to scan on each run. An empty list is
    refused: without evidence the task would scan this machine.
    .PARAMETER DiskImage
    Raw disk images (.img, .dd, .raw) read for DiskItem terms on each run (offline evidence).
    .PARAMETER DatabasePath
    Where each run stores its results: a SQLite file or a postgres:// URL. Defaults to the engine's
    database (%ProgramData%\IocScan\iocscan.db on Windows). A password in the URL is kept apart
    (see the description).
    .PARAMETER MaxFileSize
    Files larger than this many bytes are skipped.
    .PARAMETER Action
    Response actions each run takes on its detections, written into the task file (actions):
    CriticalScan, Quarantine, Isolate (Data/Actions.psd1; docs/actions.md). The parameters below
    are the actions' options, as for Invoke-IocScan.
    .PARAMETER QuarantinePath
    The quarantine store of -Action Quarantine.
    .PARAMETER MaxActions
    Act on at most this many objects per run (default 50).
    .PARAMETER MaxQuarantineSize
    Files larger than this many bytes are refused by the quarantine (default 100 MB).
    .PARAMETER ForceAction
    Quarantine system-critical files too.
    .PARAMETER Terminate
    Stop the processes running a detected image before deleting it.
    .PARAMETER IsolationDuration
    How long -Action Isolate isolates the host: a TimeSpan (New-TimeSpan -Hours 8) or the engine's
    spelling (8h, 90m, 1h30m); 1 minute to 9999 hours, 8 hours by default.
    .PARAMETER IsolationAllow
    Peers -Action Isolate also allows, HOST[:PORT][/tcp|udp] each (names are resolved before
    anything is blocked). Loopback, DHCP, neighbour discovery, the DNS servers and the results
    database's host are always allowed.
    .PARAMETER IsolationProbe
    The forbidden target (HOST:PORT, TCP) of the isolation's self-test; by default TCP 443 of the
    default gateway.
    .PARAMETER IsolationReason
    Why, for the isolation's audit (default: the names of the detecting IOCs).
    .PARAMETER Antivirus
    The antivirus -Action CriticalScan hands the critical set to: auto (ClamAV on Linux, Defender
    on Windows), clamav, defender or none.
    .PARAMETER ClamavDatabase
    The ClamAV signature database (file or folder) clamscan loads for -Action CriticalScan.
    .PARAMETER Once
    Run once, at -At.
    .PARAMETER Daily
    Run every day at the time of -At.
    .PARAMETER Weekly
    Run every week on -DaysOfWeek at the time of -At.
    .PARAMETER AtStartup
    Run when the machine starts.
    .PARAMETER At
    The date and time (-Once) or the time of day (-Daily, -Weekly).
    .PARAMETER DaysOfWeek
    The days a -Weekly task runs.
    .PARAMETER Credential
    Run as this account instead of SYSTEM (needed for network shares that the computer account
    cannot read; see the description).
    .PARAMETER ExecutionTimeLimit
    Stop a run that takes longer than this. Default: 8 hours with -Preset all-drives, else 1 hour.
    .PARAMETER RandomDelay
    Start each run at a random moment up to this long after the scheduled time (default 30
    minutes; [timespan]::Zero for none).
    .PARAMETER Priority
    CPU and I/O priority of the runs: BelowNormal (default), Idle or Normal.
    .PARAMETER AllowOnBattery
    Also start on battery power, and keep running when the machine goes on battery.
    .PARAMETER RunOnlyIfIdle
    Windows: start only after the machine has been idle for 10 minutes (waiting up to the time
    limit), and keep running when it stops being idle.
    .PARAMETER Force
    Replace an existing task of the same name.

    .EXAMPLE
    Register-IocScanTask -Name DailyScan -IocPath C:\IOCs -Preset important-areas -Daily -At 02:00

    Scans the important areas every night at 02:00 as SYSTEM, storing results in
    %ProgramData%\IocScan\iocscan.db.

    .EXAMPLE
    $account = Get-Credential CONTOSO\svc-iocscan
    Register-IocScanTask -Name ShareScan -IocPath \\fs01\ioc$ -Path \\fs01\public -Weekly -DaysOfWeek Saturday -At 22:00 -Credential $account -ExecutionTimeLimit (New-TimeSpan -Hours 6)

    Scans a file share every Saturday as a named account, which (unlike SYSTEM) can reach the share.

    .EXAMPLE
    Register-IocScanTask -Name NightlyResponse -IocPath C:\IOCs -Preset important-areas -Daily -At 02:00 -Action CriticalScan, Quarantine, Isolate -IsolationDuration 8h
    Each night scans the important areas and the critical areas, quarantines what is detected and
    then isolates the host for eight hours if anything was.
    .EXAMPLE
    Register-IocScanTask -Name BootCheck -IocPath C:\IOCs -DataType registry -AtStartup -WhatIf

    Shows what would be registered without changing anything.

    .INPUTS
    None.
    .OUTPUTS
    IocScan.ScanTask
    #>
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Daily')]
    [OutputType('IocScan.ScanTask')]
    param(
        [Parameter(Mandatory, Position = 0)] [ValidatePattern('\A[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z')] [string] $Name,
        [Parameter(Mandatory)] [ValidateNotNullOrEmpty()] [string[]] $IocPath,
        [string[]] $Path,
        [ValidateRange(0, 4096)] [Nullable[int]] $Depth,
        [ValidateSet('important-areas', 'all-drives')] [string[]] $Preset,
        [string[]] $Exclude,
        [ValidateScript({ Assert-IocCollectorName $_ })]
        [ArgumentCompleter({ param($command, $parameter, $word) & (Get-Module IocScan) { (Get-IocCollector).Name } | Where-Object { $_ -like "$word*" } })]
        [string[]] $DataType,
        [string[]] $EventLog,
        [string[]] $RegistryKey,
        [switch] $RegistryFull,
        [switch] $EndpointNetwork,
        [ValidateNotNullOrEmpty()] [string[]] $Evidence,
        [ValidateNotNullOrEmpty()] [string[]] $DiskImage,
        [string] $DatabasePath,
        [ValidateRange(1, [long]::MaxValue)] [Nullable[long]] $MaxFileSize,
        [ValidateScript({ Assert-IocActionName $_ })]
        [ArgumentCompleter({ param($command, $parameter, $word) & (Get-Module IocScan) { (Get-IocAction).Name } | Where-Object { $_ -like "$word*" } })]
        [string[]] $Action,
        [string] $QuarantinePath,
        [ValidateRange(1, [int]::MaxValue)] [Nullable[long]] $MaxActions,
        [ValidateRange(1, [long]::MaxValue)] [Nullable[long]] $MaxQuarantineSize,
        [switch] $ForceAction,
        [switch] $Terminate,
        [object] $IsolationDuration,
        [ValidateScript({ Assert-IocIsolationAllow -Value $_; $true })] [string[]] $IsolationAllow,
        [ValidateScript({ Assert-IocIsolationAllow -Value $_; $true })] [string] $IsolationProbe,
        [string] $IsolationReason,
        [ValidateSet('auto', 'clamav', 'defender', 'none')] [string] $Antivirus,
        [ValidateNotNullOrEmpty()] [string] $ClamavDatabase,
        [Parameter(Mandatory, ParameterSetName = 'Once')] [switch] $Once,
        [Parameter(Mandatory, ParameterSetName = 'Daily')] [switch] $Daily,
        [Parameter(Mandatory, ParameterSetName = 'Weekly')] [switch] $Weekly,
        [Parameter(Mandatory, ParameterSetName = 'AtStartup')] [switch] $AtStartup,
        [Parameter(Mandatory, ParameterSetName = 'Once')]
        [Parameter(Mandatory, ParameterSetName = 'Daily')]
        [Parameter(Mandatory, ParameterSetName = 'Weekly')]
        [datetime] $At,
        [Parameter(Mandatory, ParameterSetName = 'Weekly')] [System.DayOfWeek[]] $DaysOfWeek,
        [System.Management.Automation.PSCredential] [System.Management.Automation.Credential()] $Credential,
        [ValidateScript({ $_ -gt [timespan]::Zero })] [timespan] $ExecutionTimeLimit,
        [ValidateScript({ $_ -ge [timespan]::Zero })] [timespan] $RandomDelay = (New-TimeSpan -Minutes 30),
        [ValidateSet('Normal', 'BelowNormal', 'Idle')] [string] $Priority = 'BelowNormal',
        [switch] $AllowOnBattery,
        [switch] $RunOnlyIfIdle,
        [switch] $Force
    )

    try {
        $schedule = $PSCmdlet.ParameterSetName
        if (-not $PSBoundParameters.ContainsKey('ExecutionTimeLimit')) { $ExecutionTimeLimit = Get-IocTaskTimeLimit -Preset $Preset }
        $priorityRow = Get-IocTaskPriority -Priority $Priority
        $definitionPath = Get-IocTaskDefinitionPath -Name $Name
        if ((Test-Path -LiteralPath $definitionPath) -and -not $Force) {
            throw (New-IocErrorRecord -ErrorId TaskExists -Category ResourceExists -TargetObject $Name `
                    -Message "A scan task named '$Name' exists ($definitionPath). Use -Force to replace it, or Unregister-IocScanTask first.")
        }

        $documentParameters = @{ TaskName = $Name }
        # The scan's own parameters, then each collector option's (Data/Collectors.psd1).
        $taskParameters = @('IocPath', 'Path', 'Depth', 'DataType', 'Evidence', 'DatabasePath') +
            @((Get-IocCollector).Options | ForEach-Object { $_.Parameter }) +
            # The actions and their options (Data/Actions.psd1): a scheduled scan takes actions too.
            # The shared WhatIf is left out: -WhatIf here means "register nothing".
            @('Action') + @((Get-IocAction).Options | ForEach-Object { $_.Parameter })
        foreach ($key in $PSBoundParameters.Keys) {
            if ($key -in $taskParameters) {
                $documentParameters[$key] = $PSBoundParameters[$key]
            }
        }
        $databaseSecret = $null
        if ($DatabasePath) {
            $split = Split-IocDatabaseSecret $DatabasePath
            $documentParameters.DatabasePath = $split.Location
            $databaseSecret = $split.Password
            if ($null -ne $databaseSecret) { Assert-IocTaskValue -Value $databaseSecret -What 'database password' }
        }
        $document = New-IocTaskDocument @documentParameters
        $command = Get-IocTaskCommand -DefinitionPath $definitionPath -Permission (Get-IocScanPermission -Document $document)
        $workingDirectory = Split-Path -Parent $definitionPath
        $secretPath = Get-IocTaskDefinitionPath -Name $Name -Part Secret

        $windows = Test-IocWindows
        if ($Credential) { $runAs = $Credential.UserName }
        elseif ($windows) { $runAs = 'SYSTEM' }
        elseif (Test-IocRoot) { $runAs = 'root' }
        else { $runAs = [Environment]::UserName }
        Assert-IocTaskValue -Value $runAs -What 'user name'
        if ($windows) {
            # The cmdlets escape the task XML themselves; what they cannot make safe is refused here.
            Assert-IocTaskValue -Value $workingDirectory -What 'task folder' -ForbidPercent
            Assert-IocTaskValue -Value $command.FileName -What 'engine path' -ForbidPercent
            foreach ($argument in $command.Arguments) { Assert-IocTaskValue -Value $argument -What 'command line' -ForbidPercent }
            if ($null -ne $databaseSecret) {
                $launcher = Join-Path (Join-Path $script:ModuleRoot 'Launcher') 'Start-IocTaskEngine.ps1'
                $engineCommand = ConvertTo-Json -InputObject ([string[]](@($command.FileName) + @($command.Arguments))) -Compress
                $command = [pscustomobject]@{
                    FileName  = Get-IocPowerShellPath
                    Arguments = @('-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', $launcher,
                        '-SecretPath', $secretPath, '-EngineCommand', [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($engineCommand)))
                }
                Assert-IocTaskValue -Value $command.FileName -What 'PowerShell path' -ForbidPercent
                foreach ($argument in $command.Arguments) { Assert-IocTaskValue -Value $argument -What 'command line' -ForbidPercent }
            }
        }
        $when = switch ($schedule) {
            'Once' { 'once at {0:yyyy-MM-dd HH:mm}' -f $At }
            'Daily' { 'daily at {0:HH:mm}' -f $At }
            'Weekly' { 'weekly on {0} at {1:HH:mm}' -f (($DaysOfWeek | Sort-Object -Unique) -join ', '), $At }
            'AtStartup' { 'at startup' }
        }
        if (-not $PSCmdlet.ShouldProcess($Name, "Register a scan task that runs $when as $runAs")) { return }

        if ($windows) {
            Protect-IocTaskFolder -Path $workingDirectory -Confirm:$false
            # A new file, so that it inherits the folder's protected ACL and no earlier owner keeps rights to it.
            foreach ($old in $definitionPath, $secretPath) {
                if (Test-Path -LiteralPath $old) { Remove-Item -LiteralPath $old -Force -Confirm:$false -ErrorAction Stop }
            }
            Write-IocTaskFile -Document $document -Path $definitionPath
            if ($null -ne $databaseSecret) { Write-IocTaskSecret -Path $secretPath -Password $databaseSecret -Account $runAs }
            $scheduledAction = New-ScheduledTaskAction -Execute $command.FileName -Argument (ConvertTo-IocCommandLine -Argument $command.Arguments) `
                -WorkingDirectory $workingDirectory
            $delay = @{}
            if ($RandomDelay -gt [timespan]::Zero) { $delay.RandomDelay = $RandomDelay }
            $trigger = switch ($schedule) {
                'Once' { New-ScheduledTaskTrigger -Once -At $At @delay }
                'Daily' { New-ScheduledTaskTrigger -Daily -At $At @delay }
                'Weekly' { New-ScheduledTaskTrigger -Weekly -DaysOfWeek $DaysOfWeek -At $At @delay }
                'AtStartup' { New-ScheduledTaskTrigger -AtStartup @delay }
            }
            $conditions = @{}
            if ($AllowOnBattery) { $conditions.AllowStartIfOnBatteries = $true; $conditions.DontStopIfGoingOnBatteries = $true }
            if ($RunOnlyIfIdle) {
                $conditions.RunOnlyIfIdle = $true
                $conditions.IdleDuration = $script:TaskIdleDuration
                $conditions.IdleWaitTimeout = $ExecutionTimeLimit
                $conditions.DontStopOnIdleEnd = $true
            }
            $settings = New-ScheduledTaskSettingsSet -StartWhenAvailable -ExecutionTimeLimit $ExecutionTimeLimit -MultipleInstances IgnoreNew `
                -Priority $priorityRow.WindowsPriority @conditions
            $registration = @{
                TaskName    = $Name
                TaskPath    = $script:TaskFolder
                Action      = $scheduledAction
                Trigger     = $trigger
                Settings    = $settings
                Description = "iocscan scan task $Name ($when). Definition: $definitionPath. Manage with the IocScan PowerShell module."
                Force       = $true
            }
            if ($Credential) {
                $registration.User = $Credential.UserName
                $registration.Password = $Credential.GetNetworkCredential().Password
                $registration.RunLevel = 'Highest'
            } else {
                $registration.Principal = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Highest
            }
            try {
                [void](Register-ScheduledTask @registration -ErrorAction Stop)
            } catch {
                foreach ($leftover in $definitionPath, $secretPath) {
                    Remove-Item -LiteralPath $leftover -Force -ErrorAction SilentlyContinue -WhatIf:$false -Confirm:$false
                }
                throw (New-IocErrorRecord -ErrorId SchedulerFailed -Category InvalidOperation -TargetObject $Name -InnerException $_.Exception `
                        -Message "Task Scheduler refused the task '$Name': $($_.Exception.Message)")
            }
        } else {
            $scope = Get-IocSystemdScope
            if ($Credential -and $scope.UserScope) {
                throw (New-IocErrorRecord -ErrorId SchedulerFailed -Category PermissionDenied -TargetObject $Name `
                        -Message 'Running a scan task as another user (-Credential) needs root on Linux: the unit goes to the system manager with User=.')
            }
            $unitParameters = @{
                Name               = $Name
                FileName           = $command.FileName
                Arguments          = $command.Arguments
                Schedule           = $schedule
                ExecutionTimeLimit = $ExecutionTimeLimit
                WorkingDirectory   = $workingDirectory
                RandomDelay        = $RandomDelay
                Priority           = $priorityRow
                AllowOnBattery     = [bool]$AllowOnBattery
            }
            if ($PSBoundParameters.ContainsKey('At')) { $unitParameters.At = $At }
            if ($DaysOfWeek) { $unitParameters.DaysOfWeek = $DaysOfWeek }
            if ($Credential) { $unitParameters.User = $Credential.UserName }
            if ($null -ne $databaseSecret) { $unitParameters.EnvironmentFile = $secretPath }
            $units = New-IocSystemdUnit @unitParameters
            Write-IocTaskFile -Document $document -Path $definitionPath
            if ($null -ne $databaseSecret) { Write-IocTaskSecret -Path $secretPath -Password $databaseSecret -Account $runAs }
            elseif (Test-Path -LiteralPath $secretPath) { Remove-Item -LiteralPath $secretPath -Force -WhatIf:$false -Confirm:$false -ErrorAction Stop }
            if (-not (Test-IocSystemd)) {
                $cron = @{
                    Schedule = $schedule; User = $runAs; Command = @($command.FileName) + @($command.Arguments)
                    ExecutionTimeLimit = $ExecutionTimeLimit; RandomDelay = $RandomDelay; Priority = $priorityRow
                }
                if ($PSBoundParameters.ContainsKey('At')) { $cron.At = $At }
                if ($DaysOfWeek) { $cron.DaysOfWeek = $DaysOfWeek }
                if ($null -ne $databaseSecret) { $cron.EnvironmentFile = $secretPath }
                $line = Format-IocCronLine @cron
                throw (New-IocErrorRecord -ErrorId NoSystemd -Category NotImplemented -TargetObject $Name -Message (
                        "This host has no systemd (no /run/systemd/system), so no timer was registered. The task definition is saved " +
                        "at '$definitionPath'; to run it on schedule, add this line to /etc/crontab:`n$line"))
            }
            if (-not (Test-Path -LiteralPath $scope.Directory)) {
                [void](New-Item -ItemType Directory -Path $scope.Directory -Force -WhatIf:$false -Confirm:$false)
            }
            $utf8 = New-Object System.Text.UTF8Encoding -ArgumentList $false
            $servicePath = Join-Path $scope.Directory "iocscan-$Name.service"
            $timerPath = Join-Path $scope.Directory "iocscan-$Name.timer"
            [System.IO.File]::WriteAllText($servicePath, $units.Service, $utf8)
            [System.IO.File]::WriteAllText($timerPath, $units.Timer, $utf8)
            try {
                [void](Invoke-IocSystemctl -UserScope:$scope.UserScope -Argument 'daemon-reload')
                [void](Invoke-IocSystemctl -UserScope:$scope.UserScope -Argument 'enable', '--now', "iocscan-$Name.timer")
            } catch {
                # Leave no half-registered task behind: systemd did not take it.
                foreach ($leftover in $servicePath, $timerPath, $definitionPath, $secretPath) {
                    Remove-Item -LiteralPath $leftover -Force -ErrorAction SilentlyContinue -WhatIf:$false -Confirm:$false
                }
                throw
            }
        }
        Get-IocScanTask -Name $Name
    } catch [System.Management.Automation.PipelineStoppedException] {
        throw
    } catch {
        $PSCmdlet.ThrowTerminatingError($_)
    }
}
