/**
 * The kernel drivers of a live Windows system: `Get-CimInstance
 * Win32_SystemDriver` (name, display name, image path, start mode, state),
 * as JSON, read with a byte cap and a deadline (WMI can hang), as service
 * entries of kind `driver`. The driver collector and the autoruns list read
 * them. Not yet run on Windows: tested on recorded output.
 *
 * @module
 */
import { type CommandRunner, readCommandOutput } from "../live/mod.ts";
import { type Environment, processEnvironment } from "../registry/mod.ts";
import { splitImagePath } from "./image_path.ts";
import type { ServiceEntry } from "./service_entry.ts";
import type { ServiceSourceResult } from "./service_source.ts";
import { cimStartModes } from "./windows_source.ts";
import { liveServicesKey } from "./windows_codes.ts";
import { openScmApi, type ScmApi } from "./scm_api.ts";
import { scmEntries } from "./scm_entries.ts";

/** The PowerShell command: one JSON array of the drivers. */
export const cimDriverCommand: string = "$ErrorActionPreference='Stop'; " +
  "ConvertTo-Json -Compress -InputObject @(Get-CimInstance -ClassName Win32_SystemDriver -OperationTimeoutSec 30 | " +
  "Select-Object Name,DisplayName,PathName,StartMode,State,ServiceType)";

/** The bounds of the CIM call. */
export const cimDriverLimits = { maxBytes: 16 << 20, timeoutMs: 60_000 } as const;

/**
 * The live Windows drivers as entries: the SCM over FFI first (scm_api.ts),
 * else Win32_SystemDriver (a `driver-source-fallback` warning says why).
 * Tests pass a recorded runner and a recorded API, or `null` for CIM only.
 */
export async function windowsDriverEntries(
  runner?: CommandRunner,
  env: Environment = processEnvironment(),
  api: (() => ScmApi) | null = openScmApi,
  signal?: AbortSignal,
): Promise<ServiceSourceResult> {
  let fallback: string | undefined;
  if (api !== null) {
    try {
      const opened = api();
      try {
        const read = scmEntries(opened, "driver", env);
        if (!("error" in read)) return read;
        fallback = read.error;
      } finally {
        opened.close();
      }
    } catch (error) {
      fallback = error instanceof Error ? error.message : String(error);
    }
  }
  const cim = await cimSystemDriverEntries(runner, env, signal);
  if (fallback !== undefined) {
    cim.warnings.unshift({
      code: "driver-source-fallback",
      message:
        `the Service Control Manager could not be asked (${fallback}): Win32_SystemDriver read instead`,
    });
  }
  return cim;
}

/** The live Windows drivers from Win32_SystemDriver; tests pass a recorded runner. */
export async function cimSystemDriverEntries(
  runner?: CommandRunner,
  env: Environment = processEnvironment(),
  signal?: AbortSignal,
): Promise<ServiceSourceResult> {
  const output = await readCommandOutput(
    "powershell.exe",
    ["-NoProfile", "-NonInteractive", "-Command", cimDriverCommand],
    { ...cimDriverLimits, ...(signal ? { signal } : {}), ...(runner ? { runner } : {}) },
  );
  if (!output.ok) return unreadable(output.reason);
  return parseCimDrivers(output.text, env);
}

/** Driver entries from the JSON text; `status` is Win32_SystemDriver's `State` (`Running`…). */
export function parseCimDrivers(text: string, env: Environment): ServiceSourceResult {
  let rows: unknown;
  try {
    rows = JSON.parse(text.replace(/^\uFEFF/, "").trim() || "[]");
  } catch (error) {
    return unreadable(`PowerShell printed no JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(rows)) return unreadable("PowerShell printed no JSON array");
  const entries: ServiceEntry[] = [];
  for (const row of rows) {
    if (row === null || typeof row !== "object") continue;
    const { Name, DisplayName, PathName, StartMode, State } = row as Record<string, unknown>;
    if (typeof Name !== "string" || Name === "") continue;
    const entry: ServiceEntry = {
      kind: "driver",
      name: Name,
      sourceKey: `${liveServicesKey}\\${Name}`,
    };
    if (typeof DisplayName === "string") entry.descriptiveName = DisplayName;
    if (typeof StartMode === "string") {
      entry.mode = cimStartModes.get(StartMode.toLowerCase()) ?? StartMode;
    }
    if (typeof State === "string") entry.status = State;
    if (typeof PathName === "string" && PathName !== "") {
      const split = splitImagePath(PathName, env);
      entry.path = split.path;
      entry.arguments = split.arguments;
      if (/^[A-Za-z]:\\/.test(split.path)) entry.pathOpen = split.path;
      else entry.notOpened = `${split.path}: not an absolute path with a drive`;
    }
    entries.push(entry);
  }
  return { entries, skips: [], warnings: [] };
}

function unreadable(detail: string): ServiceSourceResult {
  return {
    entries: [],
    skips: [{
      object: "driver-list:Win32_SystemDriver",
      reason: "source-unavailable",
      detail,
      unreadDocuments: ["DriverItem", "ModuleItem"],
    }],
    warnings: [],
  };
}
