function ConvertTo-IocDateTime {
    <#
    .SYNOPSIS
    Turns an engine timestamp into a DateTime, or $null when there is none.
    .NOTES
    PowerShell 7's ConvertFrom-Json already turns ISO 8601 strings into DateTime values;
    Windows PowerShell 5.1 leaves them as strings. Both arrive here.
    #>
    [CmdletBinding()]
    [OutputType([datetime])]
    param([AllowNull()] $Value)
    if ($null -eq $Value -or '' -eq $Value) { return $null }
    if ($Value -is [datetime]) { return $Value }
    $parsed = [datetime]::MinValue
    $styles = [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal
    if ([datetime]::TryParse([string]$Value, [System.Globalization.CultureInfo]::InvariantCulture, $styles, [ref]$parsed)) {
        return [datetime]::SpecifyKind($parsed, [System.DateTimeKind]::Utc)
    }
    return $null
}
