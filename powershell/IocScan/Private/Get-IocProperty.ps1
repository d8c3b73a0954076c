function Get-IocProperty {
    <#
    .SYNOPSIS
    Reads an optional property of an engine event, or returns a default when it is absent.
    .NOTES
    The module runs under Set-StrictMode, where reading a missing property throws, and engine
    events leave optional fields out rather than writing null.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [AllowNull()] $InputObject,
        [Parameter(Mandatory)] [string] $Name,
        $Default = $null
    )
    if ($null -eq $InputObject) { return $Default }
    $property = $InputObject.PSObject.Properties[$Name]
    if ($null -eq $property -or $null -eq $property.Value) { return $Default }
    return $property.Value
}
