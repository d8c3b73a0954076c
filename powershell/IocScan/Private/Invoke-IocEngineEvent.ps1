# The exit codes of an engine stopped by a signal, and the signal (contracts/exit_codes.ts,
# interruptExitCodes): a scan then stored its run as 'interrupted' with what it had found.
$script:EngineInterruptExitCodes = @{ 129 = 'SIGHUP'; 130 = 'SIGINT'; 143 = 'SIGTERM' }

function Invoke-IocEngineEvent {
    <#
    .SYNOPSIS
    Runs an engine command with --json and turns its NDJSON stream into PowerShell streams.
    .DESCRIPTION
    Each stdout line is parsed on its own (ConvertFrom-Json of one line works the same in Windows
    PowerShell 5.1 and PowerShell 7). Then:
      progress       -> Write-Progress (no percentage: the engine cannot know the total)
      warning        -> Write-Warning, with the file and place when the engine gives them
      rejected       -> a non-terminating IocScan.IocFileRejected error naming the file
      skipped        -> Write-Verbose
      not-evaluated  -> Write-Verbose
      anything else  -> written to the pipeline as the parsed event (detection, ioc, run, summary)
    Exit code 3 (incomplete: some input could not be read) gives a warning unless SuccessExitCode
    lists it (Invoke-IocScan reports it from the summary). 129, 130 and 143 (a signal stopped the
    engine; a scan stored what it had found as an 'interrupted' run) give a non-terminating
    IocScan.EngineInterrupted error naming the signal. Any other exit code outside SuccessExitCode
    (2: the engine could not run) throws IocScan.EngineFailed with the engine's stderr. A line that
    is not JSON becomes a non-terminating IocScan.EngineOutputInvalid.
    .PARAMETER Cmdlet
    The calling public command's $PSCmdlet, so that errors appear to come from it.
    .PARAMETER SuccessExitCode
    The exit codes that mean the command ran: 0 and 1 by default; a scan adds 3 (incomplete,
    nothing detected), which Invoke-IocScan reports from the summary.
    .PARAMETER StopThroughStdin
    Passed to Invoke-IocEngine: a stopped pipeline closes the engine's stdin and waits for it to
    store its run, instead of killing it (scan).
    .PARAMETER PassThruFailure
    Instead of throwing on exit code 2, write the IocScan.EngineExit object last and let the
    caller decide (Read-IocRun turns "no such run" into a non-terminating error).
    .PARAMETER Permission
    The deno permission flags of the run (see Invoke-IocEngine).
    .PARAMETER Environment
    Variables for the engine process only (see Invoke-IocEngine).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string[]] $Argument,
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [string] $Activity = 'iocscan',
        [int[]] $SuccessExitCode = @(0, 1),
        [switch] $StopThroughStdin,
        [switch] $PassThruFailure,
        [string[]] $Permission = (Get-IocEnginePermission -Set Live),
        [hashtable] $Environment = @{}
    )

    $exit = $null
    $progressShown = $false
    try {
        Invoke-IocEngine -Argument $Argument -StopThroughStdin:$StopThroughStdin -Permission $Permission -Environment $Environment | ForEach-Object {
            if ($_ -isnot [string]) {
                $exit = $_
                return
            }
            $line = $_
            try {
                $engineEvent = ConvertFrom-IocJsonLine -Line $line
            } catch {
                $Cmdlet.WriteError((New-IocErrorRecord -ErrorId EngineOutputInvalid -Category InvalidData -TargetObject $line `
                            -Message "The engine printed a line that is not a JSON event: $line"))
                return
            }
            $type = Get-IocProperty $engineEvent 'type'
            switch ($type) {
                'progress' {
                    $collector = Get-IocProperty $engineEvent 'collector' 'engine'
                    $status = '{0}: {1} objects' -f $collector, (Get-IocProperty $engineEvent 'objects' 0)
                    $progress = @{ Activity = $Activity; Status = $status; Id = 1 }
                    $current = Get-IocProperty $engineEvent 'current'
                    if ($current) { $progress.CurrentOperation = ConvertTo-IocDisplayText ([string]$current) }
                    Write-Progress @progress
                    $progressShown = $true
                }
                'warning' {
                    $where = @()
                    foreach ($field in 'file', 'line', 'column', 'place') {
                        $value = Get-IocProperty $engineEvent $field
                        if ($null -ne $value) { $where += "$field $(ConvertTo-IocDisplayText ([string]$value))" }
                    }
                    $text = '[{0}] {1}' -f (ConvertTo-IocDisplayText (Get-IocProperty $engineEvent 'code' 'warning')),
                        (ConvertTo-IocDisplayText (Get-IocProperty $engineEvent 'message' ''))
                    if ($where.Count -gt 0) { $text = '{0} ({1})' -f $text, ($where -join ', ') }
                    $Cmdlet.WriteWarning($text)
                }
                'rejected' {
                    $file = Get-IocProperty $engineEvent 'file' ''
                    $text = "The IOC file '$(ConvertTo-IocDisplayText $file)' was rejected: $(ConvertTo-IocDisplayText (Get-IocProperty $engineEvent 'error' ''))"
                    $lineNumber = Get-IocProperty $engineEvent 'line'
                    if ($null -ne $lineNumber) { $text += " (line $lineNumber, column $(Get-IocProperty $engineEvent 'column' '?'))" }
                    $Cmdlet.WriteError((New-IocErrorRecord -ErrorId IocFileRejected -Category InvalidData -TargetObject $file -Message $text))
                }
                'skipped' {
                    Write-Verbose (ConvertTo-IocDisplayText ('skipped [{0}] {1}: {2} {3}' -f (Get-IocProperty $engineEvent 'collector' ''),
                            (Get-IocProperty $engineEvent 'object' ''), (Get-IocProperty $engineEvent 'reason' ''), (Get-IocProperty $engineEvent 'detail' '')))
                }
                'not-evaluated' {
                    $ioc = Get-IocProperty $engineEvent 'ioc'
                    Write-Verbose (ConvertTo-IocDisplayText ('not evaluated: IOC {0} item {1} ({2}): {3}' -f (Get-IocProperty $ioc 'id' ''),
                            (Get-IocProperty $engineEvent 'itemId' ''), (Get-IocProperty $engineEvent 'search' ''), (Get-IocProperty $engineEvent 'reason' '')))
                }
                default { $engineEvent }
            }
        }
    } finally {
        if ($progressShown) { Write-Progress -Activity $Activity -Id 1 -Completed }
    }

    if ($null -eq $exit) { return }
    $stderr = [string]$exit.StandardError
    foreach ($stderrLine in ($stderr -split "`r?`n")) {
        if ($stderrLine.Trim()) { Write-Verbose "engine: $(ConvertTo-IocDisplayText $stderrLine)" }
    }
    $signal = $script:EngineInterruptExitCodes[[int]$exit.ExitCode]
    if ($signal) {
        $Cmdlet.WriteError((New-IocErrorRecord -ErrorId EngineInterrupted -Category OperationStopped -TargetObject ($Argument -join ' ') `
                    -Message ("The iocscan engine was interrupted by $signal (exit code $($exit.ExitCode)): a scan stored what it " +
                    "had found until then as an 'interrupted' run, which is not a complete scan.")))
        return
    }
    if ($exit.ExitCode -eq 3 -and $SuccessExitCode -notcontains 3) {
        # contracts/exit_codes.ts Incomplete: it ran, but some input could not be read (each named above).
        $Cmdlet.WriteWarning('The iocscan engine could not read every input (exit code 3): the result is incomplete, not clean.')
    } elseif ($SuccessExitCode -notcontains $exit.ExitCode) {
        if ($PassThruFailure) { return $exit }
        $detail = (@($stderr.Trim() -split "`r?`n") | ForEach-Object { ConvertTo-IocDisplayText $_ }) -join [Environment]::NewLine
        if (-not $detail) { $detail = '(the engine wrote nothing to stderr)' }
        $Cmdlet.ThrowTerminatingError((New-IocErrorRecord -ErrorId EngineFailed -Category InvalidOperation -TargetObject ($Argument -join ' ') `
                    -Message "The iocscan engine could not run (exit code $($exit.ExitCode)): $detail"))
    }
}
