# How long a stopped pipeline waits for the engine to store its run before killing it.
$script:EngineStopTimeout = [timespan]::FromSeconds(60)

# How often a wait for the engine's next line gives PowerShell a chance to stop (Ctrl+C).
$script:EngineReadSliceMilliseconds = 200

function Invoke-IocEngine {
    <#
    .SYNOPSIS
    Runs the engine with the given arguments and streams its stdout lines.
    .DESCRIPTION
    Writes each non-empty stdout line (one NDJSON event) to the pipeline as soon as the engine
    prints it, then one IocScan.EngineExit object with ExitCode and StandardError. stderr is read
    apart and never mixed into stdout; stdout is decoded as UTF-8 whatever the console code page
    (Windows PowerShell 5.1 would otherwise use the OEM code page). The wait for each line is cut
    into 200 ms slices, so that Ctrl+C stops the pipeline even while the engine prints nothing.
    Without -StopThroughStdin, stdin is closed at once so the engine can never wait on it, and
    when the pipeline stops early (Ctrl+C, Select-Object -First) the engine process is killed.
    With -StopThroughStdin, the engine gets --stop-on-stdin-close and stdin stays open; when the
    pipeline stops early, stdin is closed and the engine is given up to 60 s to store its run as
    'interrupted' (Stop-IocEngine) before it is killed. A PowerShell that dies closes that stdin
    too, so its engine still stores its run.
    This is the one place the module starts the engine, so tests mock this function.
    .PARAMETER Argument
    The engine command and its arguments.
    .PARAMETER StopThroughStdin
    Stop the engine by closing its stdin rather than by killing it (for scan).
    .PARAMETER Permission
    The deno permission flags of the run (Get-IocEnginePermission; all permissions by default).
    .PARAMETER Environment
    Variables set in the engine process's environment only (never this session's): PGPASSWORD,
    so that a database password reaches the engine without a command line.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string[]] $Argument,
        [switch] $StopThroughStdin,
        [string[]] $Permission = (Get-IocEnginePermission -Set Live),
        [hashtable] $Environment = @{}
    )

    $engine = Resolve-IocEngine -Permission $Permission
    $all = @($engine.Arguments) + @($Argument)
    if ($StopThroughStdin) { $all += '--stop-on-stdin-close' }
    Write-Verbose ("iocscan engine: {0} {1}" -f $engine.FileName, ($all -join ' '))

    $utf8 = New-Object System.Text.UTF8Encoding -ArgumentList $false
    $startInfo = New-Object System.Diagnostics.ProcessStartInfo
    $startInfo.FileName = $engine.FileName
    $startInfo.UseShellExecute = $false
    $startInfo.CreateNoWindow = $true
    $startInfo.RedirectStandardInput = $true
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $startInfo.StandardOutputEncoding = $utf8
    $startInfo.StandardErrorEncoding = $utf8
    foreach ($name in $Environment.Keys) { $startInfo.EnvironmentVariables[$name] = [string]$Environment[$name] }
    if ($null -ne $startInfo.PSObject.Properties['ArgumentList']) {
        foreach ($item in $all) { $startInfo.ArgumentList.Add($item) }
    } else {
        $startInfo.Arguments = ConvertTo-IocCommandLine -Argument $all
    }

    try {
        $process = [System.Diagnostics.Process]::Start($startInfo)
    } catch {
        throw (New-IocErrorRecord -ErrorId EngineStartFailed -Category ResourceUnavailable -TargetObject $engine.FileName `
                -InnerException $_.Exception -Message "The iocscan engine '$($engine.FileName)' could not be started: $($_.Exception.Message)")
    }
    $pending = $null
    try {
        if (-not $StopThroughStdin) { $process.StandardInput.Close() }
        $standardError = $process.StandardError.ReadToEndAsync()
        while ($true) {
            $pending = $process.StandardOutput.ReadLineAsync()
            while (-not $pending.Wait($script:EngineReadSliceMilliseconds)) { }
            $line = $pending.Result
            $pending = $null
            if ($null -eq $line) { break }
            if ($line.Trim().Length -gt 0) { $line }
        }
        $process.WaitForExit()
        [pscustomobject]@{
            PSTypeName    = 'IocScan.EngineExit'
            ExitCode      = $process.ExitCode
            StandardError = $standardError.Result
        }
    } finally {
        if ($StopThroughStdin -and -not $process.HasExited) {
            $null = Stop-IocEngine -Process $process -PendingRead $pending -Timeout $script:EngineStopTimeout
        }
        if (-not $process.HasExited) {
            try {
                # .NET Core can stop the engine's own child processes too; .NET Framework (5.1) cannot.
                if ($PSVersionTable.PSEdition -eq 'Core') { $process.Kill($true) } else { $process.Kill() }
            } catch {
                Write-Verbose "iocscan engine: could not stop process $($process.Id): $_"
            }
        }
        $process.Dispose()
    }
}
