# The task file keys that make a scan collect from the live system (docs/task-file.md).
$script:LiveScanKeys = @('scopes', 'presets', 'eventLogs', 'registryKeys', 'registryFull')

function Get-IocScanPermission {
    <#
    .SYNOPSIS
    Returns the deno permission flags for a scan of a task document (Get-IocEnginePermission).
    .DESCRIPTION
    A scan of offline evidence only (evidence or a collector's evidence option such as
    diskImages, and none of scopes, presets, eventLogs, registryKeys, registryFull) runs with the
    narrow set and write access to its store; any live collection, or a document naming no
    evidence (the engine then collects live), with all permissions.
    #>
    [CmdletBinding()]
    [OutputType([string[]])]
    param([Parameter(Mandatory)] [System.Collections.IDictionary] $Document)
    $evidenceKeys = @('evidence') + @((Get-IocCollector).Options | Where-Object { $_.PSObject.Properties['Evidence'] -and $_.Evidence } | ForEach-Object { $_.Key })
    $live = $true
    foreach ($key in $evidenceKeys) { if ($Document.Contains($key)) { $live = $false } }
    foreach ($key in $script:LiveScanKeys) { if ($Document.Contains($key)) { $live = $true } }
    $set = 'Offline'
    if ($live) { $set = 'Live' }
    $database = ''
    if ($Document.Contains('databasePath')) { $database = [string]$Document['databasePath'] }
    $local = ''
    if ($Document.Contains('localDatabasePath')) { $local = [string]$Document['localDatabasePath'] }
    return (Get-IocEnginePermission -Set $set -Store Write -DatabasePath $database -LocalDatabasePath $local)
}
