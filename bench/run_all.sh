#!/usr/bin/env bash
# Runs every benchmark under bench/. Each prints its figures and its ratio to a
# reference tool run in the same script.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
for bench in bench/*_bench.ts; do
  echo "== $bench =="
  deno run -P=test "$bench" || status=1
  echo
done
exit $status
