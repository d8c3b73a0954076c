function Get-IocWindowsTaskState {
    <#
    .SYNOPSIS
    Reads a scan task's scheduled task in \IocScan\: schedule, account, state and last result.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Name)
    $state = [pscustomobject]@{
        Scheduler = 'TaskScheduler'; Schedule = $null; RunAs = $null; State = 'Missing'
        LastRunTime = $null; LastResult = $null; NextRunTime = $null
    }
    $task = Get-ScheduledTask -TaskName $Name -TaskPath $script:TaskFolder -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $task) { return $state }
    $state.State = [string](Get-IocProperty $task 'State' 'Unknown')
    $state.RunAs = Get-IocProperty (Get-IocProperty $task 'Principal') 'UserId'
    $state.Schedule = (@(Get-IocProperty $task 'Triggers' @()) | ForEach-Object { Format-IocTaskTrigger -Trigger $_ }) -join '; '
    $info = Get-ScheduledTaskInfo -TaskName $Name -TaskPath $script:TaskFolder -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -ne $info) {
        $state.LastRunTime = ConvertTo-IocTaskTime (Get-IocProperty $info 'LastRunTime')
        $state.NextRunTime = ConvertTo-IocTaskTime (Get-IocProperty $info 'NextRunTime')
        $lastResult = Get-IocProperty $info 'LastTaskResult'
        if ($null -ne $lastResult -and $null -ne $state.LastRunTime) { $state.LastResult = [long]$lastResult }
    }
    return $state
}

function ConvertTo-IocTaskTime {
    <#
    .SYNOPSIS
    Task Scheduler reports "never" as 1999-11-30 or 0001-01-01; those become $null.
    #>
    [CmdletBinding()]
    param([AllowNull()] $Value)
    $time = ConvertTo-IocDateTime $Value
    if ($null -eq $time -or $time.Year -lt 2000) { return $null }
    return $time
}
