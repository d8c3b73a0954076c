<#
.SYNOPSIS
Runs the iocscan engine for a Windows scheduled task whose database needs a password.
.DESCRIPTION
Task Scheduler cannot give a program environment variables, and the password must appear in
neither the task, its definition nor a command line. Register-IocScanTask therefore stores it
encrypted with DPAPI (machine scope) in a file only SYSTEM, Administrators and the task's account
can read, and makes this script the task's action. It decrypts the file into PGPASSWORD, which
the engine process inherits, runs the engine with the remaining arguments and exits with the
engine's exit code (2, "could not run", when the secret cannot be read).
.PARAMETER SecretPath
The task's .secret file.
.PARAMETER EngineFile
The engine program (iocscan.exe, or deno with the bundle and its permission flags following).
.PARAMETER EngineArgument
The engine's arguments: scan --task <definition> --json.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $SecretPath,
    [Parameter(Mandatory)] [string] $EngineFile,
    [Parameter(ValueFromRemainingArguments)] [string[]] $EngineArgument
)
$couldNotRun = 2
try {
    Add-Type -AssemblyName System.Security
    $protected = [Convert]::FromBase64String([System.IO.File]::ReadAllText($SecretPath).Trim())
    $bytes = [System.Security.Cryptography.ProtectedData]::Unprotect($protected, $null, [System.Security.Cryptography.DataProtectionScope]::LocalMachine)
    $env:PGPASSWORD = [System.Text.Encoding]::UTF8.GetString($bytes)
} catch {
    [Console]::Error.WriteLine("iocscan task launcher: the database password in '$SecretPath' could not be read: $($_.Exception.Message)")
    exit $couldNotRun
}
& $EngineFile @EngineArgument
exit $LASTEXITCODE
