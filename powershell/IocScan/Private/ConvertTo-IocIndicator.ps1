function ConvertTo-IocIndicator {
    <#
    .SYNOPSIS
    Turns an engine `ioc` event into an IocScan.Indicator object.
    #>
    [CmdletBinding()]
    [OutputType('IocScan.Indicator')]
    param([Parameter(Mandatory, ValueFromPipeline)] $InputObject)
    process {
        $items = [int](Get-IocProperty $InputObject 'items' 0)
        $evaluable = [int](Get-IocProperty $InputObject 'evaluable' 0)
        $unsupported = @(Get-IocProperty $InputObject 'unsupported' @())
        [pscustomobject]@{
            PSTypeName      = 'IocScan.Indicator'
            Id              = Get-IocProperty $InputObject 'id'
            Name            = Get-IocProperty $InputObject 'name'
            Version         = Get-IocProperty $InputObject 'version'
            File            = Get-IocProperty $InputObject 'file'
            Items           = $items
            Evaluable       = $evaluable
            NotEvaluable    = [Math]::Max(0, $items - $evaluable)
            FullyEvaluable  = ($items -eq $evaluable -and $unsupported.Count -eq 0)
            Unsupported     = [string[]]$unsupported
            Warnings        = [int](Get-IocProperty $InputObject 'warnings' 0)
            Duplicate       = [bool](Get-IocProperty $InputObject 'duplicate' $false)
        }
    }
}
