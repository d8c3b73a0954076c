# A stand-in for the iocscan engine in tests on Windows (fake-engine.sh is the same for Linux):
# writes its arguments one a line to IOCSCAN_FAKE_RECORD and copies the task file they name to
# IOCSCAN_FAKE_RECORD.task, prints IOCSCAN_FAKE_OUTPUT, writes IOCSCAN_FAKE_STDERR to stderr
# and exits with IOCSCAN_FAKE_EXIT. The PGPASSWORD it was given goes to IOCSCAN_FAKE_RECORD.pgpassword.
if ($env:IOCSCAN_FAKE_RECORD) {
    [System.IO.File]::WriteAllLines($env:IOCSCAN_FAKE_RECORD, [string[]]@($args))
    [System.IO.File]::WriteAllText("$env:IOCSCAN_FAKE_RECORD.pgpassword", [string]$env:PGPASSWORD)
    $taskIndex = [array]::IndexOf($args, '--task')
    if ($taskIndex -ge 0 -and $taskIndex + 1 -lt $args.Count) {
        Copy-Item -LiteralPath $args[$taskIndex + 1] -Destination "$env:IOCSCAN_FAKE_RECORD.task"
    }
}
if ($env:IOCSCAN_FAKE_OUTPUT) {
    foreach ($line in [System.IO.File]::ReadAllLines($env:IOCSCAN_FAKE_OUTPUT)) { [Console]::Out.WriteLine($line) }
}
if ($env:IOCSCAN_FAKE_STDERR) { [Console]::Error.WriteLine($env:IOCSCAN_FAKE_STDERR) }
$code = 0
if ($env:IOCSCAN_FAKE_EXIT) { $code = [int]$env:IOCSCAN_FAKE_EXIT }
exit $code
