function ConvertTo-IocIsoTime {
    <#
    .SYNOPSIS
    Formats a DateTime as the UTC ISO 8601 string the engine expects (2026-11-28T01:02:03.000Z).

    .DESCRIPTION
    The engine's rule for times holds here too (scan/parse_time.ts): a time without a zone is
    UTC. A DateTime of kind Unspecified, which is what a string such as '2026-11-01T10:00' given
    to a [datetime] parameter becomes, is therefore read as UTC, never as this machine's local
    time. Local times (Get-Date, (Get-Date).AddDays(-7)) and UTC times convert as they are.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [datetime] $Value)
    if ($Value.Kind -eq [System.DateTimeKind]::Unspecified) {
        $Value = [datetime]::SpecifyKind($Value, [System.DateTimeKind]::Utc)
    }
    return $Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [System.Globalization.CultureInfo]::InvariantCulture)
}
