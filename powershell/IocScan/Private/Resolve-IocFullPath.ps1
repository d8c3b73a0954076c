function Resolve-IocFullPath {
    <#
    .SYNOPSIS
    Makes a path absolute against the current FileSystem location, whether or not it exists.
    .NOTES
    UNC paths and paths that are already absolute come back unchanged.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [string] $Path)
    return $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
}
