# A stand-in for the iocscan engine in tests: records its arguments (and the task file they
# name) to IOCSCAN_FAKE_RECORD, prints the recorded NDJSON in IOCSCAN_FAKE_OUTPUT line by line,
# writes IOCSCAN_FAKE_STDERR to stderr and exits with IOCSCAN_FAKE_EXIT.
$record = [ordered]@{ arguments = @($args); task = $null }
$taskIndex = [array]::IndexOf($args, '--task')
if ($taskIndex -ge 0 -and $taskIndex + 1 -lt $args.Count) {
    $record.task = Get-Content -LiteralPath $args[$taskIndex + 1] -Raw
}
if ($env:IOCSCAN_FAKE_RECORD) {
    $record | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $env:IOCSCAN_FAKE_RECORD -Encoding utf8
}
if ($env:IOCSCAN_FAKE_OUTPUT) {
    foreach ($line in [System.IO.File]::ReadAllLines($env:IOCSCAN_FAKE_OUTPUT)) {
        [Console]::Out.WriteLine($line)
    }
}
if ($env:IOCSCAN_FAKE_STDERR) { [Console]::Error.WriteLine($env:IOCSCAN_FAKE_STDERR) }
$code = 0
if ($env:IOCSCAN_FAKE_EXIT) { $code = [int]$env:IOCSCAN_FAKE_EXIT }
exit $code
