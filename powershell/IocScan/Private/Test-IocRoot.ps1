function Test-IocRoot {
    <#
    .SYNOPSIS
    Tells whether the current user is root on Linux/macOS (always $false on Windows).
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param()
    if (Test-IocWindows) { return $false }
    $id = Get-Command -Name id -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $id) { return $false }
    return ((& $id.Source -u) -eq '0')
}
