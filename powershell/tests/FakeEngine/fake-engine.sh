#!/bin/sh
# A stand-in for the iocscan engine in tests (Linux/macOS; fake-engine.ps1 is the same for
# Windows): writes its arguments one a line to IOCSCAN_FAKE_RECORD and copies the task file
# they name to IOCSCAN_FAKE_RECORD.task, prints IOCSCAN_FAKE_OUTPUT, writes IOCSCAN_FAKE_STDERR
# to stderr and exits with IOCSCAN_FAKE_EXIT. The PGPASSWORD it was given goes to
# IOCSCAN_FAKE_RECORD.pgpassword.
if [ -n "$IOCSCAN_FAKE_RECORD" ]; then
  : >"$IOCSCAN_FAKE_RECORD"
  printf '%s' "${PGPASSWORD-}" >"$IOCSCAN_FAKE_RECORD.pgpassword"
  previous=""
  for argument in "$@"; do
    printf '%s\n' "$argument" >>"$IOCSCAN_FAKE_RECORD"
    if [ "$previous" = "--task" ]; then cp "$argument" "$IOCSCAN_FAKE_RECORD.task"; fi
    previous="$argument"
  done
fi
if [ -n "$IOCSCAN_FAKE_OUTPUT" ]; then cat "$IOCSCAN_FAKE_OUTPUT"; fi
if [ -n "$IOCSCAN_FAKE_STDERR" ]; then printf '%s\n' "$IOCSCAN_FAKE_STDERR" >&2; fi
exit "${IOCSCAN_FAKE_EXIT:-0}"
