function ConvertTo-IocProtectedSecret {
    <#
    .SYNOPSIS
    Encrypts a secret with DPAPI, machine scope, as Base64 text (Windows only).
    .DESCRIPTION
    Machine scope, because the task's account (SYSTEM, or the -Credential account) is not the
    administrator who registers the task, and user-scope DPAPI (ConvertFrom-SecureString) can be
    decrypted only by the account that encrypted. Machine scope lets any local account decrypt,
    so the file holding the result is readable only by SYSTEM, Administrators and the task's
    account (Protect-IocSecretFile). The launcher (Launcher/Start-IocTaskEngine.ps1) decrypts it.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [string] $Secret)
    Add-Type -AssemblyName System.Security
    $bytes = [System.Text.Encoding]::UTF8.GetBytes($Secret)
    $protected = [System.Security.Cryptography.ProtectedData]::Protect($bytes, $null, [System.Security.Cryptography.DataProtectionScope]::LocalMachine)
    return [Convert]::ToBase64String($protected)
}
