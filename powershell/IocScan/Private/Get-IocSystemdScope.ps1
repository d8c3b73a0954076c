function Get-IocSystemdScope {
    <#
    .SYNOPSIS
    Returns where scan task units go and whether systemctl needs --user.
    .DESCRIPTION
    As root: /etc/systemd/system and the system manager. Otherwise: ~/.config/systemd/user and
    the user's manager (systemctl --user). IOCSCAN_SYSTEMD_DIR overrides the folder (tests).
    #>
    [CmdletBinding()]
    param()
    $root = Test-IocRoot
    $directory = $env:IOCSCAN_SYSTEMD_DIR
    if (-not $directory) {
        if ($root) {
            $directory = '/etc/systemd/system'
        } else {
            $configHome = $env:XDG_CONFIG_HOME
            if (-not $configHome) { $configHome = Join-Path $HOME '.config' }
            $directory = Join-Path (Join-Path $configHome 'systemd') 'user'
        }
    }
    [pscustomobject]@{ Directory = $directory; UserScope = (-not $root) }
}
