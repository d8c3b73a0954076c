<#
.SYNOPSIS
Installs, upgrades or (-Uninstall) removes the IocScan module from a release package, for all users.
.DESCRIPTION
Run elevated (as SYSTEM from Intune or a GPO startup script, or as an administrator) from the
extracted IocScan-<version>-win-x64.zip. It:
  1. verifies the package against its SHA256SUMS (a changed or missing file stops the install);
  2. copies the module to <ModuleBase>\IocScan\<version> (by default the all-users module path
     %ProgramFiles%\WindowsPowerShell\Modules, which Windows PowerShell 5.1 and PowerShell 7 both
     read), creating it, replacing a copy of the same version and removing other versions;
  3. creates the data folders %ProgramData%\IocScan (SYSTEM and Administrators only) and its
     tasks folder, through the installed module's own Protect-IocTaskFolder;
  4. registers the IocScan event-log source in the Application log.
Running it again changes nothing that is already right. An upgrade keeps the results database
(%ProgramData%\IocScan\iocscan.db), the quarantine and the registered scan tasks.
-Uninstall unregisters the scan tasks, removes the module, the task definitions and the event
source, and keeps the results unless -RemoveResults is given.
Exit codes, as Intune and msiexec-minded tools read them: 0 done; 3010 done, but files of the
previous version were in use (a scan running) and stay until the next restart or run; 1603 failed
(the reason is written to the error stream and to -LogPath when given).
.PARAMETER SourcePath
The package's root (the folder holding IocScan\ and SHA256SUMS); the script's own folder by default.
.PARAMETER ModuleBase
The all-users module folder: %ProgramFiles%\WindowsPowerShell\Modules by default.
.PARAMETER Uninstall
Remove instead of install.
.PARAMETER RemoveResults
With -Uninstall: also remove %ProgramData%\IocScan (results database, quarantine).
.PARAMETER DataPath
With -Uninstall, when no installed module is left to say where its data is: the data folder
(%ProgramData%\IocScan by default).
.PARAMETER LogPath
A file the script appends its progress to (Intune and GPO keep no console).
.EXAMPLE
powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\Install-IocScan.ps1
.EXAMPLE
powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\Install-IocScan.ps1 -Uninstall
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $SourcePath = $PSScriptRoot,
    [string] $ModuleBase,
    [switch] $Uninstall,
    [switch] $RemoveResults,
    [string] $DataPath,
    [string] $LogPath
)

# Exit codes Intune, ConfigMgr and GPO scripts understand (msiexec's).
$script:ExitSuccess = 0
$script:ExitRebootRequired = 3010
$script:ExitFailure = 1603
$script:ModuleName = 'IocScan'
$script:EventSource = 'IocScan'
$script:EventLogName = 'Application'
$script:ChecksumFile = 'SHA256SUMS'

function Write-IocInstallLog {
    <# .SYNOPSIS Writes a progress line to the verbose stream and to -LogPath. #>
    param([Parameter(Mandatory)] [string] $Message, [string] $LogPath)
    $line = '{0:u} {1}' -f [datetime]::UtcNow, $Message
    Write-Verbose $line
    if ($LogPath) { Add-Content -LiteralPath $LogPath -Value $line -ErrorAction SilentlyContinue }
}

function Test-IocPackageChecksum {
    <#
    .SYNOPSIS
    Returns the problems found checking the package against its SHA256SUMS (none when intact).
    #>
    param([Parameter(Mandatory)] [string] $SourcePath)
    $sums = Join-Path $SourcePath $script:ChecksumFile
    if (-not (Test-Path -LiteralPath $sums -PathType Leaf)) { return @("no $script:ChecksumFile in '$SourcePath'") }
    $problems = @()
    foreach ($line in (Get-Content -LiteralPath $sums)) {
        if (-not $line) { continue }
        if ($line -notmatch '^([0-9a-f]{64})  (.+)$') { $problems += "malformed line: $line"; continue }
        $expected = $Matches[1]
        $relative = $Matches[2]
        if ($relative -match '(^|/)\.\.(/|$)' -or $relative.StartsWith('/')) { $problems += "unsafe path: $relative"; continue }
        $file = Join-Path $SourcePath ($relative -replace '/', [System.IO.Path]::DirectorySeparatorChar)
        if (-not (Test-Path -LiteralPath $file -PathType Leaf)) { $problems += "missing: $relative"; continue }
        $actual = (Get-FileHash -LiteralPath $file -Algorithm SHA256).Hash.ToLowerInvariant()
        if ($actual -ne $expected) { $problems += "changed: $relative" }
    }
    return $problems
}

function Get-IocPackageVersion {
    <# .SYNOPSIS The ModuleVersion of the package's module manifest. #>
    param([Parameter(Mandatory)] [string] $ModuleSource)
    $manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $ModuleSource "$script:ModuleName.psd1")
    return [string]$manifest.ModuleVersion
}

function Invoke-IocInstalledModule {
    <#
    .SYNOPSIS
    Runs a script block inside the installed module (its private functions: one definition of the
    data folders and their ACLs).
    #>
    param([Parameter(Mandatory)] [string] $ManifestPath, [Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    $module = Import-Module -Name $ManifestPath -Force -PassThru -ErrorAction Stop
    return & $module $ScriptBlock
}

function Register-IocEventSource {
    <# .SYNOPSIS Registers the IocScan event-log source once. #>
    if (-not [System.Diagnostics.EventLog]::SourceExists($script:EventSource)) {
        [System.Diagnostics.EventLog]::CreateEventSource($script:EventSource, $script:EventLogName)
    }
}

function Unregister-IocEventSource {
    <# .SYNOPSIS Removes the IocScan event-log source when it exists. #>
    if ([System.Diagnostics.EventLog]::SourceExists($script:EventSource)) {
        [System.Diagnostics.EventLog]::DeleteEventSource($script:EventSource)
    }
}

function Remove-IocOtherVersion {
    <#
    .SYNOPSIS
    Removes the module's version folders other than -Keep; returns $true when one was in use.
    #>
    param([Parameter(Mandatory)] [string] $ModuleRoot, [string] $Keep)
    $inUse = $false
    foreach ($folder in @(Get-ChildItem -LiteralPath $ModuleRoot -Directory -ErrorAction SilentlyContinue)) {
        if ($folder.Name -eq $Keep) { continue }
        try {
            Remove-Item -LiteralPath $folder.FullName -Recurse -Force -ErrorAction Stop
        } catch {
            $inUse = $true
        }
    }
    # A module installed flat (the old Copy-Item instructions): its files sit beside the versions.
    foreach ($file in @(Get-ChildItem -LiteralPath $ModuleRoot -File -ErrorAction SilentlyContinue)) {
        try { Remove-Item -LiteralPath $file.FullName -Force -ErrorAction Stop } catch { $inUse = $true }
    }
    return $inUse
}

function Install-IocScanPackage {
    <#
    .SYNOPSIS
    Installs or removes the module; returns the exit code (0, 3010, 1603).
    #>
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory)] [string] $SourcePath,
        [Parameter(Mandatory)] [string] $ModuleBase,
        [switch] $Uninstall,
        [switch] $RemoveResults,
        [string] $DataPath,
        [string] $LogPath
    )
    $moduleRoot = Join-Path $ModuleBase $script:ModuleName
    try {
        if ($Uninstall) {
            if (-not $PSCmdlet.ShouldProcess($moduleRoot, "Uninstall $script:ModuleName")) { return $script:ExitSuccess }
            Write-IocInstallLog "uninstalling from '$moduleRoot'" -LogPath $LogPath
            $manifest = @(Get-ChildItem -LiteralPath $moduleRoot -Filter "$script:ModuleName.psd1" -Recurse -ErrorAction SilentlyContinue) | Select-Object -First 1
            $dataFolder = $null
            if ($manifest) {
                $dataFolder = Invoke-IocInstalledModule -ManifestPath $manifest.FullName -ScriptBlock {
                    Get-IocScanTask | Unregister-IocScanTask -Confirm:$false
                    Split-Path -Parent (Get-IocDataPath -Kind StoreFile)
                }
                Remove-Module -Name $script:ModuleName -Force -ErrorAction SilentlyContinue
            }
            if (-not $dataFolder) { $dataFolder = $DataPath }
            if (-not $dataFolder) { throw 'no installed module says where the data folder is: give -DataPath' }
            $inUse = $false
            if (Test-Path -LiteralPath $moduleRoot) {
                $inUse = Remove-IocOtherVersion -ModuleRoot $moduleRoot -Keep ''
                if (-not $inUse) { Remove-Item -LiteralPath $moduleRoot -Recurse -Force -ErrorAction Stop }
            }
            $tasks = Join-Path $dataFolder 'tasks'
            if ($RemoveResults) {
                if (Test-Path -LiteralPath $dataFolder) { Remove-Item -LiteralPath $dataFolder -Recurse -Force -ErrorAction Stop }
            } elseif (Test-Path -LiteralPath $tasks) {
                Remove-Item -LiteralPath $tasks -Recurse -Force -ErrorAction Stop
            }
            Unregister-IocEventSource
            Write-IocInstallLog 'uninstalled' -LogPath $LogPath
            if ($inUse) { return $script:ExitRebootRequired }
            return $script:ExitSuccess
        }

        $problems = @(Test-IocPackageChecksum -SourcePath $SourcePath)
        if ($problems.Count -gt 0) { throw "the package in '$SourcePath' is damaged: $($problems -join '; ')" }
        $moduleSource = Join-Path $SourcePath $script:ModuleName
        $version = Get-IocPackageVersion -ModuleSource $moduleSource
        $target = Join-Path $moduleRoot $version
        Write-IocInstallLog "installing $script:ModuleName $version into '$target'" -LogPath $LogPath
        if (-not $PSCmdlet.ShouldProcess($target, "Install $script:ModuleName $version")) { return $script:ExitSuccess }
        if (-not (Test-Path -LiteralPath $moduleRoot)) { [void](New-Item -ItemType Directory -Path $moduleRoot -Force -ErrorAction Stop) }
        $staging = Join-Path $moduleRoot ".$version.new"
        if (Test-Path -LiteralPath $staging) { Remove-Item -LiteralPath $staging -Recurse -Force -ErrorAction Stop }
        [void](New-Item -ItemType Directory -Path $staging -Force -ErrorAction Stop)
        Copy-Item -Path (Join-Path $moduleSource '*') -Destination $staging -Recurse -Force -ErrorAction Stop
        if (Test-Path -LiteralPath $target) { Remove-Item -LiteralPath $target -Recurse -Force -ErrorAction Stop }
        Rename-Item -LiteralPath $staging -NewName $version -ErrorAction Stop
        $null = Invoke-IocInstalledModule -ManifestPath (Join-Path $target "$script:ModuleName.psd1") -ScriptBlock {
            Protect-IocTaskFolder -Path (Get-IocDataPath -Kind TaskDirectory) -Confirm:$false
        }
        Register-IocEventSource
        # Only now that the new version works: the old ones go (a scan may still hold their files).
        $inUse = Remove-IocOtherVersion -ModuleRoot $moduleRoot -Keep $version
        Write-IocInstallLog "installed $script:ModuleName $version" -LogPath $LogPath
        if ($inUse) { return $script:ExitRebootRequired }
        return $script:ExitSuccess
    } catch {
        Write-IocInstallLog "failed: $($_.Exception.Message)" -LogPath $LogPath
        Write-Error -ErrorId 'IocScan.InstallFailed' -Category InvalidOperation -Message "Install-IocScan: $($_.Exception.Message)" -ErrorAction Continue
        return $script:ExitFailure
    }
}

# Dot-sourced (the Pester tests) it only defines the functions; run, it installs and exits.
if ($MyInvocation.InvocationName -ne '.') {
    if (-not $ModuleBase) { $ModuleBase = Join-Path $env:ProgramFiles 'WindowsPowerShell\Modules' }
    if (-not $DataPath -and $env:ProgramData) { $DataPath = Join-Path $env:ProgramData $script:ModuleName }
    exit (Install-IocScanPackage -SourcePath $SourcePath -ModuleBase $ModuleBase -Uninstall:$Uninstall -RemoveResults:$RemoveResults -DataPath $DataPath -LogPath $LogPath)
}
