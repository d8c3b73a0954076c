function Get-IocAction {
    <#
    .SYNOPSIS
    Lists the engine's response actions and the options every action shares.
    .DESCRIPTION
    Reads the module's Data/Actions.psd1, generated from the engine's list of actions
    (scan/action_list.ts), so that the module never spells an action's name or task-file key
    itself. Writes one object per action (Name, Help, Options); with -Shared, the shared options
    instead (WhatIf). Each option names its task-file key, its kind (strings, string, count, size,
    duration, flag) and the parameter of Invoke-IocScan that carries it.
    .EXAMPLE
    (Get-IocAction).Name
    critical-scan
    quarantine
    isolate
    .OUTPUTS
    System.Management.Automation.PSCustomObject
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param([switch] $Shared)
    if ($Shared) {
        foreach ($option in $script:IocActionData.SharedOptions) { [pscustomobject]$option }
        return
    }
    foreach ($action in $script:IocActionData.Actions) {
        [pscustomobject]@{
            Name    = $action.Name
            Help    = $action.Help
            Options = @(foreach ($option in $action.Options) { [pscustomobject]$option })
        }
    }
}
