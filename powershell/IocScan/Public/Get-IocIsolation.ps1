function Get-IocIsolation {
    <#
    .SYNOPSIS
    Shows this computer's network isolation: its state, deadline, allow-list and audit.

    .DESCRIPTION
    Get-IocIsolation runs `iocscan isolation status --json` and returns an IocScan.Isolation
    object: Id, State (as the engine reports it: whether the rules are in place, expired or
    released), ExpiresAt, Allow and Audit (every step: apply, self-test, extend, release,
    auto-release, rollback, tamper re-apply, with who, why and the rule set's hash).

    .PARAMETER DatabasePath
    The results database that keeps the isolation's state: a SQLite file or a postgres:// URL.
    Defaults to the engine's database.

    .EXAMPLE
    Get-IocIsolation

    Shows whether this computer is isolated, and until when.

    .EXAMPLE
    (Get-IocIsolation).Audit | Format-Table at, step, who, outcome

    Lists the isolation's audit trail.

    .INPUTS
    None.
    .OUTPUTS
    IocScan.Isolation
    #>
    [CmdletBinding()]
    [OutputType('IocScan.Isolation')]
    param([Parameter(Position = 0)] [AllowEmptyString()] [AllowNull()] [string] $DatabasePath)
    if ($DatabasePath -and (Assert-IocIsolationStore -DatabasePath $DatabasePath -Cmdlet $PSCmdlet)) { return }
    Invoke-IocIsolationEngine -Argument @('isolation', 'status') -Cmdlet $PSCmdlet -DatabasePath $DatabasePath
}
