# Windows PowerShell 5.1's ConvertFrom-Json refuses input longer than JavaScriptSerializer's
# default MaxJsonLength (2,097,152 characters). A detection with much evidence can be longer.
$script:DesktopJsonLimit = 2097152

function ConvertFrom-IocJsonLine {
    <#
    .SYNOPSIS
    Parses one NDJSON line into a PSCustomObject, also when Windows PowerShell 5.1's ConvertFrom-Json cannot.
    .DESCRIPTION
    Uses ConvertFrom-Json, except on Windows PowerShell 5.1 for lines past its 2 MB limit: those go
    through JavaScriptSerializer with the limit raised, and ConvertTo-IocPSObject turns the
    dictionaries it returns into the same objects ConvertFrom-Json would. Throws on invalid JSON.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Line)
    if ($PSVersionTable.PSEdition -eq 'Core' -or $Line.Length -lt $script:DesktopJsonLimit) {
        return ConvertFrom-Json -InputObject $Line -ErrorAction Stop
    }
    Add-Type -AssemblyName System.Web.Extensions
    $serializer = New-Object System.Web.Script.Serialization.JavaScriptSerializer
    $serializer.MaxJsonLength = [int]::MaxValue
    $serializer.RecursionLimit = 1024
    return ConvertTo-IocPSObject -InputObject $serializer.DeserializeObject($Line)
}

function ConvertTo-IocPSObject {
    <#
    .SYNOPSIS
    Turns dictionaries and lists (JavaScriptSerializer output) into PSCustomObjects and arrays.
    #>
    [CmdletBinding()]
    param([AllowNull()] $InputObject)
    if ($InputObject -is [System.Collections.IDictionary]) {
        $properties = [ordered]@{}
        foreach ($key in $InputObject.Keys) { $properties[[string]$key] = ConvertTo-IocPSObject -InputObject $InputObject[$key] }
        return [pscustomobject]$properties
    }
    if ($InputObject -is [System.Collections.IList] -and $InputObject -isnot [string]) {
        # The comma keeps a one-element or empty array an array when it is returned.
        return , @(foreach ($item in $InputObject) { ConvertTo-IocPSObject -InputObject $item })
    }
    return $InputObject
}
