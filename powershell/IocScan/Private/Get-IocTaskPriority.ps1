# What each -Priority of a scan task means to each scheduler, as data: Task Scheduler's task
# priority (0 highest .. 10 lowest; 7 is its below-normal class, which also lowers I/O and memory
# priority; 9 is idle), and for systemd and cron the CPU nice value and the I/O scheduling class
# (ionice -c: 2 best-effort, 3 idle).
$script:TaskPriorities = @{
    Normal      = [pscustomobject]@{ WindowsPriority = 5; Nice = 0; IOSchedulingClass = 'best-effort'; IoniceClass = 2 }
    BelowNormal = [pscustomobject]@{ WindowsPriority = 7; Nice = 10; IOSchedulingClass = 'idle'; IoniceClass = 3 }
    Idle        = [pscustomobject]@{ WindowsPriority = 9; Nice = 19; IOSchedulingClass = 'idle'; IoniceClass = 3 }
}
# How long the machine must be idle before a -RunOnlyIfIdle task starts.
$script:TaskIdleDuration = New-TimeSpan -Minutes 10
# The run time limit when -ExecutionTimeLimit is not given: by the widest scope the task has.
$script:TaskTimeLimitDefault = New-TimeSpan -Hours 1
$script:TaskTimeLimitByPreset = @{ 'all-drives' = (New-TimeSpan -Hours 8) }

function Get-IocTaskPriority {
    <#
    .SYNOPSIS
    Returns what a scan task priority (Normal, BelowNormal, Idle) means to Task Scheduler, systemd and cron.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [ValidateSet('Normal', 'BelowNormal', 'Idle')] [string] $Priority)
    return $script:TaskPriorities[$Priority]
}

function Get-IocTaskTimeLimit {
    <#
    .SYNOPSIS
    Returns the default run time limit of a scan task with these presets: 8 hours for all-drives, else 1 hour.
    #>
    [CmdletBinding()]
    [OutputType([timespan])]
    param([string[]] $Preset)
    $limit = $script:TaskTimeLimitDefault
    foreach ($name in @($Preset)) {
        if ($name -and $script:TaskTimeLimitByPreset.ContainsKey($name) -and $script:TaskTimeLimitByPreset[$name] -gt $limit) {
            $limit = $script:TaskTimeLimitByPreset[$name]
        }
    }
    return $limit
}
