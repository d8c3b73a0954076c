<#
.SYNOPSIS
Intune Proactive Remediations detection: is the scheduled scan healthy on this host?
.DESCRIPTION
Exits 1 (remediation needed) when the scan task is missing, has not run for $MaxAgeDays days,
or its last run ended with detections (1), could not run (2), was incomplete (3) or was
interrupted (129, 130, 143) (contracts/exit_codes.ts); otherwise exits 0. Writes one line that
Intune shows in the device status ("pre-remediation detection output").
Runs as SYSTEM (the Proactive Remediations default), in 64-bit PowerShell.
#>
[CmdletBinding()]
param()

$TaskName = 'FleetScan'
$MaxAgeDays = 7

# The engine's exit codes (contracts/exit_codes.ts) and what each says about the host.
$script:RunResults = @{
    0   = 'clean'
    1   = 'detections'
    2   = 'could not run'
    3   = 'incomplete'
    129 = 'interrupted'
    130 = 'interrupted'
    143 = 'interrupted'
}
$script:HealthyResult = 0

function Test-IocScanHealth {
    <#
    .SYNOPSIS
    Returns [pscustomobject]@{ Healthy; Message } for the scan task -TaskName.
    #>
    param([Parameter(Mandatory)] [string] $TaskName, [Parameter(Mandatory)] [int] $MaxAgeDays, [datetime] $Now = (Get-Date))
    $task = @(Get-IocScanTask -Name $TaskName -ErrorAction SilentlyContinue) | Select-Object -First 1
    if (-not $task) { return [pscustomobject]@{ Healthy = $false; Message = "no scan task '$TaskName'" } }
    if (-not $task.LastRunTime) { return [pscustomobject]@{ Healthy = $false; Message = "scan task '$TaskName' has never run" } }
    $age = $Now - [datetime]$task.LastRunTime
    if ($age.TotalDays -gt $MaxAgeDays) {
        return [pscustomobject]@{ Healthy = $false; Message = ("last scan {0:yyyy-MM-dd HH:mm}, older than {1} days" -f [datetime]$task.LastRunTime, $MaxAgeDays) }
    }
    $result = $task.LastResult
    $meaning = 'unknown result'
    if ($null -ne $result -and $script:RunResults.ContainsKey([int]$result)) { $meaning = $script:RunResults[[int]$result] }
    if ($result -ne $script:HealthyResult) {
        return [pscustomobject]@{ Healthy = $false; Message = ("last scan {0:yyyy-MM-dd HH:mm}: {1} (exit code {2})" -f [datetime]$task.LastRunTime, $meaning, $result) }
    }
    return [pscustomobject]@{ Healthy = $true; Message = ("last scan {0:yyyy-MM-dd HH:mm}: clean" -f [datetime]$task.LastRunTime) }
}

if ($MyInvocation.InvocationName -ne '.') {
    try {
        Import-Module IocScan -ErrorAction Stop
        $health = Test-IocScanHealth -TaskName $TaskName -MaxAgeDays $MaxAgeDays
    } catch {
        $health = [pscustomobject]@{ Healthy = $false; Message = "IocScan: $($_.Exception.Message)" }
    }
    Write-Output $health.Message
    if ($health.Healthy) { exit 0 }
    exit 1
}
