/**
 * The bounded PowerShell/CIM fallback of the Windows table sources:
 * `Get-NetNeighbor`, `Get-NetRoute`, `Get-DnsClientCache` piped to
 * `ConvertTo-Json -Compress`, run by `powershell.exe -NoProfile
 * -NonInteractive -Command` with a byte cap and a deadline (CIM can hang at
 * boot or on a broken WMI repository), then parsed.
 *
 * @module
 */
import { type CommandRunner, readCommandOutput } from "../live/mod.ts";

/** The most bytes one CIM call may print. */
export const cimOutputCap = 32 * 1024 * 1024;
/** How long one CIM call may take (WMI can hang for ever). */
export const cimTimeoutMs = 30_000;

/** One object of the JSON PowerShell printed. */
export type CimObject = Readonly<Record<string, unknown>>;

/** The objects printed, or why there are none. */
export type CimRead =
  | {
    readonly ok: true;
    readonly objects: readonly CimObject[];
    /** Entries that were no object (a string, a number, null): not read. */
    readonly notObjects: number;
  }
  | { readonly ok: false; readonly detail: string };

/**
 * Runs one PowerShell pipeline (`script`, which ends in `ConvertTo-Json
 * -Compress`) and parses what it printed.
 */
export async function readCimJson(
  script: string,
  options: { readonly signal?: AbortSignal; readonly runner?: CommandRunner } = {},
): Promise<CimRead> {
  const output = await readCommandOutput(
    "powershell.exe",
    ["-NoProfile", "-NonInteractive", "-Command", script],
    {
      maxBytes: cimOutputCap,
      timeoutMs: cimTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.runner ? { runner: options.runner } : {}),
    },
  );
  if (!output.ok) return { ok: false, detail: output.reason };
  return parseCimJson(output.text);
}

/**
 * Parses `ConvertTo-Json` output: one object when the pipeline gave one, an
 * array when it gave several, nothing at all when it gave none.
 */
export function parseCimJson(text: string): CimRead {
  // PowerShell 5.1 may start its output with a byte order mark.
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (trimmed === "") return { ok: true, objects: [], notObjects: 0 };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (error) {
    return { ok: false, detail: `PowerShell printed no JSON: ${(error as Error).message}` };
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const objects = list.filter((entry): entry is CimObject =>
    entry !== null && typeof entry === "object" && !Array.isArray(entry)
  );
  return { ok: true, objects, notObjects: list.length - objects.length };
}

/** A string property, or undefined. */
export function cimString(object: CimObject, name: string): string | undefined {
  const value = object[name];
  return typeof value === "string" ? value : undefined;
}

/** A number property, or undefined. */
export function cimNumber(object: CimObject, name: string): number | undefined {
  const value = object[name];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
