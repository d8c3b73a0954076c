function Read-IocRun {
    <#
    .SYNOPSIS
    Reads one stored run and its detections (`iocscan results --db FILE --run ID --json`).
    .DESCRIPTION
    Writes an IocScan.Run, or a non-terminating IocScan.RunNotFound error when the database has no
    such run.
    #>
    [CmdletBinding()]
    [OutputType('IocScan.Run')]
    param(
        [Parameter(Mandatory)] [string] $DatabasePath,
        [Parameter(Mandatory)] [long] $RunId,
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet
    )
    $events = @(Invoke-IocEngineEvent -Cmdlet $Cmdlet -Activity 'Reading results' `
            -Argument @('results', '--db', $DatabasePath, '--run', [string]$RunId, '--json'))
    $runEvent = $events | Where-Object { (Get-IocProperty $_ 'type') -eq 'run' -and [string](Get-IocProperty $_ 'id') -eq [string]$RunId } |
        Select-Object -First 1
    if ($null -eq $runEvent) {
        $Cmdlet.WriteError((New-IocErrorRecord -ErrorId RunNotFound -Category ObjectNotFound -TargetObject $RunId `
                    -Message "The results database '$DatabasePath' has no run $RunId."))
        return
    }
    $detections = @($events | Where-Object { (Get-IocProperty $_ 'type') -eq 'detection' })
    ConvertTo-IocRun -InputObject $runEvent -Detection $detections -DatabasePath $DatabasePath
}
