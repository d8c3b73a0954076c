function Test-IocWindows {
    <#
    .SYNOPSIS
    Tells whether the module runs on Windows (Windows PowerShell 5.1 always does).
    .NOTES
    One function so that tests can mock the platform and exercise the Task Scheduler path on Linux.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param()
    if ($PSVersionTable.PSEdition -ne 'Core') { return $true }
    return [bool](Get-Variable -Name IsWindows -ValueOnly -ErrorAction SilentlyContinue)
}
