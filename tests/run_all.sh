#!/usr/bin/env bash
# The README's test command (`deno task test`): the Deno suite, then the
# Pester suite. Installs what is missing: Deno through npm when `deno` is not
# 2.9.6, pwsh and Pester through dotnet/NuGet (tests/install_pwsh.sh).
set -uo pipefail
cd "$(dirname "$0")/.."

if command -v deno >/dev/null 2>&1 && deno --version 2>/dev/null | grep -q '^deno 2\.9\.6'; then
  deno() { command deno "$@"; }
else
  echo "deno 2.9.6 not on PATH: running it through npx" >&2
  deno() { npx -y deno@2.9.6 "$@"; }
fi

if [ ! -d ../shared/corpus ] && [ -z "${IOCSCAN_SHARED:-}" ]; then
  echo "*** ../shared/corpus is missing: corpus tests will be SKIPPED ***" >&2
fi

status=0
log=$(mktemp)
echo "== Deno suite =="
NO_COLOR=1 deno test -P=test --parallel --doc 2>&1 | tee "$log"
deno_status=${PIPESTATUS[0]}
[ "$deno_status" -eq 0 ] || status=1
# deno prints e.g. "ok | 210 passed (12 steps) | 0 failed | 3 ignored (14s)"
line=$(grep -E '^(ok|FAILED) \| [0-9]+ passed' "$log" | tail -1)
deno_passed=$(sed -E 's/.*\| ([0-9]+) passed.*/\1/' <<<"$line")
deno_failed=$(sed -E 's/.*\| ([0-9]+) failed.*/\1/' <<<"$line")
deno_ignored=$(grep -oE '[0-9]+ ignored' <<<"$line" | grep -oE '[0-9]+' || echo 0)
rm -f "$log"

echo "== Pester suite =="
pester_log=$(mktemp)
bash tests/run_pester.sh 2>&1 | tee "$pester_log"
pester_status=${PIPESTATUS[0]}
[ "$pester_status" -eq 0 ] || status=1
pester_line=$(grep -E '^Pester: [0-9]+ passed, [0-9]+ failed' "$pester_log" | tail -1)
pester_passed=$(sed -E 's/^Pester: ([0-9]+) passed.*/\1/' <<<"$pester_line")
pester_failed=$(sed -E 's/^Pester: [0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$pester_line")
rm -f "$pester_log"

passed=$(( ${deno_passed:-0} + ${pester_passed:-0} ))
failed=$(( ${deno_failed:-0} + ${pester_failed:-0} ))
[ -n "$line" ] || { echo "the Deno suite printed no result line" >&2; status=1; }
[ -n "$pester_line" ] || { echo "the Pester suite printed no result line" >&2; status=1; }
echo
echo "Deno: ${deno_passed:-0} passed, ${deno_failed:-0} failed, ${deno_ignored:-0} skipped (exit $deno_status)"
echo "Pester: ${pester_passed:-0} passed, ${pester_failed:-0} failed (exit $pester_status)"
echo "total: $passed passed, $failed failed"
exit $status
