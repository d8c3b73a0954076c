function Get-IocScanResult {
    <#
    .SYNOPSIS
    Reads stored scan runs, with their detections, from a results database.

    .DESCRIPTION
    Get-IocScanResult asks the engine for the runs stored in a results database (`iocscan results
    --db FILE --json`) and returns one IocScan.Run object per run: Id, TaskName, Host, User,
    Started, Finished, Status, Counts, Options, DatabasePath and Detections, the run's
    IocScan.Detection objects (the same objects Invoke-IocScan writes).

    Runs come from scans started with Invoke-IocScan -DatabasePath and from scheduled scan tasks,
    which store into the module's default database unless registered with another one.

    .PARAMETER DatabasePath
    The results database: a SQLite file or a postgres:// URL. Defaults to the engine's database:
    %ProgramData%\IocScan\iocscan.db on Windows, /var/lib/iocscan/iocscan.db as root on Linux,
    ~/.local/share/iocscan/iocscan.db otherwise (where scans and scan tasks store by default).
    .PARAMETER RunId
    Only these runs. Binds from the pipeline by property name (RunId of a detection, Id of a run).
    .PARAMETER Since
    Only runs started at or after this time.
    .PARAMETER TaskName
    Only runs of this scan task.
    .PARAMETER NoDetection
    List the runs without reading their detections: one engine call instead of one per run, for
    long histories. Detections is then $null; DetectionCount comes from the run's counts.

    .EXAMPLE
    Get-IocScanResult

    Lists every run stored in this machine's default database, with its detection count.

    .EXAMPLE
    Get-IocScanResult -NoDetection | Where-Object DetectionCount -gt 0

    Lists quickly the runs that found something.

    .EXAMPLE
    Get-IocScanResult -TaskName DailyScan -Since (Get-Date).AddDays(-7) |
        Select-Object -ExpandProperty Detections |
        Group-Object IocName -NoElement

    Counts, per IOC, the detections of the last week's runs of the DailyScan task.

    .EXAMPLE
    Invoke-IocScan -IocPath .\iocs -Path C:\Users -DatabasePath .\results.db | Get-IocScanResult -DatabasePath .\results.db

    Reads back the run that the scan just stored.

    .INPUTS
    IocScan.Detection, IocScan.Run (by property name: RunId or Id, DatabasePath)
    .OUTPUTS
    IocScan.Run
    #>
    [CmdletBinding()]
    [OutputType('IocScan.Run')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [AllowEmptyString()] [AllowNull()]
        [string] $DatabasePath,
        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('Id')]
        [long[]] $RunId,
        [Nullable[datetime]] $Since,
        [string] $TaskName,
        [switch] $NoDetection
    )

    begin {
        $seen = New-Object 'System.Collections.Generic.HashSet[string]'
    }
    process {
        # Empty means the engine's default database.
        $database = ''
        # A database password goes to the engine in PGPASSWORD: never on its command line, nor
        # into the DatabasePath of the objects written out.
        $engineEnvironment = @{}
        if ($DatabasePath) {
            $split = Split-IocDatabaseSecret $DatabasePath
            if ($null -ne $split.Password) { $engineEnvironment.PGPASSWORD = $split.Password }
            $database = Resolve-IocDatabasePath $split.Location
            if ($database -notmatch '://' -and -not (Test-Path -LiteralPath $database -PathType Leaf)) {
                $PSCmdlet.WriteError((New-IocErrorRecord -ErrorId PathNotFound -Category ObjectNotFound -TargetObject $database `
                            -Message "The results database '$database' does not exist."))
                return
            }
        }
        try {
            if ($RunId) {
                foreach ($id in $RunId) {
                    # A scan piped in gives one detection per IOC, all of the same run: read it once.
                    if (-not $seen.Add("$database|$id")) { continue }
                    Read-IocRun -DatabasePath $database -RunId $id -Cmdlet $PSCmdlet -Environment $engineEnvironment
                }
                return
            }
            $arguments = @('results')
            if ($database) { $arguments += @('--db', $database) }
            if ($null -ne $Since) { $arguments += @('--since', (ConvertTo-IocIsoTime ([datetime]$Since))) }
            if ($TaskName) { $arguments += @('--task', $TaskName) }
            $arguments += '--json'
            $events = @(Invoke-IocEngineEvent -Cmdlet $PSCmdlet -Activity 'Reading results' -Argument $arguments `
                    -Permission (Get-IocEnginePermission -Set Offline -Store Read -DatabasePath $database) -Environment $engineEnvironment)
            $listed = @($events | Where-Object { (Get-IocProperty $_ 'type') -eq 'detection' })
            foreach ($runEvent in @($events | Where-Object { (Get-IocProperty $_ 'type') -eq 'run' })) {
                $id = [long](Get-IocProperty $runEvent 'id')
                [void]$seen.Add("$database|$id")
                if ($NoDetection) {
                    ConvertTo-IocRun -InputObject $runEvent -DatabasePath $database -NoDetection
                } elseif ($listed.Count -gt 0) {
                    $detections = @($listed | Where-Object { [string](Get-IocProperty $_ 'runId') -eq [string]$id })
                    ConvertTo-IocRun -InputObject $runEvent -Detection $detections -DatabasePath $database
                } else {
                    Read-IocRun -DatabasePath $database -RunId $id -Cmdlet $PSCmdlet -Environment $engineEnvironment
                }
            }
        } catch [System.Management.Automation.PipelineStoppedException] {
            throw
        } catch {
            $PSCmdlet.ThrowTerminatingError($_)
        }
    }
}
