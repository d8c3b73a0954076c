function Format-IocTaskTrigger {
    <#
    .SYNOPSIS
    Describes a Task Scheduler trigger (a CIM MSFT_Task*Trigger instance) in words.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] $Trigger)
    $class = ''
    $cimClass = Get-IocProperty $Trigger 'CimClass'
    if ($null -ne $cimClass) { $class = [string](Get-IocProperty $cimClass 'CimClassName' '') }
    if (-not $class) { $class = ($Trigger.PSObject.TypeNames | Select-Object -First 1) -replace '^.*/', '' }
    $start = ConvertTo-IocDateTime (Get-IocProperty $Trigger 'StartBoundary')
    if ($null -ne $start) { $start = $start.ToLocalTime() }
    switch -Wildcard ($class) {
        '*TimeTrigger' { if ($start) { return 'once at {0:yyyy-MM-dd HH:mm}' -f $start } return 'once' }
        '*DailyTrigger' { if ($start) { return 'daily at {0:HH:mm}' -f $start } return 'daily' }
        '*WeeklyTrigger' {
            $mask = [int](Get-IocProperty $Trigger 'DaysOfWeek' 0)
            $days = @(0..6 | Where-Object { $mask -band (1 -shl $_) } | ForEach-Object { [System.DayOfWeek]$_ })
            $text = 'weekly on ' + ($days -join ', ')
            if ($start) { $text += ' at {0:HH:mm}' -f $start }
            return $text
        }
        '*BootTrigger' { return 'at startup' }
        '*LogonTrigger' { return 'at logon' }
    }
    return $class
}
