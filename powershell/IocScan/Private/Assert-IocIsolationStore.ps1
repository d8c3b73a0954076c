function Assert-IocIsolationStore {
    <#
    .SYNOPSIS
    Writes IocScan.PathNotFound (non-terminating) and returns $true when a SQLite store named for an isolation command does not exist.
    .DESCRIPTION
    Get-IocIsolation and Stop-IocIsolation read an isolation that an earlier Start-IocIsolation
    stored: a SQLite path that names no file is a mistake, reported as Get-IocScanResult does. A
    postgres:// URL is left to the engine.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Mandatory)] [string] $DatabasePath,
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet
    )
    $location = (Split-IocDatabaseSecret $DatabasePath).Location
    $database = Resolve-IocDatabasePath $location
    if ($database -match '://' -or (Test-Path -LiteralPath $database -PathType Leaf)) { return $false }
    $Cmdlet.WriteError((New-IocErrorRecord -ErrorId PathNotFound -Category ObjectNotFound -TargetObject $database `
                -Message "The results database '$database' does not exist."))
    return $true
}
