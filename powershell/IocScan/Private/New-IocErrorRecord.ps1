function New-IocErrorRecord {
    <#
    .SYNOPSIS
    Builds an ErrorRecord with one of the module's stable error ids.
    .DESCRIPTION
    Every failure the module reports carries an ErrorId of the form IocScan.<Reason>, so scripts
    and tests can tell failures apart without parsing messages:
      IocScan.EngineNotFound     no engine executable, bundle or deno (terminating)
      IocScan.EngineStartFailed  the engine process could not be started (terminating)
      IocScan.EngineFailed       the engine exited 2: nothing could run (terminating)
      IocScan.EngineInterrupted  a signal stopped the engine (exit 129/130/143); the run is 'interrupted' (non-terminating)
      IocScan.EngineOutputInvalid a stdout line was not a JSON event (non-terminating; terminating for an isolation command, whose one object is its result)
      IocScan.IocFileRejected    an IOC file could not be loaded (non-terminating)
      IocScan.RunNotFound        the results database has no run of that id (non-terminating)
      IocScan.ReportFailed       the report of a run could not be written (non-terminating)
      IocScan.PathNotFound       a path given to a command does not exist (non-terminating)
      IocScan.TaskNotFound       no scan task of that name (non-terminating)
      IocScan.TaskExists         a scan task of that name exists and -Force was not given (terminating)
      IocScan.TaskDefinitionInvalid a saved task definition is not readable JSON (non-terminating)
      IocScan.TaskFolderUnprotected the Windows tasks folder could not be restricted to admins (terminating)
      IocScan.SchedulerFailed    Task Scheduler or systemd refused the change (terminating)
      IocScan.UnsafeTaskValue    a value for a task definition has a control character, or a % in a Windows action (terminating)
      IocScan.QuarantineEntryNotFound the quarantine store has no entry of that id (non-terminating)
      IocScan.QuarantineRestoreRefused a restore was refused (a file exists at the destination…; non-terminating)
      IocScan.QuarantineRestoreFailed a restore failed (the copy's hash does not match…; non-terminating)
      IocScan.SecretUnprotected  a task's database password file could not be restricted (terminating)
      IocScan.InvalidDuration    an isolation's -Duration is outside 1 minute to 9999 hours or not whole minutes (terminating)
      IocScan.InvalidAllowRule   an isolation's -Allow or -Probe entry is not HOST[:PORT][/tcp|udp] (terminating)
      IocScan.IsolationFailed    the engine could not isolate, report or release (exit code not 0; terminating)
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param(
        [Parameter(Mandatory)] [string] $ErrorId,
        [Parameter(Mandatory)] [string] $Message,
        [System.Management.Automation.ErrorCategory] $Category = 'NotSpecified',
        $TargetObject = $null,
        [System.Exception] $InnerException = $null
    )
    $exception = New-Object System.Exception -ArgumentList $Message, $InnerException
    return New-Object System.Management.Automation.ErrorRecord -ArgumentList $exception, "IocScan.$ErrorId", $Category, $TargetObject
}
