# The small young generation keeps the main isolate and the two hash workers within the
# 150 MB the engine is held to (about 130 MB peak instead of 150 MB, at the same speed).
# The permission flags come from Get-IocEnginePermission, by what the run does.
$script:EngineV8Flags = @('--v8-flags=--max-semi-space-size=4')

function Resolve-IocEngine {
    <#
    .SYNOPSIS
    Finds the iocscan engine and returns how to start it.
    .DESCRIPTION
    Looks, in order, for:
      0. $env:IOCSCAN_ENGINE: an executable, a .js bundle (run by deno) or a .ps1 script (run by
         this PowerShell; used by tests to stand in for the engine);
      1. a compiled executable in the module's bin folder (bin/iocscan.exe on Windows,
         bin/iocscan elsewhere), built by `deno task compile`;
      2. deno (Find-IocDeno: the module's own bin/deno first, as a release package ships it,
         then deno on PATH) running the bundled engine: <module>/bin/iocscan.js, then
         <module>/../../dist/iocscan.js (a checkout after `deno task bundle`);
      3. in a checkout without a bundle, deno running the sources (<module>/../../cli/main.ts
         with the checkout's deno.json), so that a developer needs no build step;
    and otherwise throws IocScan.EngineNotFound, saying how to build one.
    The result has FileName (what to start) and Arguments (what goes before the command's own
    arguments). -Permission gives the deno permission flags (Get-IocEnginePermission; all
    permissions by default); a compiled engine has its own built in.
    #>
    [CmdletBinding()]
    param(
        [string] $ModuleRoot = $script:ModuleRoot,
        [string[]] $Permission = (Get-IocEnginePermission -Set Live)
    )

    $override = $env:IOCSCAN_ENGINE
    if ($override) {
        if (-not (Test-Path -LiteralPath $override -PathType Leaf)) {
            throw (New-IocErrorRecord -ErrorId EngineNotFound -Category ObjectNotFound -TargetObject $override `
                    -Message "IOCSCAN_ENGINE points at '$override', which is not a file.")
        }
        $full = (Resolve-Path -LiteralPath $override).ProviderPath
        $extension = [System.IO.Path]::GetExtension($full).ToLowerInvariant()
        if ($extension -eq '.js' -or $extension -eq '.mjs' -or $extension -eq '.ts') {
            return New-IocDenoEngine -Bundle $full -Source 'IOCSCAN_ENGINE' -Permission $Permission
        }
        if ($extension -eq '.ps1') {
            return [pscustomobject]@{
                PSTypeName = 'IocScan.Engine'
                Kind       = 'Script'
                FileName   = Get-IocPowerShellPath
                Arguments  = @('-NoProfile', '-NonInteractive', '-File', $full)
                Source     = 'IOCSCAN_ENGINE'
            }
        }
        return [pscustomobject]@{
            PSTypeName = 'IocScan.Engine'
            Kind       = 'Executable'
            FileName   = $full
            Arguments  = @()
            Source     = 'IOCSCAN_ENGINE'
        }
    }

    $binName = 'iocscan'
    if (Test-IocWindows) { $binName = 'iocscan.exe' }
    $compiled = Join-Path (Join-Path $ModuleRoot 'bin') $binName
    if (Test-Path -LiteralPath $compiled -PathType Leaf) {
        return [pscustomobject]@{
            PSTypeName = 'IocScan.Engine'
            Kind       = 'Executable'
            FileName   = (Resolve-Path -LiteralPath $compiled).ProviderPath
            Arguments  = @()
            Source     = 'bin'
        }
    }

    $bundles = @(
        (Join-Path (Join-Path $ModuleRoot 'bin') 'iocscan.js'),
        (Join-Path (Join-Path (Join-Path (Join-Path $ModuleRoot '..') '..') 'dist') 'iocscan.js')
    )
    foreach ($bundle in $bundles) {
        if (Test-Path -LiteralPath $bundle -PathType Leaf) {
            return New-IocDenoEngine -Bundle (Resolve-Path -LiteralPath $bundle).ProviderPath -Source 'bundle' -Permission $Permission
        }
    }

    $checkout = Join-Path (Join-Path $ModuleRoot '..') '..'
    $sourceEntry = Join-Path (Join-Path $checkout 'cli') 'main.ts'
    $sourceConfig = Join-Path $checkout 'deno.json'
    if ((Test-Path -LiteralPath $sourceEntry -PathType Leaf) -and (Test-Path -LiteralPath $sourceConfig -PathType Leaf)) {
        $deno = Find-IocDeno
        if ($deno) {
            $config = (Resolve-Path -LiteralPath $sourceConfig).ProviderPath
            $entry = (Resolve-Path -LiteralPath $sourceEntry).ProviderPath
            return [pscustomobject]@{
                PSTypeName = 'IocScan.Engine'
                Kind       = 'Deno'
                FileName   = $deno
                Arguments  = @('run', '--quiet', '--no-prompt', '--config', $config) + $Permission + $script:EngineV8Flags + @($entry)
                Source     = 'checkout'
            }
        }
    }

    throw (New-IocErrorRecord -ErrorId EngineNotFound -Category ObjectNotFound -TargetObject $ModuleRoot -Message (
            "The iocscan engine was not found. Looked for '$compiled', then for deno with a bundle at " +
            "'$($bundles[0])' or '$($bundles[1])'. In a checkout run 'deno task bundle' (needs deno on PATH " +
            "to run) or, on a release machine, 'deno task compile'; or set IOCSCAN_ENGINE to an engine " +
            'executable or bundle.'))
}

function New-IocDenoEngine {
    <#
    .SYNOPSIS
    Describes the engine as deno running a bundle with the given permission flags.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Bundle,
        [Parameter(Mandatory)] [string] $Source,
        [string[]] $Permission = (Get-IocEnginePermission -Set Live)
    )
    $deno = Find-IocDeno
    if (-not $deno) {
        throw (New-IocErrorRecord -ErrorId EngineNotFound -Category ObjectNotFound -TargetObject $Bundle -Message (
                "The engine bundle '$Bundle' needs deno on PATH, and deno was not found. Install deno, or build " +
                "a standalone engine with 'deno task compile' into the module's bin folder."))
    }
    $arguments = @('run', '--quiet', '--no-prompt', '--no-config') + $Permission + $script:EngineV8Flags + @($Bundle)
    return [pscustomobject]@{
        PSTypeName = 'IocScan.Engine'
        Kind       = 'Deno'
        FileName   = $deno
        Arguments  = $arguments
        Source     = $Source
    }
}
