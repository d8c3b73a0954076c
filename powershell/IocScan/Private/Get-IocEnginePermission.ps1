# The deno permission flags of each engine permission set: deno.json's "engine" (Live) and
# "engine-offline" (Offline), spelled out because a bundle runs without the project's config.
# Live collection needs all permissions: Deno refuses /dev (so /dev/shm), /proc and /sys to
# anything less. Everything else reads, and writes only its store's files (granted per run).
$script:EnginePermissionSets = @{
    Live    = @('--allow-all')
    Offline = @('--allow-read', '--allow-env', '--allow-sys', '--allow-ffi')
}
# The files SQLite keeps for a database, beside it (store/store_permissions.ts).
$script:StoreFileSuffixes = @('', '-wal', '-shm', '-journal')
$script:PostgresDefaultPort = 5432

function Get-IocEnginePermission {
    <#
    .SYNOPSIS
    Returns the deno permission flags an engine run needs: all for live collection, else the narrow set.
    .DESCRIPTION
    -Set Live gives --allow-all. -Set Offline gives read, env, sys and ffi, plus what the run's
    store needs (-Store): for a postgres:// URL network access to its host and port only (and,
    to write, what the local store that records a fleet run before its upload needs: the SQLite
    grants below for -LocalDatabasePath, by default the engine's default database); for a
    SQLite store opened for writing, write access to the database, -wal, -shm and -journal files
    only, or, when its folder does not exist yet, to the highest missing folder (and on Windows
    running icacls, which protects the new folder). A store opened for reading needs no write
    access (the engine opens it read-only). An empty -DatabasePath means the engine's default
    database. A compiled engine has its permissions built in and ignores these flags. A SQLite
    path holding a comma is refused (IocScan.UnsafeStorePath): deno would split it into two grants.
    .EXAMPLE
    Get-IocEnginePermission -Set Offline -Store Write -DatabasePath /cases/ws01.db
    # --allow-read --allow-env --allow-sys --allow-ffi --allow-write=/cases/ws01.db,/cases/ws01.db-wal,...
    #>
    [CmdletBinding()]
    [OutputType([string[]])]
    param(
        [ValidateSet('Live', 'Offline')] [string] $Set = 'Live',
        [ValidateSet('None', 'Read', 'Write')] [string] $Store = 'None',
        [AllowEmptyString()] [AllowNull()] [string] $DatabasePath = '',
        [AllowEmptyString()] [AllowNull()] [string] $LocalDatabasePath = ''
    )
    $flags = New-Object System.Collections.Generic.List[string]
    $flags.AddRange([string[]]$script:EnginePermissionSets[$Set])
    if ($Set -eq 'Live' -or $Store -eq 'None') { return $flags.ToArray() }
    if ($DatabasePath -match '\A[A-Za-z][A-Za-z0-9+.-]*://') {
        $uri = [Uri]$DatabasePath
        $port = $uri.Port
        if ($port -lt 0) { $port = $script:PostgresDefaultPort }
        $flags.Add("--allow-net=$($uri.Host):$port")
        if ($Store -ne 'Write') { return $flags.ToArray() }
        # A scan for a fleet store records its run locally first and uploads it (docs/fleet.md).
        $DatabasePath = $LocalDatabasePath
    }
    if ($Store -ne 'Write') { return $flags.ToArray() }
    $database = $DatabasePath
    if (-not $database) { $database = Get-IocDataPath -Kind StoreFile }
    # deno splits a permission's list at commas: '/cases/a,/etc/x.db' would grant /cases/a and
    # /etc/x.db. Such a path cannot be granted exactly, so it is refused rather than widened.
    if ($database.Contains(',')) {
        throw (New-IocErrorRecord -ErrorId UnsafeStorePath -Category InvalidArgument -TargetObject $database `
                -Message "The results database path '$database' holds a comma, which deno reads as a list separator in --allow-write: use a path without one.")
    }
    $folder = Split-Path -Parent $database
    if (Test-Path -LiteralPath $folder -PathType Container) {
        $flags.Add('--allow-write=' + (($script:StoreFileSuffixes | ForEach-Object { $database + $_ }) -join ','))
    } else {
        $missing = $folder
        while ($true) {
            $parent = Split-Path -Parent $missing
            if (-not $parent -or (Test-Path -LiteralPath $parent -PathType Container)) { break }
            $missing = $parent
        }
        $flags.Add("--allow-write=$missing")
        if (Test-IocWindows) { $flags.Add('--allow-run=icacls') }
    }
    return $flags.ToArray()
}
