function ConvertTo-IocActionResult {
    <#
    .SYNOPSIS
    Turns an engine `action` event into an IocScan.ActionResult object.
    .DESCRIPTION
    The object carries Action (quarantine…), Object (the file acted on), Outcome (quarantined,
    pending-reboot, refused, failed, what-if, restored, purged, evicted), Reason (a stable code
    such as too-large or max-actions), Detail (words), Entry (the quarantine entry id), Sha256,
    Iocs (the IOCs, id and sha256, whose detections named the object), RunId and Time
    (docs/actions.md).
    #>
    [CmdletBinding()]
    [OutputType('IocScan.ActionResult')]
    param([Parameter(Mandatory, ValueFromPipeline)] $InputObject)
    process {
        $run = Get-IocProperty $InputObject 'runId'
        if ($null -ne $run) { $run = [long]$run }
        [pscustomobject]@{
            PSTypeName = 'IocScan.ActionResult'
            Action     = Get-IocProperty $InputObject 'action'
            Object     = Get-IocProperty $InputObject 'object'
            Outcome    = Get-IocProperty $InputObject 'outcome'
            Reason     = Get-IocProperty $InputObject 'reason'
            Detail     = Get-IocProperty $InputObject 'detail'
            Entry      = Get-IocProperty $InputObject 'entry'
            Sha256     = Get-IocProperty $InputObject 'sha256'
            Iocs       = @(Get-IocProperty $InputObject 'iocs' @())
            RunId      = $run
            Time       = ConvertTo-IocDateTime (Get-IocProperty $InputObject 'time')
        }
    }
}
