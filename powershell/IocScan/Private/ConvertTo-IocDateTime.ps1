function ConvertTo-IocDateTime {
    <#
    .SYNOPSIS
    Turns a timestamp (the engine's UTC ISO 8601, or Task Scheduler's local time) into a local DateTime, or $null.
    .NOTES
    Local, because that is how an admin reads times in a table; .ToUniversalTime() gives UTC back.
    PowerShell 7's ConvertFrom-Json already turns ISO 8601 strings into DateTime values;
    Windows PowerShell 5.1 leaves them as strings. Both arrive here.
    #>
    [CmdletBinding()]
    [OutputType([datetime])]
    param([AllowNull()] $Value)
    if ($null -eq $Value -or '' -eq $Value) { return $null }
    if ($Value -is [datetime]) {
        if ($Value.Kind -eq [System.DateTimeKind]::Local) { return $Value }
        return $Value.ToLocalTime()
    }
    $parsed = [datetime]::MinValue
    # A string with Z or an offset (the engine's) is converted to local time; one without a zone
    # (Task Scheduler's StartBoundary) already is local time.
    $styles = [System.Globalization.DateTimeStyles]::AssumeLocal
    if ([datetime]::TryParse([string]$Value, [System.Globalization.CultureInfo]::InvariantCulture, $styles, [ref]$parsed)) {
        return $parsed
    }
    return $null
}
