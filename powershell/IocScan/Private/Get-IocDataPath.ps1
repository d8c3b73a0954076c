function Get-IocDataPath {
    <#
    .SYNOPSIS
    Returns where the module keeps its machine-wide data: task definitions or the default results database.
    .DESCRIPTION
    Windows: %ProgramData%\IocScan\tasks and %ProgramData%\IocScan\results.db.
    Linux/macOS: /var/lib/iocscan as root, otherwise ~/.local/share/iocscan.
    IOCSCAN_TASK_DIR and IOCSCAN_DATABASE override the two paths (tests and unusual installs).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [ValidateSet('TaskDirectory', 'Database')] [string] $Kind)

    if ($Kind -eq 'TaskDirectory' -and $env:IOCSCAN_TASK_DIR) { return $env:IOCSCAN_TASK_DIR }
    if ($Kind -eq 'Database' -and $env:IOCSCAN_DATABASE) { return $env:IOCSCAN_DATABASE }

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
    if ($Kind -eq 'TaskDirectory') { return Join-Path $root 'tasks' }
    return Join-Path $root 'results.db'
}
