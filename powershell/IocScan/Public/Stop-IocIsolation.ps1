function Stop-IocIsolation {
    <#
    .SYNOPSIS
    Lifts this computer's network isolation before its deadline.

    .DESCRIPTION
    Stop-IocIsolation runs `iocscan isolation release --json`: the engine removes its rules (and on
    Windows the release and boot tasks), records the release in the audit and returns the
    isolation as an IocScan.Isolation object. Releasing when nothing is isolated succeeds. It asks
    for confirmation unless -Confirm:$false is given; -WhatIf changes nothing.

    .PARAMETER DatabasePath
    The results database that keeps the isolation's state: a SQLite file or a postgres:// URL.
    Defaults to the engine's database.

    .EXAMPLE
    Stop-IocIsolation -Confirm:$false

    Lifts the isolation without asking.

    .INPUTS
    None.
    .OUTPUTS
    IocScan.Isolation
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    [OutputType('IocScan.Isolation')]
    param([Parameter(Position = 0)] [AllowEmptyString()] [AllowNull()] [string] $DatabasePath)
    if ($DatabasePath -and (Assert-IocIsolationStore -DatabasePath $DatabasePath -Cmdlet $PSCmdlet)) { return }
    if (-not $PSCmdlet.ShouldProcess([Environment]::MachineName, 'Lift the network isolation')) { return }
    Invoke-IocIsolationEngine -Argument @('isolation', 'release') -Cmdlet $PSCmdlet -DatabasePath $DatabasePath
}
