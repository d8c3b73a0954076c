function ConvertTo-IocSystemdArgument {
    <#
    .SYNOPSIS
    Quotes arguments for a systemd ExecStart= line.
    .DESCRIPTION
    Each argument is double-quoted with \ and " escaped, and with the specifier % and the
    variable sign $ doubled, so that systemd passes it through unchanged.
    .EXAMPLE
    ConvertTo-IocSystemdArgument -Argument '/opt/iocscan', 'scan', '/var/lib/x y.json'
    # "/opt/iocscan" "scan" "/var/lib/x y.json"
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [string[]] $Argument)
    $quoted = foreach ($item in $Argument) {
        '"' + $item.Replace('\', '\\').Replace('"', '\"').Replace('%', '%%').Replace('$', '$$') + '"'
    }
    return ($quoted -join ' ')
}
