function Invoke-IocSystemctl {
    <#
    .SYNOPSIS
    Runs systemctl (with --user for a user's units) and returns its stdout lines.
    .DESCRIPTION
    Throws IocScan.SchedulerFailed when systemctl is missing or fails, unless -AllowFailure.
    The one place the module calls systemctl, so tests mock this function.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string[]] $Argument,
        [switch] $UserScope,
        [switch] $AllowFailure
    )
    $systemctl = Get-Command -Name systemctl -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $systemctl) {
        if ($AllowFailure) { return }
        throw (New-IocErrorRecord -ErrorId SchedulerFailed -Category NotInstalled -TargetObject 'systemctl' `
                -Message 'systemctl was not found: scan tasks on Linux need systemd.')
    }
    $all = @()
    if ($UserScope) { $all += '--user' }
    $all += $Argument
    $output = & $systemctl.Source @all 2>&1
    $code = $LASTEXITCODE
    $lines = @($output | ForEach-Object { [string]$_ })
    if ($code -ne 0 -and -not $AllowFailure) {
        throw (New-IocErrorRecord -ErrorId SchedulerFailed -Category InvalidOperation -TargetObject ($all -join ' ') `
                -Message ("systemctl {0} failed (exit code {1}): {2}" -f ($all -join ' '), $code, ($lines -join ' ')))
    }
    $lines
}
