<#
.SYNOPSIS
Intune Proactive Remediations remediation: runs the scheduled scan task now.
.DESCRIPTION
Starts the task Detect-IocScanRun.ps1 checks (Start-IocScanTask: Task Scheduler runs it as
registered, with its time limit and priority; the call returns at once). Exits 0 when the task was
started, 1 when it could not be (the module or the task is missing: redeploy the app).
#>
[CmdletBinding()]
param()

$TaskName = 'FleetScan'

function Invoke-IocScanRemediation {
    <# .SYNOPSIS Starts -TaskName; returns [pscustomobject]@{ Started; Message }. #>
    param([Parameter(Mandatory)] [string] $TaskName)
    try {
        Start-IocScanTask -Name $TaskName -ErrorAction Stop | Out-Null
        return [pscustomobject]@{ Started = $true; Message = "scan task '$TaskName' started" }
    } catch {
        return [pscustomobject]@{ Started = $false; Message = "scan task '$TaskName' could not start: $($_.Exception.Message)" }
    }
}

if ($MyInvocation.InvocationName -ne '.') {
    try {
        Import-Module IocScan -ErrorAction Stop
        $outcome = Invoke-IocScanRemediation -TaskName $TaskName
    } catch {
        $outcome = [pscustomobject]@{ Started = $false; Message = "IocScan: $($_.Exception.Message)" }
    }
    Write-Output $outcome.Message
    if ($outcome.Started) { exit 0 }
    exit 1
}
