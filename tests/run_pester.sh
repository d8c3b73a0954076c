#!/usr/bin/env bash
# Runs the Pester suite of the PowerShell module (powershell/), installing pwsh and Pester 5
# first when they are missing. Prints "Pester: N passed, N failed, N skipped" last and exits
# non-zero when a test failed or the run itself broke.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/install_pwsh.sh
export PATH="$HOME/.dotnet/tools:$PATH"

# The real-engine tests run the engine with deno from PATH. On a machine where deno 2.9.6 only
# comes through npx, put that binary on PATH for this run (a link in a temporary folder).
if ! { command -v deno >/dev/null 2>&1 && deno --version 2>/dev/null | grep -q '^deno 2\.9\.6'; }; then
  if command -v npx >/dev/null 2>&1; then
    deno_binary=$(npx -y deno@2.9.6 eval 'console.log(Deno.execPath())' 2>/dev/null | tail -1 || true)
    if [[ -n "$deno_binary" && -x "$deno_binary" ]]; then
      deno_link_dir=$(mktemp -d)
      trap 'rm -rf "$deno_link_dir"' EXIT
      ln -s "$deno_binary" "$deno_link_dir/deno"
      export PATH="$deno_link_dir:$PATH"
      echo "run_pester: using deno from npx: $deno_binary" >&2
    fi
  fi
fi

set +e
pwsh -NoProfile -NonInteractive -Command '
  $ErrorActionPreference = "Stop"
  Import-Module Pester -MinimumVersion 5.0 -MaximumVersion 5.99
  $configuration = New-PesterConfiguration
  $configuration.Run.Path = @("./powershell", "./deploy")
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
