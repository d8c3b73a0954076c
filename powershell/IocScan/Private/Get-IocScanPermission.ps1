# The task file keys that make a scan collect from the live system (docs/task-file.md).
$script:LiveScanKeys = @('scopes', 'presets', 'eventLogs', 'registryKeys', 'registryFull')

function Get-IocScanPermission {
    <#
    .SYNOPSIS
    Returns the deno permission flags for a scan of a task document (Get-IocEnginePermission).
    .DESCRIPTION
    A scan of offline evidence only (evidence, and none of scopes, presets, eventLogs,
    registryKeys, registryFull) runs with the narrow set and write access to its store; any
    live collection, or a document naming no evidence (the engine then collects live), with all
    permissions.
    #>
    [CmdletBinding()]
    [OutputType([string[]])]
    param([Parameter(Mandatory)] [System.Collections.IDictionary] $Document)
    $live = -not $Document.Contains('evidence')
    foreach ($key in $script:LiveScanKeys) { if ($Document.Contains($key)) { $live = $true } }
    $set = 'Offline'
    if ($live) { $set = 'Live' }
    $database = ''
    if ($Document.Contains('databasePath')) { $database = [string]$Document['databasePath'] }
    return (Get-IocEnginePermission -Set $set -Store Write -DatabasePath $database)
}
