function Resolve-IocDatabasePath {
    <#
    .SYNOPSIS
    Makes a results database path absolute; a postgres:// (or other scheme://) URL is kept as is.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [string] $Path)
    if ($Path -match '^[A-Za-z][A-Za-z0-9+.-]+://') { return $Path }
    return Resolve-IocFullPath $Path
}
