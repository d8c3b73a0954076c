<#
.SYNOPSIS
GPO computer startup script: installs or upgrades IocScan from a central share and registers the
scheduled scan with the IOC files of that share.
.DESCRIPTION
Runs as SYSTEM at each startup of the computers the GPO applies to. SYSTEM reaches the share as
the computer account (DOMAIN\HOST$), so the share and its NTFS permissions must grant Domain
Computers (or the computers' group) Read; nothing needs write access (docs/deployment.md, "GPO").
  1. When the installed module's version differs from the package on the share, the package
     folder is copied to a local staging folder and its Install-IocScan.ps1 runs from there
     (it checks SHA256SUMS, so a package damaged on the share or in transit is refused).
  2. The scan task is registered (replaced: each startup converges on this script's settings),
     reading its IOC files from the share at each run, with the fleet defaults of
     Register-IocScanTask (30 minutes of random delay, below-normal priority, no start on battery).
It is idempotent: an up-to-date computer only re-registers its task. Exit codes: 0, 3010 (from
the installer: restart needed to finish removing an old version), 1603 (failed; see -LogPath).
.PARAMETER PackagePath
The extracted IocScan-<version>-win-x64.zip on the share (the folder holding Install-IocScan.ps1).
.PARAMETER IocPath
The share folder of IOC files the scheduled scan reads (UNC).
.PARAMETER CopyIocTo
Copy the IOC files of -IocPath into this local folder at each run of this script, and let the
task read them there (Intune, where the app's content folder is deleted after the install, or
computers often off the network). Without it the task reads -IocPath itself at each scan.
.PARAMETER TaskName
The scan task's name.
.PARAMETER At
The daily start time (before the random delay).
.PARAMETER Preset
The scan scope preset.
.PARAMETER LogPath
Where the script appends its progress.
.EXAMPLE
Startup script parameters in the GPO:
-PackagePath \\corp.example\NETLOGON\iocscan\IocScan-0.1.0-win-x64 -IocPath \\fs01\ioc$\current
#>
[CmdletBinding()]
param(
    [string] $PackagePath,
    [string] $IocPath,
    [string] $CopyIocTo,
    [string] $TaskName = 'FleetScan',
    [string] $At = '02:00',
    [ValidateSet('important-areas', 'all-drives')] [string] $Preset = 'important-areas',
    [string] $LogPath
)

$script:ExitSuccess = 0
$script:ExitRebootRequired = 3010
$script:ExitFailure = 1603

function Write-IocDeployLog {
    <# .SYNOPSIS Writes a progress line to the verbose stream and to -LogPath. #>
    param([Parameter(Mandatory)] [string] $Message, [string] $LogPath)
    $line = '{0:u} {1}' -f [datetime]::UtcNow, $Message
    Write-Verbose $line
    if ($LogPath) { Add-Content -LiteralPath $LogPath -Value $line -ErrorAction SilentlyContinue }
}

function Get-IocInstalledVersion {
    <# .SYNOPSIS The highest installed IocScan module version, or $null. #>
    $module = @(Get-Module -ListAvailable -Name IocScan | Sort-Object Version -Descending) | Select-Object -First 1
    if ($module) { return [string]$module.Version }
    return $null
}

function Invoke-IocPackageInstaller {
    <# .SYNOPSIS Runs a package's Install-IocScan.ps1 in a child PowerShell and returns its exit code. #>
    param([Parameter(Mandatory)] [string] $Installer, [string] $LogPath)
    $arguments = @('-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', $Installer)
    if ($LogPath) { $arguments += @('-LogPath', $LogPath) }
    & (Join-Path $PSHOME 'powershell.exe') @arguments | Out-Null
    return $LASTEXITCODE
}

function Invoke-IocGpoDeployment {
    <#
    .SYNOPSIS
    Installs or upgrades the module from -PackagePath when needed, then registers the scan task; returns the exit code.
    #>
    param(
        [Parameter(Mandatory)] [string] $PackagePath,
        [Parameter(Mandatory)] [string] $IocPath,
        [Parameter(Mandatory)] [string] $TaskName,
        [Parameter(Mandatory)] [string] $At,
        [Parameter(Mandatory)] [string] $Preset,
        [Parameter(Mandatory)] [string] $StagingPath,
        [string] $CopyIocTo,
        [string] $LogPath
    )
    try {
        $manifest = Join-Path (Join-Path $PackagePath 'IocScan') 'IocScan.psd1'
        $wanted = [string](Import-PowerShellDataFile -LiteralPath $manifest).ModuleVersion
        $installed = Get-IocInstalledVersion
        $code = $script:ExitSuccess
        if ($installed -ne $wanted) {
            Write-IocDeployLog "installing IocScan $wanted (installed: $installed) from '$PackagePath'" -LogPath $LogPath
            if (Test-Path -LiteralPath $StagingPath) { Remove-Item -LiteralPath $StagingPath -Recurse -Force -ErrorAction Stop }
            Copy-Item -LiteralPath $PackagePath -Destination $StagingPath -Recurse -ErrorAction Stop
            $code = Invoke-IocPackageInstaller -Installer (Join-Path $StagingPath 'Install-IocScan.ps1') -LogPath $LogPath
            Remove-Item -LiteralPath $StagingPath -Recurse -Force -ErrorAction SilentlyContinue
            if ($code -ne $script:ExitSuccess -and $code -ne $script:ExitRebootRequired) {
                throw "Install-IocScan.ps1 exited $code"
            }
        }
        Import-Module IocScan -Force -ErrorAction Stop
        $taskIocPath = $IocPath
        if ($CopyIocTo) {
            if (-not (Test-Path -LiteralPath $CopyIocTo)) { [void](New-Item -ItemType Directory -Path $CopyIocTo -Force -ErrorAction Stop) }
            Copy-Item -Path (Join-Path $IocPath '*') -Destination $CopyIocTo -Recurse -Force -ErrorAction Stop
            $taskIocPath = $CopyIocTo
        }
        Register-IocScanTask -Name $TaskName -IocPath $taskIocPath -Preset $Preset -Daily -At ([datetime]$At) -Force -ErrorAction Stop | Out-Null
        Write-IocDeployLog "scan task $TaskName registered (daily at $At, IOCs from $taskIocPath)" -LogPath $LogPath
        return $code
    } catch {
        Write-IocDeployLog "failed: $($_.Exception.Message)" -LogPath $LogPath
        Write-Error -ErrorId 'IocScan.DeploymentFailed' -Category InvalidOperation -Message "Install-IocScanFromShare: $($_.Exception.Message)" -ErrorAction Continue
        return $script:ExitFailure
    }
}

if ($MyInvocation.InvocationName -ne '.') {
    if (-not $PackagePath -or -not $IocPath) { Write-Error 'Give -PackagePath and -IocPath.'; exit $script:ExitFailure }
    $staging = Join-Path $env:SystemRoot 'Temp\IocScan-package'
    exit (Invoke-IocGpoDeployment -PackagePath $PackagePath -IocPath $IocPath -TaskName $TaskName -At $At -Preset $Preset -StagingPath $staging -CopyIocTo $CopyIocTo -LogPath $LogPath)
}
