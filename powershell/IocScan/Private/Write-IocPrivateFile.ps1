function Write-IocPrivateFile {
    <#
    .SYNOPSIS
    Writes a UTF-8 text file (no byte order mark) that only its owner can read: mode 0600 on Linux.
    .DESCRIPTION
    The file is created with mode 0600 (never readable by others, not even for a moment, so no
    other user can open it before its content is written) after an existing one is removed, and
    its folder, when missing, with mode 0700. On Windows the file is written plainly and takes the
    access list its folder gives it (Protect-IocTaskFolder, Protect-IocSecretFile).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [AllowEmptyString()] [string] $Content
    )
    $utf8 = New-Object System.Text.UTF8Encoding -ArgumentList $false
    $folder = Split-Path -Parent $Path
    if (Test-IocWindows) {
        if ($folder -and -not (Test-Path -LiteralPath $folder)) { [void](New-Item -ItemType Directory -Path $folder -Force -WhatIf:$false) }
        [System.IO.File]::WriteAllText($Path, $Content, $utf8)
        return
    }
    $ownerOnly = [System.IO.UnixFileMode]'UserRead, UserWrite'
    if ($folder -and -not (Test-Path -LiteralPath $folder)) {
        [void][System.IO.Directory]::CreateDirectory($folder, [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
    }
    if (Test-Path -LiteralPath $Path) { Remove-Item -LiteralPath $Path -Force -WhatIf:$false -Confirm:$false -ErrorAction Stop }
    $options = New-Object System.IO.FileStreamOptions
    $options.Mode = [System.IO.FileMode]::CreateNew
    $options.Access = [System.IO.FileAccess]::Write
    $options.UnixCreateMode = $ownerOnly
    $stream = New-Object System.IO.FileStream -ArgumentList $Path, $options
    try {
        $bytes = $utf8.GetBytes($Content)
        $stream.Write($bytes, 0, $bytes.Length)
    } finally {
        $stream.Dispose()
    }
    # The umask can only narrow the creation mode; make it exactly 0600 all the same.
    [System.IO.File]::SetUnixFileMode($Path, $ownerOnly)
}
