function ConvertTo-IocSystemdArgument {
    <#
    .SYNOPSIS
    Quotes arguments for a systemd ExecStart= line.
    .DESCRIPTION
    Each argument is double-quoted with \ and " escaped, and with the specifier % and the
    variable sign $ doubled, so that systemd passes it through unchanged (systemd.syntax(7),
    systemd.service(5) "Command lines"). An argument with a control character is refused
    (IocScan.UnsafeTaskValue): a newline would end the line and start a directive of its own.
    .EXAMPLE
    ConvertTo-IocSystemdArgument -Argument '/opt/iocscan', 'scan', '/var/lib/x y.json'
    # "/opt/iocscan" "scan" "/var/lib/x y.json"
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [string[]] $Argument)
    $quoted = foreach ($item in $Argument) {
        Assert-IocTaskValue -Value $item -What 'command line'
        '"' + $item.Replace('\', '\\').Replace('"', '\"').Replace('%', '%%').Replace('$', '$$') + '"'
    }
    return ($quoted -join ' ')
}
