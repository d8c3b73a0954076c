# Shared by the test files: dot-source in BeforeAll.

# The variables a test may set; Use-IocTestEnvironment saves them and Restore-IocTestEnvironment
# puts them back.
$script:IocTestVariables = @(
    'IOCSCAN_ENGINE', 'IOCSCAN_TASK_DIR', 'IOCSCAN_SYSTEMD_DIR',
    'IOCSCAN_FAKE_OUTPUT', 'IOCSCAN_FAKE_EXIT', 'IOCSCAN_FAKE_STDERR', 'IOCSCAN_FAKE_RECORD'
)

function Save-IocTestEnvironment {
    $saved = @{}
    foreach ($name in $script:IocTestVariables) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    $saved
}

function Restore-IocTestEnvironment([hashtable] $Saved) {
    foreach ($name in $Saved.Keys) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
}

# The fake engine for this platform: a shell script starts in milliseconds, pwsh in seconds.
function Get-FakeEnginePath {
    $folder = Join-Path $PSScriptRoot 'FakeEngine'
    if ($PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows) { return Join-Path $folder 'fake-engine.ps1' }
    return Join-Path $folder 'fake-engine.sh'
}

function New-EngineOutput([string[]] $Lines, [int] $ExitCode, [string] $StandardError = '') {
    $Lines
    [pscustomobject]@{ PSTypeName = 'IocScan.EngineExit'; ExitCode = $ExitCode; StandardError = $StandardError }
}

function New-TestErrorRecord([string] $ErrorId, [string] $Message) {
    New-Object System.Management.Automation.ErrorRecord -ArgumentList (New-Object System.Exception $Message), $ErrorId, 'ObjectNotFound', $null
}

# The shared corpus folder (corpus/<kind>), as tests/corpus.ts finds it: IOCSCAN_SHARED, else
# ../shared beside the checkout. $null when it is missing; tests then skip and say so.
function Get-CorpusPath([string] $Kind) {
    $repoRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    foreach ($shared in @($env:IOCSCAN_SHARED, (Join-Path (Split-Path -Parent $repoRoot) 'shared'))) {
        if (-not $shared) { continue }
        $path = Join-Path (Join-Path $shared 'corpus') $Kind
        if (Test-Path -LiteralPath $path) { return $path }
    }
    return $null
}
