# How a collector option's value goes into the task file, by the option's kind
# (Data/Collectors.psd1); $null leaves the key out, so that the engine applies its default.
$script:IocTaskValueConverters = @{
    strings = { param($value) if (@($value).Count -gt 0) { , @($value) } }
    string  = { param($value) if ($value) { [string]$value } }
    count   = { param($value) if ($null -ne $value) { [long]$value } }
    size    = { param($value) if ($null -ne $value) { [long]$value } }
    time    = { param($value) if ($null -ne $value) { ConvertTo-IocIsoTime ([datetime]$value) } }
    # A TimeSpan (or a string with a colon that reads as one, 08:00:00) is spelt as the engine reads a
    # duration (8h, 90m); other strings (8h, 1h30m) go as written, and the engine checks them
    # before anything runs.
    duration = {
        param($value)
        $span = [timespan]::Zero
        if ($value -is [timespan]) { ConvertTo-IocIsolationDuration -Duration $value }
        elseif ($value -and ([string]$value).Contains(':') -and [timespan]::TryParse([string]$value, [ref]$span)) { ConvertTo-IocIsolationDuration -Duration $span }
        elseif ($value) { [string]$value }
    }
    flag    = { param($value) if ($value) { $true } }
}

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
        [switch] $EndpointNetwork,
        [string[]] $Evidence,
        [string[]] $DiskImage,
        [string] $RootDrive,
        [string] $DatabasePath,
        [string] $LocalDatabasePath,
        [string] $DatabaseCa,
        [Nullable[long]] $MaxFileSize,
        [string] $TaskName,
        [string[]] $Action,
        # The response actions' options (Data/Actions.psd1). WhatIf here is a plain switch: this
        # function does not support ShouldProcess, so it carries the task's whatIf key only.
        [switch] $WhatIf,
        [string] $QuarantinePath,
        [Nullable[long]] $MaxActions,
        [Nullable[long]] $MaxQuarantineSize,
        [switch] $ForceAction,
        [switch] $Terminate,
        [object] $IsolationDuration,
        [string[]] $IsolationAllow,
        [string] $IsolationProbe,
        [string] $IsolationReason,
        [string] $Antivirus,
        [string] $ClamavDatabase
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
    if ($DataType) { $document.types = @($DataType) }
    # Each collector's options: the parameter named in Data/Collectors.psd1 fills its task-file key.
    foreach ($option in (Get-IocCollector).Options) {
        if (-not $PSBoundParameters.ContainsKey($option.Parameter)) { continue }
        $value = & $script:IocTaskValueConverters[$option.Kind] $PSBoundParameters[$option.Parameter]
        # Evidence files (-DiskImage) are paths: absolute, as -Evidence.
        if ($null -ne $value -and $option.PSObject.Properties['Evidence'] -and $option.Evidence) { $value = @($value | ForEach-Object { Resolve-IocFullPath $_ }) }
        if ($null -ne $value) { $document[$option.Key] = $value }
    }
    if ($Action) { $document.actions = @($Action | ForEach-Object { Resolve-IocActionName -Name ([string]$_) }) }
    # The actions' options: the parameter named in Data/Actions.psd1 fills its task-file key.
    foreach ($option in @(Get-IocAction -Shared) + @((Get-IocAction).Options)) {
        if (-not $PSBoundParameters.ContainsKey($option.Parameter)) { continue }
        $value = & $script:IocTaskValueConverters[$option.Kind] $PSBoundParameters[$option.Parameter]
        if ($null -ne $value) { $document[$option.Key] = $value }
    }
    if ($document.Contains('quarantineDir')) { $document.quarantineDir = Resolve-IocFullPath $document.quarantineDir }
    if ($document.Contains('clamavDatabase')) { $document.clamavDatabase = Resolve-IocFullPath $document.clamavDatabase }
    if ($document.Contains('antivirus')) { $document.antivirus = $document.antivirus.ToLowerInvariant() }
    if ($Evidence) { $document.evidence = @($Evidence | ForEach-Object { Resolve-IocFullPath $_ }) }
    if ($RootDrive) { $document.rootDrive = '{0}:' -f $RootDrive.Substring(0, 1).ToUpperInvariant() }
    if ($DatabasePath) { $document.databasePath = Resolve-IocDatabasePath $DatabasePath }
    # A fleet store's run is recorded in a local store first, then uploaded (docs/fleet.md).
    if ($LocalDatabasePath) { $document.localDatabasePath = Resolve-IocFullPath $LocalDatabasePath }
    if ($DatabaseCa) { $document.databaseCa = Resolve-IocFullPath $DatabaseCa }
    return $document
}
