function Read-IocRun {
    <#
    .SYNOPSIS
    Reads one stored run and its detections (`iocscan results --db FILE --run ID --json`).
    .DESCRIPTION
    Writes an IocScan.Run. The engine exits 2 when the database has no such run; that
    becomes a non-terminating IocScan.RunNotFound error, so that one bad id in a pipeline does
    not stop the others. An empty DatabasePath means the engine's default database.
    #>
    [CmdletBinding()]
    [OutputType('IocScan.Run')]
    param(
        [AllowEmptyString()] [string] $DatabasePath,
        [Parameter(Mandatory)] [long] $RunId,
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        # Variables for the engine process only (PGPASSWORD; see Invoke-IocEngine).
        [hashtable] $Environment = @{}
    )
    $arguments = @('results')
    if ($DatabasePath) { $arguments += @('--db', $DatabasePath) }
    $arguments += @('--run', [string]$RunId, '--json')
    $events = @(Invoke-IocEngineEvent -Cmdlet $Cmdlet -Activity 'Reading results' -Argument $arguments -PassThruFailure `
            -Permission (Get-IocEnginePermission -Set Offline -Store Read -DatabasePath $DatabasePath) -Environment $Environment)
    $failure = $events | Where-Object { $_.PSObject.TypeNames -contains 'IocScan.EngineExit' } | Select-Object -First 1
    if ($null -ne $failure) {
        $detail = ([string]$failure.StandardError).Trim()
        if ($detail -notmatch 'no run') {
            $Cmdlet.ThrowTerminatingError((New-IocErrorRecord -ErrorId EngineFailed -Category InvalidOperation -TargetObject $RunId `
                        -Message "The iocscan engine could not read run $RunId (exit code $($failure.ExitCode)): $detail"))
        }
        $Cmdlet.WriteError((New-IocErrorRecord -ErrorId RunNotFound -Category ObjectNotFound -TargetObject $RunId `
                    -Message "There is no run $RunId in the results database: $detail"))
        return
    }
    $runEvent = $events | Where-Object { (Get-IocProperty $_ 'type') -eq 'run' -and [string](Get-IocProperty $_ 'id') -eq [string]$RunId } |
        Select-Object -First 1
    if ($null -eq $runEvent) {
        $Cmdlet.WriteError((New-IocErrorRecord -ErrorId RunNotFound -Category ObjectNotFound -TargetObject $RunId `
                    -Message "The results database '$DatabasePath' has no run $RunId."))
        return
    }
    $detections = @($events | Where-Object { (Get-IocProperty $_ 'type') -eq 'detection' })
    ConvertTo-IocRun -InputObject $runEvent -Detection $detections -DatabasePath $DatabasePath
}
