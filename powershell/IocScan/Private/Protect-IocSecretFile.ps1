# SYSTEM and Administrators: full control; nothing inherited (the tasks folder lets Users read).
$script:SecretFileSddl = 'D:P(A;;FA;;;SY)(A;;FA;;;BA)'

function Protect-IocSecretFile {
    <#
    .SYNOPSIS
    Restricts a Windows secret file to SYSTEM, Administrators and the task's account (read).
    .DESCRIPTION
    Applied to the empty file before the secret is written into it. Throws
    IocScan.SecretUnprotected when the access list cannot be set (for example, not elevated).
    #>
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [string] $Account
    )
    if (-not $PSCmdlet.ShouldProcess($Path, "Restrict to SYSTEM, Administrators and $Account")) { return }
    try {
        $acl = New-Object System.Security.AccessControl.FileSecurity
        $acl.SetSecurityDescriptorSddlForm($script:SecretFileSddl, [System.Security.AccessControl.AccessControlSections]::Access)
        if ($Account -ne 'SYSTEM') {
            $acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule -ArgumentList $Account, 'Read', 'Allow'))
        }
        Set-Acl -LiteralPath $Path -AclObject $acl -ErrorAction Stop
    } catch {
        throw (New-IocErrorRecord -ErrorId SecretUnprotected -Category PermissionDenied -TargetObject $Path -InnerException $_.Exception `
                -Message "The password file '$Path' could not be restricted to SYSTEM, Administrators and $Account (run elevated): $($_.Exception.Message)")
    }
}
