function Write-IocTaskFile {
    <#
    .SYNOPSIS
    Writes a task document as UTF-8 JSON without a byte order mark (what the engine reads).
    .DESCRIPTION
    On Linux the file is created 0600 (Write-IocPrivateFile): a definition tells a root task what
    to read and where to write. On Windows it takes its folder's access list.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Document,
        [Parameter(Mandatory)] [string] $Path
    )
    Write-IocPrivateFile -Path $Path -Content (ConvertTo-Json -InputObject $Document -Depth 8)
}
