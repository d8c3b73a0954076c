# Names become file names, Task Scheduler task names and systemd unit names: keep them to
# characters that are safe in all three. \A and \z, not ^ and $: $ also matches before a final
# newline, and "Daily`n" must not pass.
$script:TaskNamePattern = '\A[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z'
# The files a scan task keeps in the task folder: its definition (the engine's task file), and
# the database password when its database URL had one (see Write-IocTaskSecret).
$script:TaskFileExtensions = @{ Definition = '.json'; Secret = '.secret' }
# The Task Scheduler folder every scan task lives in.
$script:TaskFolder = '\IocScan\'

function Get-IocTaskDefinitionPath {
    <#
    .SYNOPSIS
    Returns the path of a scan task's saved definition (<task folder>/<Name>.json), or with
    -Part Secret of its database password file (<task folder>/<Name>.secret).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)] [string] $Name,
        [ValidateSet('Definition', 'Secret')] [string] $Part = 'Definition'
    )
    return Join-Path (Get-IocDataPath -Kind TaskDirectory) ($Name + $script:TaskFileExtensions[$Part])
}
