function Get-IocQuarantine {
    <#
    .SYNOPSIS
    Lists the files response actions quarantined, or shows one entry.

    .DESCRIPTION
    Get-IocQuarantine reads the quarantine store with the engine (`iocscan quarantine list --json`,
    or `quarantine show ID --json` with -Id) and writes one IocScan.QuarantineEntry object per
    entry: Id, OriginalPath, State, Size, Sha256, QuarantinedAt, RunId, Iocs, Metadata, History
    and the store it came from (QuarantinePath). The store is self-contained: it is read without
    the results database. Opening it first finishes or rolls back a quarantine a crash
    interrupted (docs/quarantine.md); the engine says so in verbose messages.

    An -Id the store does not hold gives a non-terminating IocScan.QuarantineEntryNotFound error;
    a store that cannot be read throws IocScan.EngineFailed. A store that does not exist yet holds
    no entries.

    .PARAMETER Id
    The entries to show. Without it, every entry.
    .PARAMETER QuarantinePath
    The quarantine store. By default IOCSCAN_QUARANTINE_DIR, else %ProgramData%\iocscan\quarantine
    on Windows and /var/lib/iocscan/quarantine on Linux.

    .EXAMPLE
    Get-IocQuarantine | Where-Object State -eq quarantined | Format-Table

    Lists what is in quarantine now.

    .EXAMPLE
    Get-IocQuarantine -Id 0b5f… | Select-Object -ExpandProperty History

    Shows how one entry got to its state.

    .INPUTS
    System.String
    .OUTPUTS
    IocScan.QuarantineEntry
    #>
    [CmdletBinding()]
    [OutputType('IocScan.QuarantineEntry')]
    param(
        [Parameter(Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()] [string[]] $Id,
        [Parameter(ValueFromPipelineByPropertyName)] [string] $QuarantinePath
    )
    process {
        $store = ''
        $storeArguments = @()
        if ($QuarantinePath) {
            $store = Resolve-IocFullPath $QuarantinePath
            $storeArguments = @('--quarantine-dir', $store)
        }
        $requests = @(if ($Id) { foreach ($entryId in $Id) { , @('quarantine', 'show', $entryId) } } else { , @('quarantine', 'list') })
        foreach ($request in $requests) {
            $events = @(Invoke-IocEngineEvent -Cmdlet $PSCmdlet -Activity 'Reading the quarantine' `
                    -Argument ($request + $storeArguments + @('--json')) -PassThruFailure -Permission (Get-IocEnginePermission -Set Live))
            $failure = $events | Where-Object { $_.PSObject.TypeNames -contains 'IocScan.EngineExit' } | Select-Object -First 1
            if ($null -ne $failure) {
                $detail = ConvertTo-IocDisplayText ([string]$failure.StandardError).Trim()
                if ($request[1] -eq 'show' -and $detail -match 'no entry|no quarantine store|entry id looks like') {
                    $PSCmdlet.WriteError((New-IocErrorRecord -ErrorId QuarantineEntryNotFound -Category ObjectNotFound -TargetObject $request[2] `
                                -Message "There is no quarantine entry '$($request[2])': $detail"))
                    continue
                }
                $PSCmdlet.ThrowTerminatingError((New-IocErrorRecord -ErrorId EngineFailed -Category InvalidOperation -TargetObject $store `
                            -Message "The iocscan engine could not read the quarantine store (exit code $($failure.ExitCode)): $detail"))
            }
            $summary = $events | Where-Object { (Get-IocProperty $_ 'type') -eq 'summary' } | Select-Object -Last 1
            $storeDir = [string](Get-IocProperty $summary 'quarantineDir' $store)
            $events | Where-Object { (Get-IocProperty $_ 'type') -eq 'quarantine-entry' } |
                ConvertTo-IocQuarantineEntry -QuarantinePath $storeDir
        }
    }
}
