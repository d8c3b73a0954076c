function Assert-IocIsolationAllow {
    <#
    .SYNOPSIS
    Refuses an allow-list entry that is not HOST[:PORT][/PROTO] before it reaches the engine's command line.
    .DESCRIPTION
    Each entry becomes the value of one --allow argument. A value starting with '-' would read as
    an option, and whitespace or control characters belong in no host name or address, so such an
    entry is refused (IocScan.InvalidAllowRule) rather than passed on. HOST is a name, an IPv4
    address, a prefix such as 10.0.0.0/8 or an IPv6 address in brackets ([fd00::1]:443); the
    engine resolves names and checks the rest.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Value)
    $pattern = '\A(?:\[[0-9A-Fa-f:.]+\](?:/\d{1,3})?|[A-Za-z0-9_][A-Za-z0-9._-]*(?:/\d{1,2})?)(?::\d{1,5})?(?:/(?:tcp|udp))?\z'
    if ($Value -notmatch $pattern) {
        throw (New-IocErrorRecord -ErrorId InvalidAllowRule -Category InvalidArgument -TargetObject $Value `
                -Message "The allow-list entry '$(ConvertTo-IocDisplayText $Value)' is not HOST[:PORT][/tcp|udp] (HOST: a name, an IPv4 address or prefix, or an IPv6 address in brackets).")
    }
}
