function Export-IocScanReport {
    <#
    .SYNOPSIS
    Writes the report of a stored scan run: an HTML page, CSV, ECS NDJSON or JSON.

    .DESCRIPTION
    Export-IocScanReport asks the engine for the report of one stored run (`iocscan report --run ID
    --format F --out FILE`, docs/reports.md). HTML is one self-contained page (no script, a strict
    Content-Security-Policy, every value escaped) to read offline, print or hand on; CSV has one
    row per evidence item (UTF-8 with BOM, for Excel); ECS is Elastic Common Schema NDJSON for a
    SIEM; JSON is the whole report for programs. Every detection record carries host, run id, time
    observed, the IOC's id, name and file hash, and its severity.

    With -Path, the report is written to that file (readable by its owner only) and the file is
    returned; without, the report's text is returned.

    .PARAMETER RunId
    The run to report. Binds from the pipeline by property name (RunId of a detection, Id of a run).
    .PARAMETER Format
    html, csv, ecs or json. Default: from -Path's extension (.html, .csv, .ndjson, .json), else html.
    .PARAMETER Path
    The file to write. Without it, the report's text is written to the pipeline.
    .PARAMETER DatabasePath
    The results database: a SQLite file or a postgres:// URL. Defaults to the engine's database.

    .EXAMPLE
    Export-IocScanReport -RunId 12 -Path .\run12.html

    Writes run 12 of this machine's database as an HTML page.

    .EXAMPLE
    Invoke-IocScan -IocPath .\iocs -Path C:\Users -DatabasePath .\results.db |
        Select-Object -First 1 | Export-IocScanReport -DatabasePath .\results.db -Path .\scan.csv

    Scans, then writes the run's evidence as CSV.

    .INPUTS
    IocScan.Detection, IocScan.Run (by property name: RunId or Id, DatabasePath)
    .OUTPUTS
    System.IO.FileInfo (with -Path), System.String (without)
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([System.IO.FileInfo], [string])]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('Id')]
        [long] $RunId,
        [ValidateSet('html', 'csv', 'ecs', 'json')]
        [string] $Format,
        [Parameter(Position = 1)]
        [string] $Path,
        [Parameter(ValueFromPipelineByPropertyName)]
        [AllowEmptyString()] [AllowNull()]
        [string] $DatabasePath
    )

    begin {
        $extensions = @{ html = 'html'; csv = 'csv'; ndjson = 'ecs'; json = 'json' }
        $done = New-Object 'System.Collections.Generic.HashSet[string]'
    }
    process {
        # A scan piped in gives one detection per IOC, all of the same run: report it once.
        if (-not $done.Add("$DatabasePath|$RunId")) { return }
        $database = ''
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
        $chosen = $Format
        $target = $null
        $temporary = $null
        if ($Path) {
            $target = $PSCmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
            if (-not $chosen) {
                $extension = [System.IO.Path]::GetExtension($target).TrimStart('.').ToLowerInvariant()
                $chosen = if ($extensions.ContainsKey($extension)) { $extensions[$extension] } else { 'html' }
            }
            if (-not $PSCmdlet.ShouldProcess($target, "Write the $chosen report of run $RunId")) { return }
        } else {
            if (-not $chosen) { $chosen = 'html' }
            $temporary = Join-Path ([System.IO.Path]::GetTempPath()) ("iocscan-report-{0}" -f [guid]::NewGuid().ToString('N'))
            New-Item -ItemType Directory -Path $temporary | Out-Null
            $target = Join-Path $temporary "report.$chosen"
        }
        try {
            $arguments = @('report', '--run', [string]$RunId, '--format', $chosen, '--out', $target)
            if ($database) { $arguments += @('--db', $database) }
            # Read the store; write the report and the file it is written to first, nothing else.
            $permission = @(Get-IocEnginePermission -Set Offline -Store Read -DatabasePath $database) +
                "--allow-write=$target,$target.partial"
            $events = @(Invoke-IocEngineEvent -Cmdlet $PSCmdlet -Activity 'Writing the report' -Argument $arguments `
                    -PassThruFailure -Permission $permission -Environment $engineEnvironment)
            $failure = $events | Where-Object { $_.PSObject.TypeNames -contains 'IocScan.EngineExit' } | Select-Object -First 1
            if ($null -ne $failure) {
                $detail = ([string]$failure.StandardError).Trim()
                if ($detail -match 'there is no run') {
                    $PSCmdlet.WriteError((New-IocErrorRecord -ErrorId RunNotFound -Category ObjectNotFound -TargetObject $RunId `
                                -Message "There is no run $RunId in the results database: $detail"))
                } else {
                    $PSCmdlet.WriteError((New-IocErrorRecord -ErrorId ReportFailed -Category WriteError -TargetObject $RunId `
                                -Message "The report of run $RunId could not be written (exit code $($failure.ExitCode)): $detail"))
                }
                return
            }
            if ($Path) {
                Get-Item -LiteralPath $target
            } else {
                [System.IO.File]::ReadAllText($target, (New-Object System.Text.UTF8Encoding -ArgumentList $false))
            }
        } finally {
            if ($temporary) { Remove-Item -LiteralPath $temporary -Recurse -Force -ErrorAction SilentlyContinue }
        }
    }
}
