function ConvertTo-IocRun {
    <#
    .SYNOPSIS
    Turns an engine `run` event and the run's `detection` events into an IocScan.Run object.
    .DESCRIPTION
    The detections become IocScan.Detection objects stamped with the run's id and, lacking a time
    of their own, the run's finish (or start) time.
    #>
    [CmdletBinding()]
    [OutputType('IocScan.Run')]
    param(
        [Parameter(Mandatory)] $InputObject,
        [AllowEmptyCollection()] [object[]] $Detection = @(),
        [string] $DatabasePath,
        # The detections were not read: Detections is $null and DetectionCount comes from counts.
        [switch] $NoDetection
    )
    $id = [long](Get-IocProperty $InputObject 'id')
    $started = ConvertTo-IocDateTime (Get-IocProperty $InputObject 'started')
    $finished = ConvertTo-IocDateTime (Get-IocProperty $InputObject 'finished')
    $stamp = $finished
    if ($null -eq $stamp) { $stamp = $started }
    if ($null -eq $stamp) { $stamp = Get-Date }
    $detections = @($Detection | Where-Object { $null -ne $_ } |
            ForEach-Object { ConvertTo-IocDetection -InputObject $_ -Timestamp $stamp -RunId $id })
    $detectionCount = $detections.Count
    if ($NoDetection) {
        $detections = $null
        $detectionCount = [int](Get-IocProperty (Get-IocProperty $InputObject 'counts') 'detections' 0)
    }
    [pscustomobject]@{
        PSTypeName     = 'IocScan.Run'
        Id             = $id
        TaskName       = Get-IocProperty $InputObject 'taskName'
        Host           = Get-IocProperty $InputObject 'host'
        User           = Get-IocProperty $InputObject 'user'
        Started        = $started
        Finished       = $finished
        Status         = Get-IocProperty $InputObject 'status'
        Counts         = Get-IocProperty $InputObject 'counts'
        Options        = Get-IocProperty $InputObject 'options'
        DetectionCount = $detectionCount
        Detections     = $detections
        DatabasePath   = $(if ($DatabasePath) { $DatabasePath } else { $null })
    }
}
