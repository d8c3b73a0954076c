function Write-IocTaskSecret {
    <#
    .SYNOPSIS
    Saves a scan task's database password where only the task's account can read it.
    .DESCRIPTION
    Linux: an environment file, mode 0600 and owned by root (PGPASSWORD="..." with \, ", $ and `
    escaped as systemd's EnvironmentFile= reads them); the service's EnvironmentFile= names it and
    systemd reads it before switching to User=. Windows: the password encrypted with DPAPI
    (ConvertTo-IocProtectedSecret) in a file whose access list admits only SYSTEM, Administrators
    and the task's account (Protect-IocSecretFile, set before anything is written); the task's
    launcher decrypts it into PGPASSWORD. A password with a control character is refused
    (IocScan.UnsafeTaskValue).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [string] $Password,
        [Parameter(Mandatory)] [string] $Account
    )
    Assert-IocTaskValue -Value $Password -What 'database password'
    if (Test-IocWindows) {
        $protected = ConvertTo-IocProtectedSecret -Secret $Password
        if (Test-Path -LiteralPath $Path) { Remove-Item -LiteralPath $Path -Force -WhatIf:$false -Confirm:$false -ErrorAction Stop }
        Write-IocPrivateFile -Path $Path -Content ''
        Protect-IocSecretFile -Path $Path -Account $Account -Confirm:$false
        Write-IocPrivateFile -Path $Path -Content $protected
        return
    }
    $escaped = $Password.Replace('\', '\\').Replace('"', '\"').Replace('$', '\$').Replace('`', '\`')
    Write-IocPrivateFile -Path $Path -Content ('PGPASSWORD="' + $escaped + '"' + "`n")
}
