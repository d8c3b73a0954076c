/**
 * Whether each unit runs, and its main pid, from a running systemd:
 * `systemctl list-units --type=service --all --output=json` (state), then
 * `systemctl show -p Id -p MainPID -- <units>` in batches (pids), each
 * bounded by a byte cap and a deadline. Unit names go to systemctl as
 * arguments after `--`, never through a shell.
 *
 * @module
 */
import { type CommandRunner, readCommandOutput } from "../live/mod.ts";

/** The bounds of one systemctl call. */
export const systemctlLimits = { maxBytes: 16 << 20, timeoutMs: 20_000 } as const;
/** Units per `systemctl show` call. */
export const showBatch = 200;

/** One unit's state: `sub` (`running`, `exited`, `dead`…) and its main pid when it has one. */
export interface UnitState {
  status: string;
  pid?: number;
}

/** The units' states by unit name, or why systemd could not be asked. */
export type SystemdStates =
  | { ok: true; states: Map<string, UnitState> }
  | { ok: false; detail: string };

/**
 * Asks systemd. `runners` replay recorded output in tests: the first for
 * `list-units`, the next for each `show` batch.
 */
export async function readSystemdStates(
  options: { runners?: readonly CommandRunner[]; signal?: AbortSignal } = {},
): Promise<SystemdStates> {
  let call = 0;
  const run = (args: string[]) => {
    const runner = options.runners?.[call++];
    return readCommandOutput("systemctl", args, {
      ...systemctlLimits,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(runner ? { runner } : {}),
    });
  };
  const listed = await run([
    "list-units",
    "--type=service",
    "--all",
    "--output=json",
    "--no-pager",
  ]);
  if (!listed.ok) return { ok: false, detail: listed.reason };
  const states = parseListUnits(listed.text);
  if (states === undefined) {
    return { ok: false, detail: "systemctl list-units printed no JSON array" };
  }
  const names = [...states.keys()];
  for (let at = 0; at < names.length; at += showBatch) {
    const shown = await run([
      "show",
      "-p",
      "Id",
      "-p",
      "MainPID",
      "--",
      ...names.slice(at, at + showBatch),
    ]);
    if (!shown.ok) return { ok: false, detail: shown.reason };
    for (const [unit, pid] of parseShowPids(shown.text)) {
      const state = states.get(unit);
      if (state && pid > 0) state.pid = pid;
    }
  }
  return { ok: true, states };
}

/** `list-units --output=json`: `[{unit, load, active, sub, description}]`. */
export function parseListUnits(text: string): Map<string, UnitState> | undefined {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(rows)) return undefined;
  const states = new Map<string, UnitState>();
  for (const row of rows) {
    if (row === null || typeof row !== "object") continue;
    const { unit, sub } = row as Record<string, unknown>;
    if (typeof unit === "string" && typeof sub === "string") states.set(unit, { status: sub });
  }
  return states;
}

/** `show -p Id -p MainPID`: blocks of `Id=` and `MainPID=` lines, a blank line between units. */
export function parseShowPids(text: string): Map<string, number> {
  const pids = new Map<string, number>();
  for (const block of text.split(/\n\s*\n/)) {
    const id = /^Id=(.+)$/m.exec(block)?.[1];
    const pid = /^MainPID=(\d+)$/m.exec(block)?.[1];
    if (id !== undefined && pid !== undefined) pids.set(id.trim(), Number(pid));
  }
  return pids;
}
