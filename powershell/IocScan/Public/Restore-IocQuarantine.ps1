function Restore-IocQuarantine {
    <#
    .SYNOPSIS
    Brings a quarantined file back, verified, with its metadata.

    .DESCRIPTION
    Restore-IocQuarantine runs `iocscan quarantine restore ID --json`: the engine decrypts the
    entry's copy beside the destination, checks its SHA-256 against the one recorded when it was
    quarantined, re-applies owner, mode, ACL, alternate streams and timestamps, and renames it into
    place (docs/quarantine.md). It writes one IocScan.ActionResult (Outcome restored).

    A file that exists at the destination is not replaced unless -Force is given. A refused or
    failed restore (an existing file, a copy whose hash no longer matches) gives a
    non-terminating IocScan.QuarantineRestoreRefused or IocScan.QuarantineRestoreFailed error whose
    message names the engine's reason; an unknown id gives IocScan.QuarantineEntryNotFound.

    .PARAMETER Id
    The entry to restore. Binds from the pipeline (IocScan.QuarantineEntry from Get-IocQuarantine).
    .PARAMETER Destination
    Restore to this path instead of the file's original one.
    .PARAMETER Force
    Replace a file that exists at the destination.
    .PARAMETER QuarantinePath
    The quarantine store (see Get-IocQuarantine). Binds from the pipeline.
    .PARAMETER OriginalPath
    Where the file was (binds from IocScan.QuarantineEntry): named in the confirmation prompt only;
    the engine restores to the path the entry records, or -Destination.

    .EXAMPLE
    Get-IocQuarantine | Where-Object OriginalPath -like '/srv/www/*' | Restore-IocQuarantine

    Restores every file quarantined below /srv/www, asking first for each.

    .EXAMPLE
    Restore-IocQuarantine -Id 0b5f… -Destination /tmp/sample.bin -Confirm:$false

    Restores one entry's file to another place for analysis.

    .INPUTS
    IocScan.QuarantineEntry, System.String
    .OUTPUTS
    IocScan.ActionResult
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType('IocScan.ActionResult')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()] [string[]] $Id,
        [string] $Destination,
        [switch] $Force,
        [Parameter(ValueFromPipelineByPropertyName)] [string] $QuarantinePath,
        [Parameter(ValueFromPipelineByPropertyName)] [string] $OriginalPath
    )
    process {
        foreach ($entryId in $Id) {
            $arguments = @('quarantine', 'restore', $entryId)
            if ($QuarantinePath) { $arguments += @('--quarantine-dir', (Resolve-IocFullPath $QuarantinePath)) }
            $target = $entryId
            if ($Destination) {
                $arguments += @('--to', (Resolve-IocFullPath $Destination))
                $target = '{0} to {1}' -f $entryId, $Destination
            } elseif ($OriginalPath) {
                $target = '{0} to {1}' -f $entryId, $OriginalPath
            }
            if ($Force) { $arguments += '--force' }
            if (-not $PSCmdlet.ShouldProcess((ConvertTo-IocDisplayText $target), 'Restore the quarantined file')) { continue }
            $events = @(Invoke-IocEngineEvent -Cmdlet $PSCmdlet -Activity 'Restoring from quarantine' `
                    -Argument ($arguments + @('--json')) -PassThruFailure -Permission (Get-IocEnginePermission -Set Live))
            $results = @($events | Where-Object { (Get-IocProperty $_ 'type') -eq 'action' } | ConvertTo-IocActionResult)
            $failure = $events | Where-Object { $_.PSObject.TypeNames -contains 'IocScan.EngineExit' } | Select-Object -First 1
            foreach ($result in $results) {
                if ($result.Outcome -eq 'restored') { $result; continue }
                $errorId = if ($result.Outcome -eq 'refused') { 'QuarantineRestoreRefused' } else { 'QuarantineRestoreFailed' }
                $PSCmdlet.WriteError((New-IocErrorRecord -ErrorId $errorId -Category InvalidOperation -TargetObject $entryId `
                            -Message (ConvertTo-IocDisplayText ("The quarantine entry '{0}' was not restored to '{1}': {2} ({3})" -f
                                    $entryId, $result.Object, $result.Reason, $result.Detail))))
            }
            if ($null -ne $failure -and $results.Count -eq 0) {
                $detail = ConvertTo-IocDisplayText ([string]$failure.StandardError).Trim()
                if ($detail -match 'no entry|no quarantine store|entry id looks like') {
                    $PSCmdlet.WriteError((New-IocErrorRecord -ErrorId QuarantineEntryNotFound -Category ObjectNotFound -TargetObject $entryId `
                                -Message "There is no quarantine entry '$entryId': $detail"))
                    continue
                }
                $PSCmdlet.ThrowTerminatingError((New-IocErrorRecord -ErrorId EngineFailed -Category InvalidOperation -TargetObject $entryId `
                            -Message "The iocscan engine could not restore '$entryId' (exit code $($failure.ExitCode)): $detail"))
            }
        }
    }
}
