# SYSTEM and Administrators: full control; Users: read and execute. Protected (no inheritance from
# %ProgramData%, where every user may create files), inherited by the definitions inside.
$script:TaskFolderSddl = 'D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)'

function Protect-IocTaskFolder {
    <#
    .SYNOPSIS
    Restricts the Windows task definition folder to SYSTEM and Administrators (Users may read).
    .DESCRIPTION
    A SYSTEM task runs the engine with whatever its definition says (which paths to read, where
    to write the database), so only administrators may change definitions. %ProgramData% lets
    every user create files, so the folder gets its own protected DACL. Throws
    IocScan.TaskFolderUnprotected when the ACL cannot be set (for example, not elevated).
    #>
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory)] [string] $Path)
    if (-not $PSCmdlet.ShouldProcess($Path, 'Restrict to SYSTEM and Administrators')) { return }
    try {
        if (-not (Test-Path -LiteralPath $Path)) { [void](New-Item -ItemType Directory -Path $Path -Force -ErrorAction Stop) }
        $acl = Get-Acl -LiteralPath $Path -ErrorAction Stop
        $acl.SetSecurityDescriptorSddlForm($script:TaskFolderSddl, [System.Security.AccessControl.AccessControlSections]::Access)
        Set-Acl -LiteralPath $Path -AclObject $acl -ErrorAction Stop
    } catch {
        throw (New-IocErrorRecord -ErrorId TaskFolderUnprotected -Category PermissionDenied -TargetObject $Path -InnerException $_.Exception `
                -Message "The task folder '$Path' could not be restricted to SYSTEM and Administrators (run elevated): $($_.Exception.Message)")
    }
}
