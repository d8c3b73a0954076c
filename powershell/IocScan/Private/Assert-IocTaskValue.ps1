# C0 controls (newline included), DEL and C1 controls: a newline in a unit file or task value
# starts a new directive, and none of them belongs in a name, path or password.
$script:ControlCharacterPattern = '[\x00-\x1f\x7f-\x9f]'

function Assert-IocTaskValue {
    <#
    .SYNOPSIS
    Refuses a value bound for a scheduled task definition when it holds a control character.
    .DESCRIPTION
    Task definitions (systemd units, Task Scheduler tasks) run as root or SYSTEM, and their values
    (user names, paths, passwords) may come from anyone who can name a folder or an account.
    A control character is never legitimate there, so it is refused rather than escaped; with
    -ForbidPercent so is %, which Task Scheduler expands as %VARIABLE% in an action's program,
    arguments and working folder and which cannot be escaped there. Throws
    IocScan.UnsafeTaskValue naming the value's role and the character's code, never the value
    itself (it may be a password, or carry escape sequences for the terminal).
    .EXAMPLE
    Assert-IocTaskValue -Value $Credential.UserName -What 'user name'
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [AllowEmptyString()] [string] $Value,
        [Parameter(Mandatory)] [string] $What,
        [switch] $ForbidPercent
    )
    $found = [regex]::Match($Value, $script:ControlCharacterPattern)
    if ($found.Success) {
        throw (New-IocErrorRecord -ErrorId UnsafeTaskValue -Category InvalidArgument -TargetObject $What -Message (
                'The {0} of the scan task contains a control character (U+{1:X4} at position {2}); it cannot go into a task definition.' -f
                $What, [int][char]$found.Value, $found.Index))
    }
    if ($ForbidPercent -and $Value.Contains('%')) {
        throw (New-IocErrorRecord -ErrorId UnsafeTaskValue -Category InvalidArgument -TargetObject $What -Message (
                "The $What of the scan task contains '%', which Task Scheduler would expand as an environment variable; use a path without it."))
    }
}
