# The isolation's duration bounds (issue 21, docs/isolation.md): 1 minute to 9,999 hours.
$script:IsolationMinimumDuration = [timespan]::FromMinutes(1)
$script:IsolationMaximumDuration = [timespan]::FromHours(9999)

function ConvertTo-IocIsolationDuration {
    <#
    .SYNOPSIS
    Spells a TimeSpan as the engine's --duration takes it: whole hours as Nh, else whole minutes as Nm.
    .DESCRIPTION
    Throws IocScan.InvalidDuration when the duration is outside 1 minute to 9,999 hours or is not
    a whole number of minutes (the engine counts in minutes at the finest).
    .EXAMPLE
    ConvertTo-IocIsolationDuration ([timespan]::FromMinutes(90))
    # 90m
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [timespan] $Duration)
    if ($Duration -lt $script:IsolationMinimumDuration -or $Duration -gt $script:IsolationMaximumDuration) {
        throw (New-IocErrorRecord -ErrorId InvalidDuration -Category InvalidArgument -TargetObject $Duration `
                -Message "An isolation lasts from 1 minute to 9999 hours; $Duration is outside that range.")
    }
    if ($Duration.Ticks % [timespan]::TicksPerMinute -ne 0) {
        throw (New-IocErrorRecord -ErrorId InvalidDuration -Category InvalidArgument -TargetObject $Duration `
                -Message "An isolation lasts a whole number of minutes; $Duration is not one.")
    }
    $minutes = [long]($Duration.Ticks / [timespan]::TicksPerMinute)
    if ($minutes % 60 -eq 0) { return '{0}h' -f ($minutes / 60) }
    return '{0}m' -f $minutes
}
