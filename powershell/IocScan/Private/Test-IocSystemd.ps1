function Test-IocSystemd {
    <#
    .SYNOPSIS
    Tells whether this Linux host runs systemd as its service manager.
    .DESCRIPTION
    The check sd_booted(3) makes: /run/systemd/system exists only when systemd is PID 1. Containers,
    WSL without systemd and SysV or OpenRC hosts have no systemd timers; Register-IocScanTask then
    gives a cron line instead.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param()
    return (Test-Path -LiteralPath '/run/systemd/system' -PathType Container)
}
