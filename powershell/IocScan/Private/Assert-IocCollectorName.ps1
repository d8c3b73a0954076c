function Assert-IocCollectorName {
    <#
    .SYNOPSIS
    Accepts the name of one of the engine's collectors (any case); refuses any other.
    .DESCRIPTION
    The -DataType parameters validate with it, in place of a ValidateSet that would repeat the
    names: they come from Data/Collectors.psd1 (Get-IocCollector). Returns $true, or throws an
    error that names the known collectors; PowerShell reports it as the parameter's
    ParameterArgumentValidationError.
    .EXAMPLE
    [ValidateScript({ Assert-IocCollectorName $_ })] [string[]] $DataType
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Name)
    $known = @((Get-IocCollector).Name)
    if ($known -contains $Name) { return $true }
    throw "'$Name' is not a collector of this engine (known: $($known -join ', '))."
}
