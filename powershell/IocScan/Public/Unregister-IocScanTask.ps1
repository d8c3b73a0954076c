function Unregister-IocScanTask {
    <#
    .SYNOPSIS
    Removes a scan task: its scheduled task (or systemd units) and its saved definition.

    .DESCRIPTION
    Unregister-IocScanTask removes the scheduled task \IocScan\<Name> with
    Unregister-ScheduledTask (on Linux: disables and stops iocscan-<Name>.timer and deletes the
    timer and service units), then deletes the definition %ProgramData%\IocScan\tasks\<Name>.json.
    Stored results stay in the results database. It asks for confirmation unless -Confirm:$false
    (or -Force) is given.

    .PARAMETER Name
    The task to remove. Binds from the pipeline, including IocScan.ScanTask objects.
    .PARAMETER Force
    Do not ask for confirmation.

    .EXAMPLE
    Unregister-IocScanTask -Name DailyScan -Confirm:$false

    Removes the DailyScan task without asking.

    .EXAMPLE
    Get-IocScanTask | Where-Object State -eq Missing | Unregister-IocScanTask

    Removes the definitions whose scheduled task was deleted by hand, asking for each.

    .INPUTS
    System.String, IocScan.ScanTask
    .OUTPUTS
    None.
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [ValidatePattern('\A[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z')]
        [string[]] $Name,
        [switch] $Force
    )
    process {
        foreach ($taskName in $Name) {
            $definitionPath = Get-IocTaskDefinitionPath -Name $taskName
            $windows = Test-IocWindows
            $scheduled = $false
            if ($windows) {
                $scheduled = $null -ne (Get-ScheduledTask -TaskName $taskName -TaskPath $script:TaskFolder -ErrorAction SilentlyContinue)
            } else {
                $scope = Get-IocSystemdScope
                $units = @("iocscan-$taskName.timer", "iocscan-$taskName.service" | ForEach-Object { Join-Path $scope.Directory $_ })
                $scheduled = @($units | Where-Object { Test-Path -LiteralPath $_ }).Count -gt 0
            }
            if (-not $scheduled -and -not (Test-Path -LiteralPath $definitionPath)) {
                $PSCmdlet.WriteError((New-IocErrorRecord -ErrorId TaskNotFound -Category ObjectNotFound -TargetObject $taskName `
                            -Message "There is no scan task named '$taskName'."))
                continue
            }
            if ($Force -and -not $PSBoundParameters.ContainsKey('Confirm')) { $ConfirmPreference = 'None' }
            if (-not $PSCmdlet.ShouldProcess($taskName, 'Remove the scan task and its definition')) { continue }
            try {
                if ($scheduled -and $windows) {
                    Unregister-ScheduledTask -TaskName $taskName -TaskPath $script:TaskFolder -Confirm:$false -ErrorAction Stop
                } elseif ($scheduled) {
                    [void](Invoke-IocSystemctl -UserScope:$scope.UserScope -AllowFailure -Argument 'disable', '--now', "iocscan-$taskName.timer")
                    foreach ($unit in $units) { Remove-Item -LiteralPath $unit -Force -ErrorAction SilentlyContinue -Confirm:$false }
                    [void](Invoke-IocSystemctl -UserScope:$scope.UserScope -AllowFailure -Argument 'daemon-reload')
                }
                foreach ($file in $definitionPath, (Get-IocTaskDefinitionPath -Name $taskName -Part Secret)) {
                    if (Test-Path -LiteralPath $file) { Remove-Item -LiteralPath $file -Force -ErrorAction Stop -Confirm:$false }
                }
            } catch {
                $PSCmdlet.WriteError((New-IocErrorRecord -ErrorId SchedulerFailed -Category InvalidOperation -TargetObject $taskName `
                            -InnerException $_.Exception -Message "The scan task '$taskName' could not be removed: $($_.Exception.Message)"))
            }
        }
    }
}
