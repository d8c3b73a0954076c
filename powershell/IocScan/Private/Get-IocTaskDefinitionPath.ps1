# Names become file names, Task Scheduler task names and systemd unit names: keep them to
# characters that are safe in all three.
$script:TaskNamePattern = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'
# The Task Scheduler folder every scan task lives in.
$script:TaskFolder = '\IocScan\'

function Get-IocTaskDefinitionPath {
    <#
    .SYNOPSIS
    Returns the path of a scan task's saved definition (<task folder>/<Name>.json).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [string] $Name)
    return Join-Path (Get-IocDataPath -Kind TaskDirectory) ($Name + '.json')
}
