function Stop-IocEngine {
    <#
    .SYNOPSIS
    Asks a running engine to stop by closing its stdin, and waits for it to store its run.
    .DESCRIPTION
    The engine was started with --stop-on-stdin-close: the end of its stdin stops the scan as
    Ctrl-C would. It then evaluates and stores what it found (the run becomes 'interrupted'),
    writes its summary and exits 130. Meanwhile its stdout is read and dropped, so that an engine
    writing its last events never blocks on a full pipe. Returns $true when the engine exited
    within Timeout, $false when it is still running (the caller then kills it; the run is then
    marked 'abandoned' by the next command that opens the store).
    This runs while the pipeline stops, where nothing can be written to any stream.
    .PARAMETER Process
    The engine process, started with redirected stdin and stdout.
    .PARAMETER PendingRead
    A stdout ReadLineAsync still running, if any: it is awaited before a new read starts.
    .PARAMETER Timeout
    How long to wait for the engine.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Mandatory)] [System.Diagnostics.Process] $Process,
        [System.Threading.Tasks.Task] $PendingRead,
        [Parameter(Mandatory)] [timespan] $Timeout
    )
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    try { $Process.StandardInput.Close() } catch { $null = $_ }
    $read = $PendingRead
    try {
        while (-not $Process.HasExited -and $clock.Elapsed -lt $Timeout) {
            if ($null -eq $read) { $read = $Process.StandardOutput.ReadLineAsync() }
            $slice = [int][Math]::Max(0, [Math]::Min(200, ($Timeout - $clock.Elapsed).TotalMilliseconds))
            if ($read.Wait($slice)) {
                if ($null -eq $read.Result) { break }
                $read = $null
            }
        }
    } catch {
        # stdout failed (the engine closed it abruptly): only the exit is left to wait for.
        $null = $_
    }
    $left = [int][Math]::Max(0, ($Timeout - $clock.Elapsed).TotalMilliseconds)
    return $Process.WaitForExit($left)
}
