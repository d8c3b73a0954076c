function ConvertTo-IocIndicator {
    <#
    .SYNOPSIS
    Turns an engine `ioc` event into an IocScan.Indicator object.
    .DESCRIPTION
    Id and Sha256 (of the file's bytes) together identify the IOC: files may share an id. Duplicate
    is true for a byte-identical copy of a file listed before it, which a scan evaluates once.
    #>
    [CmdletBinding()]
    [OutputType('IocScan.Indicator')]
    param([Parameter(Mandatory, ValueFromPipeline)] $InputObject)
    process {
        $items = [int](Get-IocProperty $InputObject 'items' 0)
        $evaluable = [int](Get-IocProperty $InputObject 'evaluable' 0)
        $unsupported = @(Get-IocProperty $InputObject 'unsupported' @())
        # Items not evaluated, by reason (no-collector, not-produced, unsupported-term, empty-content,
        # invalid-value), as the engine counts them: one reason per item.
        $notEvaluated = [ordered]@{}
        $byReason = Get-IocProperty $InputObject 'notEvaluated'
        if ($null -ne $byReason) {
            foreach ($property in $byReason.PSObject.Properties) { $notEvaluated[$property.Name] = [int]$property.Value }
        }
        $canFire = Get-IocProperty $InputObject 'canFire'
        [pscustomobject]@{
            PSTypeName      = 'IocScan.Indicator'
            Id              = Get-IocProperty $InputObject 'id'
            Sha256          = Get-IocProperty $InputObject 'sha256'
            Name            = Get-IocProperty $InputObject 'name'
            Version         = Get-IocProperty $InputObject 'version'
            File            = Get-IocProperty $InputObject 'file'
            Items           = $items
            Evaluable       = $evaluable
            NotEvaluable    = [Math]::Max(0, $items - $evaluable)
            NotEvaluated    = $notEvaluated
            CanFire         = if ($null -eq $canFire) { $null } else { [bool]$canFire }
            FullyEvaluable  = ($items -eq $evaluable -and $unsupported.Count -eq 0)
            Unsupported     = [string[]]$unsupported
            Warnings        = [int](Get-IocProperty $InputObject 'warnings' 0)
            Duplicate       = [bool](Get-IocProperty $InputObject 'duplicate' $false)
        }
    }
}
