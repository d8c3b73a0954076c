function New-IocTaskDocument {
    <#
    .SYNOPSIS
    Builds the engine's task file (schema version 1) from scan parameters.
    .DESCRIPTION
    Returns an ordered dictionary with camelCase keys, ready for ConvertTo-Json. Only the
    parameters that were given appear. Paths are made absolute against the current PowerShell
    location, because the engine runs with its own working directory (and a scheduled task with
    none at all). See docs/powershell.md for the schema.
    #>
    [CmdletBinding()]
    [OutputType([System.Collections.Specialized.OrderedDictionary])]
    param(
        [Parameter(Mandatory)] [string[]] $IocPath,
        [string[]] $Path,
        [Nullable[int]] $Depth,
        [string[]] $Preset,
        [string[]] $Exclude,
        [string[]] $DataType,
        [string[]] $EventLog,
        [Nullable[datetime]] $Since,
        [Nullable[datetime]] $Until,
        [string[]] $RegistryKey,
        [switch] $RegistryFull,
        [string[]] $Evidence,
        [string] $RootDrive,
        [string] $DatabasePath,
        [Nullable[long]] $MaxFileSize,
        [string] $TaskName
    )

    $document = [ordered]@{ version = 1 }
    if ($TaskName) { $document.taskName = $TaskName }
    $document.iocPaths = @($IocPath | ForEach-Object { Resolve-IocFullPath $_ })
    if ($Path) {
        $document.scopes = @(foreach ($scope in $Path) {
                $entry = [ordered]@{ path = Resolve-IocFullPath $scope }
                if ($null -ne $Depth) { $entry.depth = [int]$Depth }
                $entry
            })
    }
    if ($Preset) { $document.presets = @($Preset) }
    if ($Exclude) { $document.exclude = @($Exclude) }
    if ($DataType) { $document.types = @($DataType) }
    if ($EventLog) { $document.eventLogs = @($EventLog) }
    if ($null -ne $Since) { $document.since = ConvertTo-IocIsoTime ([datetime]$Since) }
    if ($null -ne $Until) { $document.until = ConvertTo-IocIsoTime ([datetime]$Until) }
    if ($RegistryKey) { $document.registryKeys = @($RegistryKey) }
    if ($RegistryFull) { $document.registryFull = $true }
    if ($Evidence) { $document.evidence = @($Evidence | ForEach-Object { Resolve-IocFullPath $_ }) }
    if ($RootDrive) { $document.rootDrive = '{0}:' -f $RootDrive.Substring(0, 1).ToUpperInvariant() }
    if ($DatabasePath) { $document.databasePath = Resolve-IocDatabasePath $DatabasePath }
    if ($null -ne $MaxFileSize) { $document.maxFileSize = [long]$MaxFileSize }
    return $document
}
