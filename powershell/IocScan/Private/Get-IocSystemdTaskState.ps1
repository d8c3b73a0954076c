function Get-IocSystemdTaskState {
    <#
    .SYNOPSIS
    Reads a scan task's systemd units: schedule and account from the unit files, state and times from systemctl.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Name)
    $scope = Get-IocSystemdScope
    $state = [pscustomobject]@{
        Scheduler = 'systemd'; Schedule = $null; RunAs = $null; State = 'Missing'
        LastRunTime = $null; LastResult = $null; NextRunTime = $null
    }
    $timerPath = Join-Path $scope.Directory "iocscan-$Name.timer"
    $servicePath = Join-Path $scope.Directory "iocscan-$Name.service"
    if (-not (Test-Path -LiteralPath $timerPath) -or -not (Test-Path -LiteralPath $servicePath)) { return $state }

    $timer = [System.IO.File]::ReadAllLines($timerPath)
    $calendar = $timer | Where-Object { $_ -like 'OnCalendar=*' } | Select-Object -First 1
    if ($calendar) { $state.Schedule = $calendar.Substring('OnCalendar='.Length) }
    elseif ($timer | Where-Object { $_ -like 'OnBootSec=*' }) { $state.Schedule = 'at startup' }
    $user = [System.IO.File]::ReadAllLines($servicePath) | Where-Object { $_ -like 'User=*' } | Select-Object -First 1
    # The unit doubles % (a specifier otherwise); see ConvertTo-IocSystemdValue.
    if ($user) { $state.RunAs = $user.Substring('User='.Length).Replace('%%', '%') }
    elseif ($scope.UserScope) { $state.RunAs = [Environment]::UserName }
    else { $state.RunAs = 'root' }

    $properties = @{}
    $lines = Invoke-IocSystemctl -UserScope:$scope.UserScope -AllowFailure -Argument 'show', "iocscan-$Name.timer", "iocscan-$Name.service",
        '--property=ActiveState,LastTriggerUSec,NextElapseUSecRealtime,ExecMainStatus'
    foreach ($line in @($lines)) {
        $pair = ([string]$line).Split([char[]]'=', 2)
        if ($pair.Count -eq 2 -and $pair[1] -and -not $properties.ContainsKey($pair[0])) { $properties[$pair[0]] = $pair[1] }
    }
    $state.State = 'Unknown'
    if ($properties.ContainsKey('ActiveState')) { $state.State = $properties['ActiveState'] }
    if ($properties.ContainsKey('LastTriggerUSec')) { $state.LastRunTime = ConvertFrom-IocSystemdTime $properties['LastTriggerUSec'] }
    if ($properties.ContainsKey('NextElapseUSecRealtime')) { $state.NextRunTime = ConvertFrom-IocSystemdTime $properties['NextElapseUSecRealtime'] }
    if ($null -ne $state.LastRunTime -and $properties.ContainsKey('ExecMainStatus')) { $state.LastResult = [long]$properties['ExecMainStatus'] }
    return $state
}

function ConvertFrom-IocSystemdTime {
    <#
    .SYNOPSIS
    Parses systemctl show's timestamps ("Sat 2026-11-28 02:00:00 UTC"); "n/a" and empty become $null.
    #>
    [CmdletBinding()]
    param([string] $Value)
    if ($Value -match '(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})') {
        return [datetime]::ParseExact($Matches[1], 'yyyy-MM-dd HH:mm:ss', [System.Globalization.CultureInfo]::InvariantCulture)
    }
    return $null
}
