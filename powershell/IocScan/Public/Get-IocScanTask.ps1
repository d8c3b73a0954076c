function Get-IocScanTask {
    <#
    .SYNOPSIS
    Lists the registered scan tasks with their schedule, account and last result.

    .DESCRIPTION
    Get-IocScanTask reads the saved task definitions (%ProgramData%\IocScan\tasks\*.json; on
    Linux /var/lib/iocscan/tasks or ~/.local/share/iocscan/tasks) and joins each with its
    scheduler entry: the Windows scheduled task \IocScan\<Name> (Get-ScheduledTask and
    Get-ScheduledTaskInfo), or on Linux the systemd timer iocscan-<Name>.timer. It returns one
    IocScan.ScanTask object per task: Name, Schedule, RunAs, State, LastRunTime, LastResult (the
    engine's exit code: 0 clean, 1 detections, 2 could not run, 3 incomplete), NextRunTime, IocPaths,
    DatabasePath, DefinitionPath, Definition (the saved parameters) and Scheduler.

    A definition whose scheduler entry is gone has State 'Missing'; register it again with
    Register-IocScanTask -Force or remove it with Unregister-IocScanTask.

    .PARAMETER Name
    Task names; wildcards are allowed. All tasks when not given.

    .EXAMPLE
    Get-IocScanTask

    Lists every scan task on this machine.

    .EXAMPLE
    Get-IocScanTask -Name Daily* | Where-Object LastResult -eq 1

    Shows the daily tasks whose last run found something.

    .INPUTS
    System.String
    .OUTPUTS
    IocScan.ScanTask
    #>
    [CmdletBinding()]
    [OutputType('IocScan.ScanTask')]
    param(
        [Parameter(Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [SupportsWildcards()]
        [ValidateNotNullOrEmpty()]
        [string[]] $Name = '*'
    )

    process {
        $directory = Get-IocDataPath -Kind TaskDirectory
        $files = @()
        if (Test-Path -LiteralPath $directory) {
            # Only names Register-IocScanTask can give: a hand-made "x`n.json" is no scan task.
            $files = @(Get-ChildItem -LiteralPath $directory -Filter '*.json' -File |
                    Where-Object { $_.BaseName -match $script:TaskNamePattern } | Sort-Object Name)
        }
        foreach ($pattern in $Name) {
            $matched = @($files | Where-Object { $_.BaseName -like $pattern })
            if ($matched.Count -eq 0 -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($pattern)) {
                $PSCmdlet.WriteError((New-IocErrorRecord -ErrorId TaskNotFound -Category ObjectNotFound -TargetObject $pattern `
                            -Message "There is no scan task named '$pattern' (looked in $directory)."))
                continue
            }
            foreach ($file in $matched) {
                try {
                    $definition = ConvertFrom-Json -InputObject ([System.IO.File]::ReadAllText($file.FullName)) -ErrorAction Stop
                } catch {
                    $PSCmdlet.WriteError((New-IocErrorRecord -ErrorId TaskDefinitionInvalid -Category InvalidData -TargetObject $file.FullName `
                                -InnerException $_.Exception -Message "The scan task definition '$($file.FullName)' is not readable JSON: $($_.Exception.Message)"))
                    continue
                }
                if (Test-IocWindows) {
                    $state = Get-IocWindowsTaskState -Name $file.BaseName
                } else {
                    $state = Get-IocSystemdTaskState -Name $file.BaseName
                }
                [pscustomobject]@{
                    PSTypeName     = 'IocScan.ScanTask'
                    Name           = $file.BaseName
                    Schedule       = $state.Schedule
                    RunAs          = $state.RunAs
                    State          = $state.State
                    LastRunTime    = $state.LastRunTime
                    LastResult     = $state.LastResult
                    NextRunTime    = $state.NextRunTime
                    IocPaths       = [string[]]@(Get-IocProperty $definition 'iocPaths' @())
                    DatabasePath   = Get-IocProperty $definition 'databasePath'
                    DefinitionPath = $file.FullName
                    Definition     = $definition
                    Scheduler      = $state.Scheduler
                }
            }
        }
    }
}
