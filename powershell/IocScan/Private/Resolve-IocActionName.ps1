function Resolve-IocActionName {
    <#
    .SYNOPSIS
    Returns the engine's name of a response action given as the engine spells it or in PascalCase.
    .DESCRIPTION
    -Action takes the engine's names (Data/Actions.psd1: quarantine, isolate, critical-scan) in any
    case, and also their PascalCase spelling without hyphens (CriticalScan), as PowerShell users
    write values. Returns the engine's name, or $null when no action has that name.
    .EXAMPLE
    Resolve-IocActionName CriticalScan
    # critical-scan
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Name)
    $wanted = $Name.Replace('-', '')
    foreach ($known in @((Get-IocAction).Name)) {
        if ($known.Replace('-', '') -eq $wanted) { return $known }
    }
    return $null
}
