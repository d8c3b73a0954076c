function Format-IocCronLine {
    <#
    .SYNOPSIS
    Writes the /etc/crontab line that runs a scan task where there is no systemd.
    .DESCRIPTION
    The line has the same schedule as the timer would (minute hour day month weekday; @reboot for
    -AtStartup; -Once becomes that date's line, to be removed after it ran), the run-as user, a
    random start delay (sleep of up to -RandomDelay seconds, shuf), the run time limit (timeout,
    which sends SIGTERM: the engine records the run as interrupted), the priority (nice, ionice)
    and the engine command, each word single-quoted. A database password file is sourced into the
    environment (never put on the command line). % is escaped, as cron requires.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)] [ValidateSet('Once', 'Daily', 'Weekly', 'AtStartup')] [string] $Schedule,
        [datetime] $At,
        [System.DayOfWeek[]] $DaysOfWeek,
        [Parameter(Mandatory)] [string] $User,
        [Parameter(Mandatory)] [string[]] $Command,
        [Parameter(Mandatory)] [timespan] $ExecutionTimeLimit,
        [Parameter(Mandatory)] [timespan] $RandomDelay,
        [Parameter(Mandatory)] [psobject] $Priority,
        [string] $EnvironmentFile
    )
    $quote = { param($word) "'" + ($word -replace "'", "'\''") + "'" }
    $when = switch ($Schedule) {
        'Once' { '{0} {1} {2} {3} *' -f $At.Minute, $At.Hour, $At.Day, $At.Month }
        'Daily' { '{0} {1} * * *' -f $At.Minute, $At.Hour }
        'Weekly' { '{0} {1} * * {2}' -f $At.Minute, $At.Hour, ((@($DaysOfWeek | ForEach-Object { [int]$_ }) | Sort-Object -Unique) -join ',') }
        'AtStartup' { '@reboot' }
    }
    $parts = New-Object System.Collections.Generic.List[string]
    $delay = [long][Math]::Floor($RandomDelay.TotalSeconds)
    if ($delay -gt 0) { $parts.Add("sleep `$(shuf -i 0-$delay -n 1) &&") }
    if ($EnvironmentFile) { $parts.Add("set -a && . $(& $quote $EnvironmentFile) && set +a &&") }
    $parts.Add('timeout ' + [long][Math]::Ceiling($ExecutionTimeLimit.TotalSeconds))
    if ($Priority.Nice -ne 0) { $parts.Add("nice -n $($Priority.Nice) ionice -c $($Priority.IoniceClass)") }
    foreach ($word in $Command) { $parts.Add((& $quote $word)) }
    $parts.Add('>/dev/null 2>&1')
    return ("$when $User " + ($parts -join ' ')).Replace('%', '\%')
}
