function Start-IocIsolation {
    <#
    .SYNOPSIS
    Isolates this computer from the network for a set time, except for an allow-list.

    .DESCRIPTION
    Start-IocIsolation runs `iocscan isolate --duration D --json` and returns the isolation as an
    IocScan.Isolation object: Id, State, ExpiresAt, Allow (the allow-list as the engine resolved
    it) and Audit. The engine blocks every connection but loopback, DHCP, neighbour discovery, the
    host's DNS servers, the results database's hosts and the -Allow entries (names resolved to
    every address before the block), cuts existing connections to other peers, self-tests, and
    rolls back when the test fails. The isolation lifts by itself at its deadline, even when no
    iocscan process is left (Linux: kernel timeouts; Windows: a SYSTEM release task), and is
    re-applied after a reboot until then. Lift it early with Stop-IocIsolation.

    It asks for confirmation (ConfirmImpact High) unless -Confirm:$false is given. With -WhatIf
    nothing changes: the engine runs with --what-if and the object shows what would be applied
    (WhatIf is $true).

    .PARAMETER Duration
    How long the isolation lasts: 1 minute to 9999 hours, a whole number of minutes (8 hours is
    the engine's default when you run it directly).
    .PARAMETER Allow
    Extra peers to keep reachable, each HOST[:PORT][/tcp|udp]: a host name, an IPv4 address or
    prefix, or an IPv6 address in brackets ([fd00::10]:443).
    .PARAMETER Reason
    Why, for the audit record.
    .PARAMETER Probe
    HOST:PORT that must NOT be reachable once isolated (the self-test's forbidden half; the
    default gateway's TCP 443 otherwise).
    .PARAMETER DatabasePath
    The results database that keeps the isolation's state and audit: a SQLite file or a
    postgres:// URL (a password in it reaches the engine in PGPASSWORD only). Defaults to the
    engine's database.

    .EXAMPLE
    Start-IocIsolation -Duration (New-TimeSpan -Hours 8) -Allow 'mgmt.corp.example:443/tcp' -Reason 'IOC hit on ws01'

    Isolates this computer for 8 hours, keeping the management server reachable.

    .EXAMPLE
    Start-IocIsolation -Duration '00:30:00' -WhatIf | Select-Object -ExpandProperty Allow

    Shows the resolved allow-list a 30-minute isolation would use, changing nothing.

    .INPUTS
    None.
    .OUTPUTS
    IocScan.Isolation
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    [OutputType('IocScan.Isolation')]
    param(
        [Parameter(Mandatory, Position = 0)] [timespan] $Duration,
        [string[]] $Allow = @(),
        [string] $Reason,
        [string] $Probe,
        [AllowEmptyString()] [AllowNull()] [string] $DatabasePath
    )
    $arguments = @('isolate', '--duration', (ConvertTo-IocIsolationDuration -Duration $Duration))
    foreach ($entry in $Allow) {
        Assert-IocIsolationAllow -Value $entry
        $arguments += @('--allow', $entry)
    }
    if ($Reason) { $arguments += @('--reason', $Reason) }
    if ($Probe) {
        Assert-IocIsolationAllow -Value $Probe
        $arguments += @('--probe', $Probe)
    }
    $target = [Environment]::MachineName
    if ($PSCmdlet.ShouldProcess($target, "Isolate from the network for $Duration (allowed: $(@($Allow).Count) extra)")) {
        Invoke-IocIsolationEngine -Argument $arguments -Cmdlet $PSCmdlet -DatabasePath $DatabasePath
    } elseif ($WhatIfPreference) {
        # -WhatIf: the engine's own dry run says exactly what would be applied, and changes nothing.
        Invoke-IocIsolationEngine -Argument ($arguments + '--what-if') -Cmdlet $PSCmdlet -DatabasePath $DatabasePath -WhatIf
    }
}
