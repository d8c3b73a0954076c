function Get-IocPowerShellPath {
    <#
    .SYNOPSIS
    Returns the executable of the running PowerShell edition, to start .ps1 engine stand-ins.
    .NOTES
    (Get-Process -Id $PID).Path is not it when pwsh runs as a dotnet global tool: that process
    is dotnet itself. So: powershell.exe under Windows PowerShell, else pwsh from PATH, else the
    apphost in $PSHOME.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()
    if ($PSVersionTable.PSEdition -ne 'Core') { return (Join-Path $PSHOME 'powershell.exe') }
    $onPath = Get-Command -Name pwsh -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($onPath) { return $onPath.Source }
    foreach ($name in 'pwsh.exe', 'pwsh') {
        $candidate = Join-Path $PSHOME $name
        if (Test-Path -LiteralPath $candidate -PathType Leaf) { return $candidate }
    }
    return (Get-Process -Id $PID).Path
}
