function ConvertTo-IocIsoTime {
    <#
    .SYNOPSIS
    Formats a DateTime as the UTC ISO 8601 string the engine expects (2026-11-28T01:02:03.000Z).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [datetime] $Value)
    return $Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [System.Globalization.CultureInfo]::InvariantCulture)
}
