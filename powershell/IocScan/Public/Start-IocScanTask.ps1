function Start-IocScanTask {
    <#
    .SYNOPSIS
    Runs a registered scan task now, under its own account (SYSTEM by default).

    .DESCRIPTION
    Start-IocScanTask starts the scheduled task \IocScan\<Name> with Start-ScheduledTask (on Linux:
    systemctl start --no-block iocscan-<Name>.service) and returns at once; the scan runs in the
    background with the task's account and stores its results in the task's database. This is how
    an operator who may start tasks, but is not an administrator, runs a SYSTEM scan on demand.
    Follow it with Get-IocScanTask (State, LastResult) and Get-IocScanResult -TaskName <Name>.

    .PARAMETER Name
    The task to start. Binds from the pipeline, including IocScan.ScanTask objects.
    .PARAMETER PassThru
    Write the task's IocScan.ScanTask object after starting it.

    .EXAMPLE
    Start-IocScanTask -Name DailyScan

    Starts the DailyScan task now.

    .EXAMPLE
    Get-IocScanTask | Start-IocScanTask -WhatIf

    Shows which tasks would be started.

    .INPUTS
    System.String, IocScan.ScanTask
    .OUTPUTS
    None, or IocScan.ScanTask with -PassThru.
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType('IocScan.ScanTask')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [ValidatePattern('\A[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z')]
        [string[]] $Name,
        [switch] $PassThru
    )
    process {
        foreach ($taskName in $Name) {
            if (-not (Test-Path -LiteralPath (Get-IocTaskDefinitionPath -Name $taskName))) {
                $PSCmdlet.WriteError((New-IocErrorRecord -ErrorId TaskNotFound -Category ObjectNotFound -TargetObject $taskName `
                            -Message "There is no scan task named '$taskName'."))
                continue
            }
            if (-not $PSCmdlet.ShouldProcess($taskName, 'Start the scan task now')) { continue }
            try {
                if (Test-IocWindows) {
                    Start-ScheduledTask -TaskName $taskName -TaskPath $script:TaskFolder -ErrorAction Stop
                } else {
                    $scope = Get-IocSystemdScope
                    [void](Invoke-IocSystemctl -UserScope:$scope.UserScope -Argument 'start', '--no-block', "iocscan-$taskName.service")
                }
            } catch {
                $PSCmdlet.WriteError((New-IocErrorRecord -ErrorId SchedulerFailed -Category InvalidOperation -TargetObject $taskName `
                            -InnerException $_.Exception -Message "The scan task '$taskName' could not be started: $($_.Exception.Message)"))
                continue
            }
            if ($PassThru) { Get-IocScanTask -Name $taskName }
        }
    }
}
