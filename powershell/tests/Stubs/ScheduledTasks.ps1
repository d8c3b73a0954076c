# Stand-ins for the ScheduledTasks module's cmdlets, which exist only on Windows. Pester can mock
# a command only when it exists, so on Linux these global functions (with the parameters the
# module uses) are defined first and then mocked; an unmocked call throws.
function global:New-ScheduledTaskAction {
    param([string] $Execute, [string] $Argument, [string] $WorkingDirectory, [string] $Id)
    throw 'stub: New-ScheduledTaskAction is not mocked'
}
function global:New-ScheduledTaskTrigger {
    param(
        [switch] $Once, [switch] $Daily, [switch] $Weekly, [switch] $AtStartup, [switch] $AtLogOn,
        [datetime] $At, [System.DayOfWeek[]] $DaysOfWeek, [int] $DaysInterval, [int] $WeeksInterval,
        [timespan] $RandomDelay, [string] $User
    )
    throw 'stub: New-ScheduledTaskTrigger is not mocked'
}
function global:New-ScheduledTaskPrincipal {
    param([string] $UserId, [string] $GroupId, [string] $LogonType, [string] $RunLevel, [string] $Id)
    throw 'stub: New-ScheduledTaskPrincipal is not mocked'
}
function global:New-ScheduledTaskSettingsSet {
    param(
        [switch] $StartWhenAvailable, [timespan] $ExecutionTimeLimit, [string] $MultipleInstances,
        [switch] $AllowStartIfOnBatteries, [switch] $DontStopIfGoingOnBatteries, [switch] $RunOnlyIfNetworkAvailable,
        [int] $Priority, [switch] $WakeToRun, [switch] $RunOnlyIfIdle, [timespan] $IdleDuration,
        [timespan] $IdleWaitTimeout, [switch] $DontStopOnIdleEnd
    )
    throw 'stub: New-ScheduledTaskSettingsSet is not mocked'
}
function global:Register-ScheduledTask {
    param(
        [string] $TaskName, [string] $TaskPath, $Action, $Trigger, $Settings, $Principal,
        [string] $User, [string] $Password, [string] $RunLevel, [string] $Description, [switch] $Force
    )
    throw 'stub: Register-ScheduledTask is not mocked'
}
function global:Get-ScheduledTask {
    [CmdletBinding()]
    param([string] $TaskName, [string] $TaskPath)
    throw 'stub: Get-ScheduledTask is not mocked'
}
function global:Get-ScheduledTaskInfo {
    [CmdletBinding()]
    param([string] $TaskName, [string] $TaskPath, $InputObject)
    throw 'stub: Get-ScheduledTaskInfo is not mocked'
}
function global:Start-ScheduledTask {
    [CmdletBinding()]
    param([string] $TaskName, [string] $TaskPath)
    throw 'stub: Start-ScheduledTask is not mocked'
}
function global:Unregister-ScheduledTask {
    [CmdletBinding(SupportsShouldProcess)]
    param([string] $TaskName, [string] $TaskPath)
    throw 'stub: Unregister-ScheduledTask is not mocked'
}
