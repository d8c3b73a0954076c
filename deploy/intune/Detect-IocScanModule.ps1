<#
.SYNOPSIS
Intune Win32 app detection rule: the IocScan module of this release (or newer) is installed for all users.
.DESCRIPTION
Intune counts the app as installed when this script exits 0 and writes to standard output.
It looks in the all-users module folder Install-IocScan.ps1 installs to
(%ProgramFiles%\WindowsPowerShell\Modules\IocScan\<version>\IocScan.psd1).
$RequiredVersion is the release's version (deploy/tests checks that it equals deno.json's).
#>
[CmdletBinding()]
param()

$RequiredVersion = '0.1.0'

function Test-IocModuleInstalled {
    <# .SYNOPSIS Returns the installed version when it is at least -RequiredVersion, else $null. #>
    param([Parameter(Mandatory)] [string] $ModuleBase, [Parameter(Mandatory)] [version] $RequiredVersion)
    $root = Join-Path $ModuleBase 'IocScan'
    $versions = @(Get-ChildItem -LiteralPath $root -Directory -ErrorAction SilentlyContinue |
            Where-Object { Test-Path -LiteralPath (Join-Path $_.FullName 'IocScan.psd1') -PathType Leaf } |
            ForEach-Object { $parsed = $null; if ([version]::TryParse($_.Name, [ref]$parsed)) { $parsed } } |
            Sort-Object -Descending)
    if ($versions.Count -gt 0 -and $versions[0] -ge $RequiredVersion) { return [string]$versions[0] }
    return $null
}

if ($MyInvocation.InvocationName -ne '.') {
    $found = Test-IocModuleInstalled -ModuleBase (Join-Path $env:ProgramFiles 'WindowsPowerShell\Modules') -RequiredVersion $RequiredVersion
    if ($found) { Write-Output "IocScan $found installed"; exit 0 }
    exit 1
}
