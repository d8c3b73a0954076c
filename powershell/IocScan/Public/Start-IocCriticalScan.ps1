function Start-IocCriticalScan {
    <#
    .SYNOPSIS
    Scans the critical areas of this host (running processes and their modules, kernel modules and
    drivers, autostart places, the disks' boot records), with IOCs if given, and hands them to the
    host's antivirus.

    .DESCRIPTION
    Start-IocCriticalScan runs `iocscan critical-scan --json` (docs/critical-scan.md) and turns its
    event stream into objects:
      - one IocScan.Detection object per IOC that hit, as Invoke-IocScan writes them (the images
        and modules of running processes, autostart images and kernel module files are FileItem
        objects, so FileItem and PEInfo IOCs reach them outside any file scope);
      - one IocScan.Finding object per finding: a result from a source other than an IOC (RunId,
        Source, Kind, Object, Severity, Detail, Time, Data). Kind is a stable code: antivirus
        (the antivirus flagged a file: Severity detection), antivirus-unavailable and
        antivirus-files-not-scanned (no verdict, or files without one: Severity incomplete),
        anonymous-executable-memory (executable memory no file backs; JIT compilers make it:
        Severity notice), unknown-origin-driver (a kernel module without a file or unsigned:
        Severity notice), boot-record-problem (the disks' structure check: Severity notice),
        area-not-read (an area, a process or a disk not read: Severity incomplete, or notice for
        the kernel's module list);
      - engine warnings as Write-Warning, progress as Write-Progress, skips as Write-Verbose;
      - an incomplete run (no antivirus verdict, an area not covered, an IOC not decided) as
        warnings: one saying the scan is INCOMPLETE, then one per reason. It is never clean.
    Without -IocPath the IOC-independent parts (findings, the antivirus) still run and the run is
    stored. The scan reads the live host and runs with every engine permission.

    .PARAMETER IocPath
    OpenIOC files, or folders of them, to evaluate on the critical areas. Optional.
    .PARAMETER Antivirus
    The antivirus to hand the critical set to: auto (ClamAV on Linux, Microsoft Defender on
    Windows; the default), clamav, defender, none.
    .PARAMETER ClamavDatabase
    The ClamAV signature database (a file or folder) clamscan loads; default: ClamAV's own.
    .PARAMETER DatabasePath
    The results store: a SQLite file or a postgres:// URL (its password goes to the engine in
    PGPASSWORD only). Default: the engine's default store.
    .PARAMETER TaskName
    A name for the run in the results store.

    .EXAMPLE
    Start-IocCriticalScan

    Sweeps the critical areas and runs the host's antivirus on them; writes the findings.

    .EXAMPLE
    Start-IocCriticalScan -IocPath ./iocs | Where-Object { $_.PSTypeNames -contains 'IocScan.Finding' -and $_.Severity -eq 'detection' }

    Keeps the antivirus's detections.

    .INPUTS
    None.
    .OUTPUTS
    IocScan.Detection
    IocScan.Finding
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType('IocScan.Detection', 'IocScan.Finding')]
    param(
        [Parameter(Position = 0)] [ValidateNotNullOrEmpty()] [string[]] $IocPath,
        [ValidateSet('auto', 'clamav', 'defender', 'none')] [string] $Antivirus = 'auto',
        [ValidateNotNullOrEmpty()] [string] $ClamavDatabase,
        [string] $DatabasePath,
        [string] $TaskName
    )

    $arguments = [System.Collections.Generic.List[string]]::new()
    $arguments.AddRange([string[]]@('critical-scan', '--json', '--antivirus', $Antivirus))
    if ($IocPath) {
        $arguments.Add('--ioc')
        foreach ($path in $IocPath) { $arguments.Add((Resolve-IocFullPath $path)) }
    }
    if ($ClamavDatabase) { $arguments.AddRange([string[]]@('--clamav-database', (Resolve-IocFullPath $ClamavDatabase))) }
    if ($TaskName) { $arguments.AddRange([string[]]@('--task-name', $TaskName)) }
    # A database password goes to the engine in PGPASSWORD, never on its command line.
    $engineEnvironment = @{}
    $database = ''
    if ($DatabasePath) {
        $split = Split-IocDatabaseSecret $DatabasePath
        $database = Resolve-IocDatabasePath $split.Location
        $arguments.AddRange([string[]]@('--db', $database))
        if ($null -ne $split.Password) { $engineEnvironment.PGPASSWORD = $split.Password }
    }
    if (-not $PSCmdlet.ShouldProcess('this host', 'Scan the critical areas')) { return }

    try {
        Invoke-IocEngineEvent -Cmdlet $PSCmdlet -Activity 'IOC critical-areas scan' -Argument $arguments.ToArray() `
            -SuccessExitCode @(0, 1, 3) -StopThroughStdin `
            -Permission (Get-IocEnginePermission -Set Live -Store Write -DatabasePath $database) -Environment $engineEnvironment |
            ForEach-Object {
                $type = Get-IocProperty $_ 'type'
                if ($type -eq 'detection') {
                    ConvertTo-IocDetection -InputObject $_ -Timestamp (Get-Date)
                } elseif ($type -eq 'finding') {
                    ConvertTo-IocFinding -InputObject $_
                } elseif ($type -eq 'summary') {
                    Write-Verbose (ConvertTo-IocDisplayText ('summary: {0}' -f (ConvertTo-Json -InputObject $_ -Compress -Depth 4)))
                    $runId = Get-IocProperty $_ 'runId'
                    if ($null -ne $runId) { Write-Verbose "The run was stored as run $runId (Get-IocScanResult -RunId $runId)." }
                    if ((Get-IocProperty $_ 'complete' $true) -eq $false) {
                        $reasons = @(Get-IocProperty $_ 'incomplete' @())
                        $PSCmdlet.WriteWarning(('The critical-areas scan is INCOMPLETE: {0} area(s), input(s) or IOC(s) were not covered. This is not a clean result.' -f $reasons.Count))
                        foreach ($reason in $reasons) {
                            $PSCmdlet.WriteWarning((ConvertTo-IocDisplayText ('[incomplete] {0}: {1}' -f (Get-IocProperty $reason 'what' ''), (Get-IocProperty $reason 'why' ''))))
                        }
                    }
                }
            }
    } catch [System.Management.Automation.PipelineStoppedException] {
        throw
    } catch {
        $PSCmdlet.ThrowTerminatingError($_)
    }
}
