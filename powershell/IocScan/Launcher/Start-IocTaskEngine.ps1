<#
.SYNOPSIS
Runs the iocscan engine for a Windows scheduled task whose database needs a password.
.DESCRIPTION
Task Scheduler cannot give a program environment variables, and the password must appear in
neither the task, its definition nor a command line. Register-IocScanTask therefore stores it
encrypted with DPAPI (machine scope) in a file only SYSTEM, Administrators and the task's account
can read, and makes this script the task's action. It decrypts the file into PGPASSWORD, which
the engine process inherits, runs the engine and exits with the engine's exit code (2, "could not
run", when the command or the secret cannot be read).
.PARAMETER SecretPath
The task's .secret file.
.PARAMETER EngineCommand
The engine's program and arguments as a JSON array, UTF-8 and Base64-encoded: one opaque argument,
so that arguments such as --task or --allow-read are never taken for this script's parameters.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $SecretPath,
    [Parameter(Mandatory)] [string] $EngineCommand
)
$couldNotRun = 2
try {
    $parsed = ConvertFrom-Json -InputObject ([System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($EngineCommand)))
    # Through the pipeline: Windows PowerShell 5.1 returns a JSON array as one object.
    $command = @($parsed | ForEach-Object { [string]$_ })
    if ($command.Count -lt 1) { throw 'the engine command is empty' }
} catch {
    [Console]::Error.WriteLine("iocscan task launcher: the engine command could not be read: $($_.Exception.Message)")
    exit $couldNotRun
}
try {
    Add-Type -AssemblyName System.Security
    $protected = [Convert]::FromBase64String([System.IO.File]::ReadAllText($SecretPath).Trim())
    $bytes = [System.Security.Cryptography.ProtectedData]::Unprotect($protected, $null, [System.Security.Cryptography.DataProtectionScope]::LocalMachine)
    $env:PGPASSWORD = [System.Text.Encoding]::UTF8.GetString($bytes)
} catch {
    [Console]::Error.WriteLine("iocscan task launcher: the database password in '$SecretPath' could not be read: $($_.Exception.Message)")
    exit $couldNotRun
}
$engineArguments = @()
if ($command.Count -gt 1) { $engineArguments = [string[]]$command[1..($command.Count - 1)] }
& $command[0] @engineArguments
exit $LASTEXITCODE
