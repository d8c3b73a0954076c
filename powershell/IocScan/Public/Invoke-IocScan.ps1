function Invoke-IocScan {
    <#
    .SYNOPSIS
    Scans this host, or offline evidence, for OpenIOC indicators and returns one object per detection.

    .DESCRIPTION
    Invoke-IocScan hands the scan parameters to the iocscan engine through a JSON task file
    (`iocscan scan --task FILE --json`), reads the engine's NDJSON event stream as it arrives and
    turns it into PowerShell output:
      - one IocScan.Detection object per IOC that hit (RunId, IocId, IocSha256, IocName, IocFile,
        Timestamp, Objects and Evidence; Evidence lists the matched objects with the items and
        observed values). IocId and IocSha256 together name the IOC: two files may share an id;
        byte-identical copies are evaluated once;
      - engine progress as Write-Progress; engine warnings as Write-Warning;
      - IOC files the engine rejects as non-terminating IocScan.IocFileRejected errors;
      - skipped objects and items that could not be evaluated as verbose messages (-Verbose);
      - an incomplete scan (engine exit code 3: nothing detected, but a named input could not be
        read or an IOC could not be evaluated; or detections from a run that was not complete) as
        Write-Warning: one warning saying the scan is INCOMPLETE, then one per reason (what, why).
        Such a scan is never clean: check the warnings before reading "no objects" as "no
        compromise". -WarningVariable keeps them.
    When the engine cannot run at all (exit code 2: bad parameters, no readable IOC, unreadable
    evidence, the store not openable) the command throws IocScan.EngineFailed; when no engine is
    installed it throws IocScan.EngineNotFound.

    Ctrl+C (or any early stop of the pipeline) stops the scan cleanly: the engine's stdin is
    closed, and the command waits (up to 60 s) while the engine evaluates and stores what it
    found as an 'interrupted' run, which Get-IocScanResult then shows. An engine stopped by a
    signal of its own (SIGTERM, SIGHUP) writes the detections found so far and the command
    reports a non-terminating IocScan.EngineInterrupted error.

    The engine is the compiled bin/iocscan(.exe) next to the module, or deno running the bundled
    engine (see docs/powershell.md). Nothing but detections is written to the pipeline, so
    `Invoke-IocScan ... | Export-Csv` and `(Invoke-IocScan ...).Count` mean what they say.

    .PARAMETER IocPath
    OpenIOC files, or folders of them, to evaluate. Required.
    .PARAMETER Path
    Folders or files to scan with the file collector (scan scopes).
    .PARAMETER Depth
    How deep to descend below each -Path folder; unlimited when not given.
    .PARAMETER Preset
    Predefined scopes: important-areas (system folders, user profiles, autostart locations) or
    all-drives.
    .PARAMETER Exclude
    Glob patterns of paths not to scan (for example '**\node_modules\**').
    .PARAMETER DataType
    The collectors to run: file, eventlog, registry, process, port, dns, arp, route, network,
    url-history, volume, user, system, task, autoruns, service, driver, disk (the engine's list, Data/Collectors.psd1). By default every collector that an IOC needs and a scope
    provides.
    .PARAMETER EventLog
    Event log channels to read (for example Security, System).
    .PARAMETER Since
    Only consider event log records at or after this time.
    .PARAMETER Until
    Only consider event log records before this time.
    .PARAMETER RegistryKey
    Registry keys to read, as HKLM\... paths.
    .PARAMETER RegistryFull
    Read the whole registry rather than only the keys the IOCs name.
    .PARAMETER EndpointNetwork
    Match Network/DNS and Network/URI items against the host names this machine resolved (Sysmon
    DNS query events of the evidence or the live Sysmon channel, the DNS cache). Off by default:
    without it those items are not evaluated (docs/matching.md, "Endpoint network mode").
    .PARAMETER Evidence
    Offline evidence: .evtx files or folders, registry hive files, or the root folder of a mounted
    disk image. Scanned instead of, or as well as, the live host. An empty list is refused: without
    evidence the scan would be a live scan of this machine.
    .PARAMETER DiskImage
    Raw disk images (.img, .dd, .raw) whose partition tables and boot records are read for DiskItem
    terms (docs/disk.md). Offline evidence: the live host's disks are then not read.
    .PARAMETER RootDrive
    The drive (D: or D) that files below a mounted image root given in -Evidence are shown on, as
    the Windows paths they had (D:\Windows\...). By default the root folder's name tells it (/mnt/d,
    drive_c), else C:.
    .PARAMETER DatabasePath
    The results database (a SQLite file, or a postgres:// URL) where the engine stores the run and
    its detections; read it back with Get-IocScanResult. Without it the run goes to the engine's
    default database: %ProgramData%\IocScan\iocscan.db on Windows, /var/lib/iocscan/iocscan.db as
    root on Linux, ~/.local/share/iocscan/iocscan.db otherwise.
    .PARAMETER LocalDatabasePath
    With a postgres:// -DatabasePath (a fleet store, docs/fleet.md): the local SQLite store that
    records the run first and keeps it until it is uploaded; a run the server could not take
    waits there (a warning says so) and goes with the next scan. Default: the engine's default
    database.
    .PARAMETER DatabaseCa
    A CA certificate file (PEM) the PostgreSQL server's certificate must chain to: the connection
    is then TLS with the server's name verified (sslmode=verify-full).
    .PARAMETER MaxFileSize
    Files larger than this many bytes are skipped (reported with -Verbose).
    .PARAMETER TaskName
    A name recorded with the run in the results database (scheduled tasks use their own name).
    .PARAMETER Action
    Response actions to run on the detections once the scan has finished (the engine's list,
    Data/Actions.psd1, any case, CriticalScan for critical-scan), in this order: CriticalScan also
    sweeps the critical areas (running processes and their modules, kernel modules, autostart
    places, boot records) in the same run and hands them to the antivirus (docs/critical-scan.md);
    Quarantine moves a neutered, restorable copy of each detected file (and of the image of a
    detected process, service or driver) into the quarantine store and deletes the file; Isolate
    isolates the host from the network for -IsolationDuration when the run has a detection
    (docs/isolation.md; the isolation's state and audit go to the results database)
    (docs/actions.md). With -Action the detections are written when the scan ends, each with
    an Actions property: the IocScan.ActionResult objects (Object, Outcome, Reason, Entry…) of
    what was done for its IOC; the counts by outcome are an information message. A run that was
    interrupted or failed runs no action (a warning says so); a failed action is a warning too.
    With -WhatIf the scan runs and the actions only say what they would do (Outcome what-if):
    nothing is changed, the quarantine store is not even created.
    .PARAMETER QuarantinePath
    The quarantine store. By default IOCSCAN_QUARANTINE_DIR, else %ProgramData%\iocscan\quarantine
    on Windows and /var/lib/iocscan/quarantine on Linux.
    .PARAMETER MaxActions
    Act on at most this many objects in this run (default 50); the others are refused with reason
    max-actions, so that a bad IOC cannot delete a fleet's worth of files.
    .PARAMETER MaxQuarantineSize
    Files larger than this many bytes are refused with reason too-large (default 100 MB).
    .PARAMETER ForceAction
    Quarantine system-critical files too (files of installed packages, kernel modules, files under
    %SystemRoot% owned by TrustedInstaller), which are refused otherwise.
    .PARAMETER Terminate
    Stop the processes running a detected image before deleting it.
    .PARAMETER IsolationDuration
    How long -Action Isolate isolates the host: a TimeSpan (New-TimeSpan -Hours 8) or the engine's
    spelling (8h, 90m, 1h30m); 1 minute to 9999 hours, 8 hours by default.
    .PARAMETER IsolationAllow
    Peers -Action Isolate also allows, HOST[:PORT][/tcp|udp] each (names are resolved before
    anything is blocked). Loopback, DHCP, neighbour discovery, the DNS servers and the results
    database's host are always allowed.
    .PARAMETER IsolationProbe
    The forbidden target (HOST:PORT, TCP) of the isolation's self-test; by default TCP 443 of the
    default gateway.
    .PARAMETER IsolationReason
    Why, for the isolation's audit (default: the names of the detecting IOCs).
    .PARAMETER Antivirus
    The antivirus -Action CriticalScan hands the critical set to: auto (ClamAV on Linux, Defender
    on Windows), clamav, defender or none.
    .PARAMETER ClamavDatabase
    The ClamAV signature database (file or folder) clamscan loads for -Action CriticalScan.

    .EXAMPLE
    Invoke-IocScan -IocPath C:\IOCs -Path C:\Users

    Scans every user profile with the IOCs in C:\IOCs and lists what matched.

    .EXAMPLE
    Invoke-IocScan -IocPath .\iocs -Preset important-areas -DatabasePath D:\cases\ws01.db |
        Select-Object IocName, Objects

    Scans the important areas of the host, stores the run, and shows which objects matched each IOC.

    .EXAMPLE
    Invoke-IocScan -IocPath .\iocs -Evidence D:\case42\Security.evtx, D:\case42\SYSTEM -Since (Get-Date).AddDays(-7)

    Evaluates event log and registry IOCs against evidence copied from another machine.

    .EXAMPLE
    Invoke-IocScan -IocPath .\iocs -Path D:\share -Action Quarantine -WhatIf

    Scans the share and lists, in each detection's Actions, what the quarantine would do; nothing is
    changed. Without -WhatIf the detected files are quarantined (Get-IocQuarantine lists them).

    .EXAMPLE
    Invoke-IocScan -IocPath .\iocs -Path D:\share -Action CriticalScan, Quarantine, Isolate -IsolationDuration (New-TimeSpan -Hours 4) -IsolationAllow mgmt.contoso.com:443

    Scans the share and the critical areas in one run, quarantines what is detected, then isolates
    the host for four hours (the management server still reachable) if anything was.

    .EXAMPLE
    $hits = Invoke-IocScan -IocPath .\iocs -Path D:\share -WarningVariable problems
    $hits.Evidence.Items | Format-Table Search, Condition, Expected, Observed

    Keeps the engine's warnings in $problems and shows why each detection held.

    .INPUTS
    None.
    .OUTPUTS
    IocScan.Detection
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType('IocScan.Detection')]
    param(
        [Parameter(Mandatory, Position = 0)] [ValidateNotNullOrEmpty()] [string[]] $IocPath,
        [Parameter(Position = 1)] [ValidateNotNullOrEmpty()] [string[]] $Path,
        [ValidateRange(0, 4096)] [Nullable[int]] $Depth,
        [ValidateSet('important-areas', 'all-drives')] [string[]] $Preset,
        [string[]] $Exclude,
        [ValidateScript({ Assert-IocCollectorName $_ })]
        [ArgumentCompleter({ param($command, $parameter, $word) & (Get-Module IocScan) { (Get-IocCollector).Name } | Where-Object { $_ -like "$word*" } })]
        [string[]] $DataType,
        [string[]] $EventLog,
        [Nullable[datetime]] $Since,
        [Nullable[datetime]] $Until,
        [string[]] $RegistryKey,
        [switch] $RegistryFull,
        [switch] $EndpointNetwork,
        [ValidateNotNullOrEmpty()] [string[]] $Evidence,
        [ValidateNotNullOrEmpty()] [string[]] $DiskImage,
        [ValidatePattern('^[A-Za-z]:?$')] [string] $RootDrive,
        [string] $DatabasePath,
        [string] $LocalDatabasePath,
        [string] $DatabaseCa,
        [ValidateRange(1, [long]::MaxValue)] [Nullable[long]] $MaxFileSize,
        [string] $TaskName,
        [ValidateScript({ Assert-IocActionName $_ })]
        [ArgumentCompleter({ param($command, $parameter, $word) & (Get-Module IocScan) { (Get-IocAction).Name } | Where-Object { $_ -like "$word*" } })]
        [string[]] $Action,
        [string] $QuarantinePath,
        [ValidateRange(1, [int]::MaxValue)] [Nullable[long]] $MaxActions,
        [ValidateRange(1, [long]::MaxValue)] [Nullable[long]] $MaxQuarantineSize,
        [switch] $ForceAction,
        [switch] $Terminate,
        [object] $IsolationDuration,
        [ValidateScript({ Assert-IocIsolationAllow -Value $_; $true })] [string[]] $IsolationAllow,
        [ValidateScript({ Assert-IocIsolationAllow -Value $_; $true })] [string] $IsolationProbe,
        [string] $IsolationReason,
        [ValidateSet('auto', 'clamav', 'defender', 'none')] [string] $Antivirus,
        [ValidateNotNullOrEmpty()] [string] $ClamavDatabase
    )

    $documentParameters = @{}
    # The scan's own parameters, then each collector option's (Data/Collectors.psd1).
    $taskParameters = @('IocPath', 'Path', 'Depth', 'DataType', 'Evidence', 'RootDrive', 'DatabasePath', 'LocalDatabasePath', 'DatabaseCa', 'TaskName') +
        @((Get-IocCollector).Options | ForEach-Object { $_.Parameter }) +
        # The actions and their options (Data/Actions.psd1); -WhatIf is handled below.
        @('Action') + @((Get-IocAction).Options | ForEach-Object { $_.Parameter })
    foreach ($name in $PSBoundParameters.Keys) {
        if ($name -in $taskParameters) {
            $documentParameters[$name] = $PSBoundParameters[$name]
        }
    }
    # A database password goes to the engine in PGPASSWORD, never into the task file.
    $engineEnvironment = @{}
    if ($DatabasePath) {
        $split = Split-IocDatabaseSecret $DatabasePath
        $documentParameters.DatabasePath = $split.Location
        if ($null -ne $split.Password) { $engineEnvironment.PGPASSWORD = $split.Password }
    }
    # With actions, -WhatIf runs the scan (which changes nothing) and asks the actions what they
    # would do; without, it skips the scan as before.
    $actionWhatIf = $Action -and [bool]$WhatIfPreference
    if ($actionWhatIf) { $documentParameters.WhatIf = $true }
    $document = New-IocTaskDocument @documentParameters

    $target = ($document.iocPaths -join ', ')
    $scopes = @()
    if ($Path) { $scopes += $Path }
    if ($Preset) { $scopes += $Preset }
    if ($Evidence) { $scopes += $Evidence }
    if ($DiskImage) { $scopes += $DiskImage }
    if ($scopes.Count -gt 0) { $target = '{0} against {1}' -f $target, ($scopes -join ', ') }
    if ($actionWhatIf) {
        Write-Verbose "What if: the scan runs, and the actions ($($Action -join ', ')) only say what they would do."
    } elseif ($Action) {
        if (-not $PSCmdlet.ShouldProcess($target, "Scan for indicators of compromise, then $($Action -join ', ') what is detected")) { return }
    } elseif (-not $PSCmdlet.ShouldProcess($target, 'Scan for indicators of compromise')) { return }
    # With actions, detections wait for the actions' results (they come after the detections).
    $heldDetections = New-Object System.Collections.Generic.List[object]
    $actionResults = New-Object System.Collections.Generic.List[object]

    $taskFile = Join-Path ([System.IO.Path]::GetTempPath()) ('iocscan-task-{0}.json' -f [guid]::NewGuid().ToString('N'))
    try {
        Write-IocTaskFile -Document $document -Path $taskFile
        $started = Get-Date
        Invoke-IocEngineEvent -Cmdlet $PSCmdlet -Activity 'IOC scan' -Argument @('scan', '--task', $taskFile, '--json') `
            -SuccessExitCode @(0, 1, 3) -StopThroughStdin `
            -Permission (Get-IocScanPermission -Document $document) -Environment $engineEnvironment |
            ForEach-Object {
                $type = Get-IocProperty $_ 'type'
                if ($type -eq 'detection') {
                    $detection = ConvertTo-IocDetection -InputObject $_ -Timestamp (Get-Date)
                    if ($Action) { $heldDetections.Add($detection) } else { $detection }
                } elseif ($type -eq 'action') {
                    $actionResults.Add((ConvertTo-IocActionResult -InputObject $_))
                } elseif ($type -eq 'summary') {
                    Write-Verbose (ConvertTo-IocDisplayText ('summary: {0}' -f (ConvertTo-Json -InputObject $_ -Compress -Depth 4)))
                    $runId = Get-IocProperty $_ 'runId'
                    $fleet = Get-IocProperty $_ 'fleet'
                    $fleetRunId = if ($null -ne $fleet) { Get-IocProperty $fleet 'runId' }
                    if ($null -ne $fleetRunId) {
                        Write-Verbose (ConvertTo-IocDisplayText "The run was uploaded to the fleet store $(Get-IocProperty $fleet 'database') as run $fleetRunId (Get-IocScanResult -DatabasePath <that URL> -RunId $fleetRunId).")
                    } elseif ($null -ne $runId) { Write-Verbose "The run was stored as run $runId (Get-IocScanResult -RunId $runId)." }
                    if ((Get-IocProperty $_ 'complete' $true) -eq $false) {
                        $reasons = @(Get-IocProperty $_ 'incomplete' @())
                        $headline = if ([int](Get-IocProperty $_ 'detections' 0) -gt 0) {
                            'The scan is INCOMPLETE: the detections stand, but {0} input(s) or IOC(s) were not read or evaluated.'
                        } else {
                            'The scan is INCOMPLETE: nothing detected in what was read; {0} input(s) or IOC(s) were not read or evaluated. This is not a clean result.'
                        }
                        $PSCmdlet.WriteWarning(($headline -f $reasons.Count))
                        foreach ($reason in $reasons) {
                            $PSCmdlet.WriteWarning((ConvertTo-IocDisplayText ('[incomplete] {0}: {1}' -f (Get-IocProperty $reason 'what' ''), (Get-IocProperty $reason 'why' ''))))
                        }
                    }
                }
            }
        if ($Action) {
            foreach ($detection in $heldDetections) {
                $mine = @($actionResults | Where-Object {
                        $result = $_
                        @($result.Iocs | Where-Object { (Get-IocProperty $_ 'id') -eq $detection.IocId -and (Get-IocProperty $_ 'sha256') -eq $detection.IocSha256 }).Count -gt 0
                    })
                Add-Member -InputObject $detection -MemberType NoteProperty -Name Actions -Value $mine -Force
                $detection
            }
            $counts = @($actionResults | Group-Object Outcome | Sort-Object Name | ForEach-Object { '{0} {1}' -f $_.Name, $_.Count })
            $message = 'Actions ({0}): {1} result(s){2}' -f ($Action -join ', '), $actionResults.Count, $(if ($counts.Count -gt 0) { ': ' + ($counts -join ', ') } else { '' })
            Write-Information -MessageData $message -Tags 'IocScan', 'Action'
            Write-Verbose $message
        }
        Write-Verbose ('The scan took {0:N1} s.' -f ((Get-Date) - $started).TotalSeconds)
    } catch [System.Management.Automation.PipelineStoppedException] {
        throw
    } catch {
        $PSCmdlet.ThrowTerminatingError($_)
    } finally {
        Remove-Item -LiteralPath $taskFile -Force -ErrorAction SilentlyContinue -WhatIf:$false -Confirm:$false
    }
}
