# How each kind of single-value systemd setting is checked: what its value must look like.
$script:SystemdValueRules = @{
    Text     = @{ Pattern = '\A[\s\S]*\z'; Rule = 'text' }
    Path     = @{ Pattern = '\A/'; Rule = 'an absolute path' }
    # systemd's relaxed user name rules: no white space, ':' or '/', and no leading '-'.
    UserName = @{ Pattern = '\A[^\s:/\-][^\s:/]*\z'; Rule = "a user name without white space, ':' or '/', not starting with '-'" }
}

function ConvertTo-IocSystemdValue {
    <#
    .SYNOPSIS
    Writes a value for a single-value systemd setting (User=, WorkingDirectory=, EnvironmentFile=).
    .DESCRIPTION
    Such settings are not unquoted, but their specifiers are expanded, so % is doubled
    (systemd.syntax(7), systemd.unit(5) "Specifiers"); $ is not expanded there and stays as it is.
    Refused with IocScan.UnsafeTaskValue: control characters (a newline would start a directive
    of its own), leading or trailing white space (the unit parser strips it), a trailing
    backslash (it joins the next line), and a value that is not of its -Kind (Path: absolute;
    UserName: systemd's relaxed user name rules).
    .EXAMPLE
    ConvertTo-IocSystemdValue -Value '/var/lib/100%' -What 'task folder' -Kind Path
    # /var/lib/100%%
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)] [AllowEmptyString()] [string] $Value,
        [Parameter(Mandatory)] [string] $What,
        [ValidateSet('Text', 'Path', 'UserName')] [string] $Kind = 'Text'
    )
    Assert-IocTaskValue -Value $Value -What $What
    $rule = $script:SystemdValueRules[$Kind]
    $problem = $null
    if ($Value -cne $Value.Trim()) { $problem = 'starts or ends with white space' }
    elseif ($Value.EndsWith('\')) { $problem = 'ends with a backslash, which would join the next line' }
    elseif ($Value -notmatch $rule.Pattern) { $problem = "is not $($rule.Rule)" }
    if ($problem) {
        throw (New-IocErrorRecord -ErrorId UnsafeTaskValue -Category InvalidArgument -TargetObject $What `
                -Message "The $What of the scan task $problem; it cannot go into a systemd unit.")
    }
    return $Value.Replace('%', '%%')
}
