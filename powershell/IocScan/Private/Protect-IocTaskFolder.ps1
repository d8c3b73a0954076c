# SYSTEM and Administrators: full control; Users: read and execute. Protected (no inheritance from
# %ProgramData%, where every user may create files), inherited by the definitions inside.
$script:TaskFolderSddl = 'D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)'
# The data folder above it (%ProgramData%\IocScan, which holds the results database): SYSTEM and
# Administrators only, as the engine sets it when it creates the folder
# (WINDOWS_STORE_FOLDER_SDDL in store/windows_folder_acl.ts).
$script:DataFolderSddl = 'D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)'

function Protect-IocTaskFolder {
    <#
    .SYNOPSIS
    Restricts the Windows task definition folder to SYSTEM and Administrators (Users may read).
    .DESCRIPTION
    A SYSTEM task runs the engine with whatever its definition says (which paths to read, where
    to write the database), so only administrators may change definitions. %ProgramData% lets
    every user create files, so the folder gets its own protected DACL. When it is the default
    tasks folder, its parent %ProgramData%\IocScan (the default results database's folder) is
    restricted first to SYSTEM and Administrators only, so that an older or hand-made folder that
    inherited Users' rights no longer lets users read results or create iocscan.db-wal. Throws
    IocScan.TaskFolderUnprotected when an ACL cannot be set (for example, not elevated).
    #>
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory)] [string] $Path)
    if (-not $PSCmdlet.ShouldProcess($Path, 'Restrict to SYSTEM and Administrators')) { return }
    $folders = [ordered]@{}
    $dataFolder = Split-Path -Parent (Get-IocDataPath -Kind StoreFile)
    if ((Split-Path -Parent $Path) -eq $dataFolder) { $folders[$dataFolder] = $script:DataFolderSddl }
    $folders[$Path] = $script:TaskFolderSddl
    try {
        foreach ($folder in $folders.GetEnumerator()) {
            if (-not (Test-Path -LiteralPath $folder.Key)) { [void](New-Item -ItemType Directory -Path $folder.Key -Force -ErrorAction Stop) }
            $acl = Get-Acl -LiteralPath $folder.Key -ErrorAction Stop
            $acl.SetSecurityDescriptorSddlForm($folder.Value, [System.Security.AccessControl.AccessControlSections]::Access)
            Set-Acl -LiteralPath $folder.Key -AclObject $acl -ErrorAction Stop
        }
    } catch {
        throw (New-IocErrorRecord -ErrorId TaskFolderUnprotected -Category PermissionDenied -TargetObject $Path -InnerException $_.Exception `
                -Message "The task folder '$Path' could not be restricted to SYSTEM and Administrators (run elevated): $($_.Exception.Message)")
    }
}
