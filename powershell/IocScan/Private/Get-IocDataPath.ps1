function Get-IocDataPath {
    <#
    .SYNOPSIS
    Returns where the module keeps its machine-wide data: the folder of saved task definitions,
    or (-Kind StoreFile) the engine's default results database.
    .DESCRIPTION
    Windows: %ProgramData%\IocScan\tasks. Linux/macOS: /var/lib/iocscan/tasks as root, otherwise
    ~/.local/share/iocscan/tasks. IOCSCAN_TASK_DIR overrides it (tests and unusual installs).
    These sit beside the engine's default results database, iocscan.db in the parent folder
    (store/default_location.ts).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [ValidateSet('TaskDirectory', 'StoreFile')] [string] $Kind)

    if ($Kind -eq 'TaskDirectory' -and $env:IOCSCAN_TASK_DIR) { return $env:IOCSCAN_TASK_DIR }

    if (Test-IocWindows) {
        $programData = $env:ProgramData
        if (-not $programData) { $programData = 'C:\ProgramData' }
        $root = Join-Path $programData 'IocScan'
    } elseif (Test-IocRoot) {
        $root = '/var/lib/iocscan'
    } else {
        $dataHome = $env:XDG_DATA_HOME
        # The XDG spec says to ignore a relative XDG_DATA_HOME (as the engine does).
        if (-not $dataHome -or -not $dataHome.StartsWith('/')) { $dataHome = Join-Path $HOME '.local/share' }
        $root = Join-Path $dataHome 'iocscan'
    }
    if ($Kind -eq 'StoreFile') { return Join-Path $root 'iocscan.db' }
    return Join-Path $root 'tasks'
}
