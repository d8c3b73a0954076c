function Get-IocDataPath {
    <#
    .SYNOPSIS
    Returns where the module keeps its machine-wide data: the folder of saved task definitions.
    .DESCRIPTION
    Windows: %ProgramData%\IocScan\tasks. Linux/macOS: /var/lib/iocscan/tasks as root, otherwise
    ~/.local/share/iocscan/tasks. IOCSCAN_TASK_DIR overrides it (tests and unusual installs).
    These sit beside the engine's default results database (iocscan.db in the parent folder).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [ValidateSet('TaskDirectory')] [string] $Kind)

    if ($Kind -eq 'TaskDirectory' -and $env:IOCSCAN_TASK_DIR) { return $env:IOCSCAN_TASK_DIR }

    if (Test-IocWindows) {
        $programData = $env:ProgramData
        if (-not $programData) { $programData = 'C:\ProgramData' }
        $root = Join-Path $programData 'IocScan'
    } elseif (Test-IocRoot) {
        $root = '/var/lib/iocscan'
    } else {
        $dataHome = $env:XDG_DATA_HOME
        if (-not $dataHome) { $dataHome = Join-Path $HOME '.local/share' }
        $root = Join-Path $dataHome 'iocscan'
    }
    return Join-Path $root 'tasks'
}
