function ConvertTo-IocQuarantineEntry {
    <#
    .SYNOPSIS
    Turns an engine `quarantine-entry` event into an IocScan.QuarantineEntry object.
    .DESCRIPTION
    The object carries Id, OriginalPath, State (deleting, quarantined, pending-reboot,
    kept-original, restored, purged), Size, Sha256, Sha1, Md5, QuarantinedAt, RunId, Host, Iocs,
    HardLinks, Metadata, Streams, History, Notes (the store's record; docs/quarantine.md) and
    QuarantinePath, the store it came from, so that Restore-IocQuarantine and
    Remove-IocQuarantine take it from the pipeline.
    #>
    [CmdletBinding()]
    [OutputType('IocScan.QuarantineEntry')]
    param(
        [Parameter(Mandatory, ValueFromPipeline)] $InputObject,
        [AllowEmptyString()] [string] $QuarantinePath = ''
    )
    process {
        $run = Get-IocProperty $InputObject 'runId'
        if ($null -ne $run) { $run = [long]$run }
        $store = $QuarantinePath
        if (-not $store) { $store = $null }
        [pscustomobject]@{
            PSTypeName     = 'IocScan.QuarantineEntry'
            Id             = Get-IocProperty $InputObject 'id'
            OriginalPath   = Get-IocProperty $InputObject 'originalPath'
            State          = Get-IocProperty $InputObject 'state'
            Size           = [long](Get-IocProperty $InputObject 'size' 0)
            Sha256         = Get-IocProperty $InputObject 'sha256'
            Sha1           = Get-IocProperty $InputObject 'sha1'
            Md5            = Get-IocProperty $InputObject 'md5'
            QuarantinedAt  = ConvertTo-IocDateTime (Get-IocProperty $InputObject 'quarantinedAt')
            RunId          = $run
            Host           = Get-IocProperty $InputObject 'host'
            Iocs           = @(Get-IocProperty $InputObject 'iocs' @())
            HardLinks      = [int](Get-IocProperty $InputObject 'hardLinks' 1)
            Metadata       = Get-IocProperty $InputObject 'metadata'
            Streams        = @(Get-IocProperty $InputObject 'streams' @())
            History        = @(Get-IocProperty $InputObject 'history' @())
            Notes          = @(Get-IocProperty $InputObject 'notes' @())
            QuarantinePath = $store
        }
    }
}
