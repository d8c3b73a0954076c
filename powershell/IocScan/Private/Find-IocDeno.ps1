function Find-IocDeno {
    <#
    .SYNOPSIS
    Returns the full path of a deno executable, or $null.
    .DESCRIPTION
    Looks, in order, for the deno a release package puts in the module's own bin folder
    (bin/deno.exe on Windows, bin/deno elsewhere: `deno task package`), so that a packaged module
    runs the Deno it was built and tested with; deno on PATH; in $env:DENO_INSTALL\bin and ~/.deno/bin, where Deno's
    installer puts it; and in npm's npx cache, where `npx -y deno@2.9.6 ...` (the README's
    commands on a machine with only Node.js) leaves it. The newest npx copy wins.
    .PARAMETER ModuleRoot
    The module's folder (tests point it at a fake one).
    .PARAMETER HomePath
    The user's home folder (tests point it at a fake one).
    .PARAMETER NpmCachePath
    npm's cache folder; by default ~/.npm, or %LOCALAPPDATA%\npm-cache on Windows.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [string] $ModuleRoot = $script:ModuleRoot,
        [string] $HomePath = [Environment]::GetFolderPath('UserProfile'),
        [string] $NpmCachePath
    )
    $exe = 'deno'
    if (Test-IocWindows) { $exe = 'deno.exe' }
    if ($ModuleRoot) {
        $packaged = Join-Path (Join-Path $ModuleRoot 'bin') $exe
        if (Test-Path -LiteralPath $packaged -PathType Leaf) { return (Resolve-Path -LiteralPath $packaged).ProviderPath }
    }

    $deno = Get-Command -Name deno -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($deno) { return $deno.Source }

    $installed = @()
    if ($env:DENO_INSTALL) { $installed += Join-Path (Join-Path $env:DENO_INSTALL 'bin') $exe }
    if ($HomePath) { $installed += Join-Path (Join-Path (Join-Path $HomePath '.deno') 'bin') $exe }
    foreach ($candidate in $installed) {
        if (Test-Path -LiteralPath $candidate -PathType Leaf) { return $candidate }
    }

    if (-not $NpmCachePath) {
        if ((Test-IocWindows) -and $env:LOCALAPPDATA) {
            $NpmCachePath = Join-Path $env:LOCALAPPDATA 'npm-cache'
        } elseif ($HomePath) {
            $NpmCachePath = Join-Path $HomePath '.npm'
        }
    }
    if ($NpmCachePath) {
        $npx = Join-Path $NpmCachePath '_npx'
        if (Test-Path -LiteralPath $npx -PathType Container) {
            $copies = Get-ChildItem -LiteralPath $npx -Directory -ErrorAction SilentlyContinue |
                ForEach-Object { Join-Path (Join-Path (Join-Path $_.FullName 'node_modules') 'deno') $exe } |
                Where-Object { Test-Path -LiteralPath $_ -PathType Leaf } |
                Sort-Object { (Get-Item -LiteralPath $_).LastWriteTimeUtc } -Descending
            $newest = @($copies) | Select-Object -First 1
            if ($newest) { return $newest }
        }
    }
    return $null
}
