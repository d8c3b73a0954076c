function New-IocSystemdUnit {
    <#
    .SYNOPSIS
    Writes the text of a scan task's systemd service and timer units.
    .DESCRIPTION
    The service is a oneshot that runs the engine with the task's definition; its TimeoutStartSec
    is the run time limit, and systemd never starts a unit that is still running, so runs never
    overlap. The timer carries the trigger: OnCalendar for -Once, -Daily and -Weekly (with
    Persistent=true, which starts a missed run at the next boot, like StartWhenAvailable), or
    OnBootSec for -AtStartup, and RandomizedDelaySec=-RandomDelay. -Priority (Get-IocTaskPriority)
    gives Nice= and IOSchedulingClass=; without -AllowOnBattery the service has
    ConditionACPower=true (skipped, not failed, on battery). -EnvironmentFile names the root-only file holding the database
    password (PGPASSWORD=...): systemd reads it before it drops to User=, so the password reaches
    the engine's environment and never the unit. Every value is checked and escaped
    (ConvertTo-IocSystemdArgument, ConvertTo-IocSystemdValue); a value that could add a directive
    throws IocScan.UnsafeTaskValue. Returns an object with Service and Timer (unit file text).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [string] $FileName,
        [Parameter(Mandatory)] [string[]] $Arguments,
        [Parameter(Mandatory)] [ValidateSet('Once', 'Daily', 'Weekly', 'AtStartup')] [string] $Schedule,
        [datetime] $At,
        [System.DayOfWeek[]] $DaysOfWeek,
        [Parameter(Mandatory)] [timespan] $ExecutionTimeLimit,
        [string] $User,
        [string] $WorkingDirectory,
        [string] $EnvironmentFile,
        [timespan] $RandomDelay = [timespan]::Zero,
        [psobject] $Priority = (Get-IocTaskPriority -Priority BelowNormal),
        [switch] $AllowOnBattery
    )
    $invariant = [System.Globalization.CultureInfo]::InvariantCulture
    # An ExecStart program starting with - @ : + ! would be read as a prefix even when quoted.
    [void](ConvertTo-IocSystemdValue -Value $FileName -What 'engine path' -Kind Path)
    $execStart = ConvertTo-IocSystemdArgument -Argument (@($FileName) + $Arguments)
    $settings = [ordered]@{}
    if ($WorkingDirectory) { $settings.WorkingDirectory = ConvertTo-IocSystemdValue -Value $WorkingDirectory -What 'task folder' -Kind Path }
    if ($User) { $settings.User = ConvertTo-IocSystemdValue -Value $User -What 'user name' -Kind UserName }
    if ($EnvironmentFile) { $settings.EnvironmentFile = ConvertTo-IocSystemdValue -Value $EnvironmentFile -What 'password file' -Kind Path }
    $service = New-Object System.Text.StringBuilder
    [void]$service.AppendLine('# Written by the IocScan PowerShell module (Register-IocScanTask). Remove with Unregister-IocScanTask.')
    [void]$service.AppendLine('[Unit]')
    [void]$service.AppendLine("Description=iocscan scan task $Name")
    if (-not $AllowOnBattery) { [void]$service.AppendLine('ConditionACPower=true') }
    [void]$service.AppendLine('')
    [void]$service.AppendLine('[Service]')
    [void]$service.AppendLine('Type=oneshot')
    [void]$service.AppendLine('ExecStart=' + $execStart)
    foreach ($setting in $settings.GetEnumerator()) { [void]$service.AppendLine($setting.Key + '=' + $setting.Value) }
    [void]$service.AppendLine('TimeoutStartSec=' + [long][Math]::Ceiling($ExecutionTimeLimit.TotalSeconds))
    # Exit code 1 means "detections", not failure: keep the unit from showing as failed.
    [void]$service.AppendLine('SuccessExitStatus=1')
    [void]$service.AppendLine('StandardOutput=null')
    [void]$service.AppendLine('Nice=' + $Priority.Nice)
    [void]$service.AppendLine('IOSchedulingClass=' + $Priority.IOSchedulingClass)

    $timer = New-Object System.Text.StringBuilder
    [void]$timer.AppendLine('# Written by the IocScan PowerShell module (Register-IocScanTask). Remove with Unregister-IocScanTask.')
    [void]$timer.AppendLine('[Unit]')
    [void]$timer.AppendLine("Description=iocscan scan task $Name ($Schedule)")
    [void]$timer.AppendLine('')
    [void]$timer.AppendLine('[Timer]')
    $time = ''
    if ($PSBoundParameters.ContainsKey('At')) { $time = $At.ToString('HH:mm:ss', $invariant) }
    switch ($Schedule) {
        'Once' { [void]$timer.AppendLine('OnCalendar=' + $At.ToString('yyyy-MM-dd HH:mm:ss', $invariant)) }
        'Daily' { [void]$timer.AppendLine("OnCalendar=*-*-* $time") }
        'Weekly' {
            $days = ($DaysOfWeek | Sort-Object -Unique | ForEach-Object { $_.ToString().Substring(0, 3) }) -join ','
            [void]$timer.AppendLine("OnCalendar=$days *-*-* $time")
        }
        'AtStartup' { [void]$timer.AppendLine('OnBootSec=2min') }
    }
    if ($Schedule -ne 'AtStartup') { [void]$timer.AppendLine('Persistent=true') }
    if ($RandomDelay -gt [timespan]::Zero) { [void]$timer.AppendLine('RandomizedDelaySec=' + [long][Math]::Ceiling($RandomDelay.TotalSeconds)) }
    [void]$timer.AppendLine("Unit=iocscan-$Name.service")
    [void]$timer.AppendLine('')
    [void]$timer.AppendLine('[Install]')
    [void]$timer.AppendLine('WantedBy=timers.target')

    [pscustomobject]@{ Service = $service.ToString(); Timer = $timer.ToString() }
}
