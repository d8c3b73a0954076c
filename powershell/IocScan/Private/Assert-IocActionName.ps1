function Assert-IocActionName {
    <#
    .SYNOPSIS
    Accepts the name of one of the engine's response actions (any case, with or without its
    hyphens: CriticalScan for critical-scan); refuses any other.
    .DESCRIPTION
    Invoke-IocScan -Action validates with it, in place of a ValidateSet that would repeat the
    names (and that Windows PowerShell 5.1 cannot build from data): they come from
    Data/Actions.psd1 (Get-IocAction). Returns $true, or throws an error naming the known actions,
    which PowerShell reports as the parameter's ParameterArgumentValidationError.
    .EXAMPLE
    [ValidateScript({ Assert-IocActionName $_ })] [string[]] $Action
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Name)
    if ($null -ne (Resolve-IocActionName -Name $Name)) { return $true }
    $known = @((Get-IocAction).Name)
    throw "'$Name' is not a response action of this engine (known: $($known -join ', '))."
}
