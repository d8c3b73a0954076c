#!/usr/bin/env bash
# Runs the Pester suite of the PowerShell module (powershell/), installing pwsh and Pester 5
# first when they are missing. Prints "Pester: N passed, N failed, N skipped" last and exits
# non-zero when a test failed or the run itself broke.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/install_pwsh.sh
export PATH="$HOME/.dotnet/tools:$PATH"

set +e
pwsh -NoProfile -NonInteractive -Command '
  $ErrorActionPreference = "Stop"
  Import-Module Pester -MinimumVersion 5.0 -MaximumVersion 5.99
  $configuration = New-PesterConfiguration
  $configuration.Run.Path = "./powershell"
  $configuration.Run.PassThru = $true
  $configuration.Output.Verbosity = "Detailed"
  $configuration.Output.CIFormat = "None"
  $clock = [System.Diagnostics.Stopwatch]::StartNew()
  $result = Invoke-Pester -Configuration $configuration
  ""
  "Pester ran in {0:N1} s" -f $clock.Elapsed.TotalSeconds
  "Pester: {0} passed, {1} failed, {2} skipped" -f $result.PassedCount, ($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount), $result.SkippedCount
  if ($result.Result -ne "Passed") { exit 1 }
  exit 0
'
code=$?
set -e
exit $code
