function Resolve-IocFullPath {
    <#
    .SYNOPSIS
    Makes a path absolute against the current FileSystem location, whether or not it exists.
    .NOTES
    Windows drive paths (C:\...) and UNC paths (\\server\share) come back unchanged, so that a
    definition written for another machine, or for a drive PowerShell has not mounted, keeps its
    paths as the admin wrote them.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [string] $Path)
    if ($Path -match '^[A-Za-z]:[\\/]' -or $Path -match '^[\\/]{2}[^\\/]') { return $Path }
    try {
        return $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    } catch {
        return $Path
    }
}
