function Remove-IocQuarantine {
    <#
    .SYNOPSIS
    Removes quarantined copies for good; their records stay as the audit.

    .DESCRIPTION
    Remove-IocQuarantine runs `iocscan quarantine purge --json`, by entry (-Id, from the pipeline)
    or by age (-OlderThanDays), and writes one IocScan.ActionResult (Outcome purged) per copy
    removed. A removed copy cannot be restored; the entry's record stays in the store with state
    purged. It asks for confirmation unless -Confirm:$false is given (ConfirmImpact High).

    An -Id the store does not hold gives a non-terminating IocScan.QuarantineEntryNotFound error.

    .PARAMETER Id
    The entries whose copies to remove. Binds from the pipeline (IocScan.QuarantineEntry).
    .PARAMETER OlderThanDays
    Remove the copies of entries quarantined more than this many days ago.
    .PARAMETER QuarantinePath
    The quarantine store (see Get-IocQuarantine). Binds from the pipeline.

    .EXAMPLE
    Get-IocQuarantine | Where-Object State -eq restored | Remove-IocQuarantine -Confirm:$false

    Removes the copies of the files that were restored already.

    .EXAMPLE
    Remove-IocQuarantine -OlderThanDays 90

    Removes the copies older than 90 days, after asking.

    .INPUTS
    IocScan.QuarantineEntry, System.String
    .OUTPUTS
    IocScan.ActionResult
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High', DefaultParameterSetName = 'ById')]
    [OutputType('IocScan.ActionResult')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName, ParameterSetName = 'ById')]
        [ValidateNotNullOrEmpty()] [string[]] $Id,
        [Parameter(Mandatory, ParameterSetName = 'ByAge')]
        [ValidateRange(0, 36500)] [double] $OlderThanDays,
        [Parameter(ValueFromPipelineByPropertyName)] [string] $QuarantinePath
    )
    process {
        $storeArguments = @()
        if ($QuarantinePath) { $storeArguments = @('--quarantine-dir', (Resolve-IocFullPath $QuarantinePath)) }
        $requests = if ($PSCmdlet.ParameterSetName -eq 'ByAge') {
            , @{ Target = "entries older than $OlderThanDays days"; Argument = @('--older-than', [string]$OlderThanDays); Id = $null }
        } else {
            foreach ($entryId in $Id) { @{ Target = $entryId; Argument = @('--id', $entryId); Id = $entryId } }
        }
        foreach ($request in $requests) {
            if (-not $PSCmdlet.ShouldProcess((ConvertTo-IocDisplayText $request.Target), 'Remove the quarantined copy for good')) { continue }
            $events = @(Invoke-IocEngineEvent -Cmdlet $PSCmdlet -Activity 'Purging the quarantine' `
                    -Argument (@('quarantine', 'purge') + $request.Argument + $storeArguments + @('--json')) -PassThruFailure `
                    -Permission (Get-IocEnginePermission -Set Live))
            $failure = $events | Where-Object { $_.PSObject.TypeNames -contains 'IocScan.EngineExit' } | Select-Object -First 1
            if ($null -ne $failure) {
                $detail = ConvertTo-IocDisplayText ([string]$failure.StandardError).Trim()
                if ($null -ne $request.Id -and $detail -match 'no entry|entry id looks like') {
                    $PSCmdlet.WriteError((New-IocErrorRecord -ErrorId QuarantineEntryNotFound -Category ObjectNotFound -TargetObject $request.Id `
                                -Message "There is no quarantine entry '$($request.Id)': $detail"))
                    continue
                }
                $PSCmdlet.ThrowTerminatingError((New-IocErrorRecord -ErrorId EngineFailed -Category InvalidOperation -TargetObject $request.Target `
                            -Message "The iocscan engine could not purge the quarantine (exit code $($failure.ExitCode)): $detail"))
            }
            $events | Where-Object { (Get-IocProperty $_ 'type') -eq 'action' } | ConvertTo-IocActionResult
        }
    }
}
