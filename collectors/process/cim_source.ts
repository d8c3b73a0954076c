/**
 * The Windows fallback process source: `Get-CimInstance Win32_Process` in
 * `powershell.exe`, as JSON, read with a byte cap and a deadline (WMI can
 * hang). It gives pid, parent, name, image path, command line, creation
 * and CPU times; not the owner (Win32_Process has it only through a method
 * call per process) nor handles: those fields are `unevaluated` on every
 * process it yields.
 *
 * @module
 */
import { type CommandRunner, readCommandOutput } from "../live/mod.ts";
import type {
  ProcessReadNeeds,
  ProcessRecord,
  ProcessSource,
  ProcessSourceEvent,
} from "./process_record.ts";

/** The PowerShell command: one JSON array, times in UTC ISO 8601. */
export const cimProcessCommand: string = "$ErrorActionPreference='Stop'; " +
  "ConvertTo-Json -Compress -InputObject @(Get-CimInstance -ClassName Win32_Process -OperationTimeoutSec 30 | " +
  "Select-Object ProcessId,ParentProcessId,Name,ExecutablePath,CommandLine,KernelModeTime,UserModeTime," +
  "@{n='CreationDate';e={if ($_.CreationDate) { $_.CreationDate.ToUniversalTime().ToString('o') }}})";

/** The bounds of the CIM call. */
export const cimLimits = { maxBytes: 64 << 20, timeoutMs: 60_000 } as const;

/** One row of the JSON. */
interface CimProcess {
  ProcessId?: number;
  ParentProcessId?: number;
  Name?: string | null;
  ExecutablePath?: string | null;
  CommandLine?: string | null;
  KernelModeTime?: number | null;
  UserModeTime?: number | null;
  CreationDate?: string | null;
}

/** Why the fields it lacks are unknown. */
const notInCim = "Get-CimInstance Win32_Process (the fallback source) does not give it";

/** The CIM source; tests pass a recorded runner. */
export function cimProcessSource(
  runner?: CommandRunner,
  now: () => Date = () => new Date(),
): ProcessSource {
  return {
    name: "cim",
    async *processes(needs, signal) {
      const output = await readCommandOutput(
        "powershell.exe",
        ["-NoProfile", "-NonInteractive", "-Command", cimProcessCommand],
        { ...cimLimits, ...(signal ? { signal } : {}), ...(runner ? { runner } : {}) },
      );
      if (!output.ok) {
        yield {
          skip: true,
          object: "process-list:Win32_Process",
          reason: "error",
          detail: output.reason,
          listing: true,
        };
        return;
      }
      yield* parseCimProcesses(output.text, needs, now().toISOString());
    },
  };
}

/** Records from the JSON text (a non-array or a row without a pid is reported, not guessed). */
export function* parseCimProcesses(
  text: string,
  needs: ProcessReadNeeds,
  observedAt: string,
): Generator<ProcessSourceEvent> {
  let rows: unknown;
  try {
    rows = JSON.parse(text.trim() === "" ? "[]" : text);
  } catch (error) {
    yield {
      skip: true,
      object: "process-list:Win32_Process",
      reason: "error",
      detail: `the JSON could not be read: ${
        error instanceof Error ? error.message : String(error)
      }`,
      listing: true,
    };
    return;
  }
  const list = Array.isArray(rows) ? rows : [rows];
  for (const row of list as CimProcess[]) {
    if (typeof row !== "object" || row === null || typeof row.ProcessId !== "number") continue;
    const unevaluated: Record<string, string> = {};
    if (needs.user) {
      unevaluated.Username = notInCim;
      unevaluated.SecurityID = notInCim;
    }
    if (needs.handles) unevaluated.HandleList = notInCim;
    if (needs.libraries) unevaluated.DllPath = notInCim;
    if (needs.privileges) unevaluated.EnabledPrivilege = notInCim;
    const kernel = row.ProcessId === 0 || row.ProcessId === 4;
    const path = row.ExecutablePath ?? undefined;
    if (!kernel && path === undefined) {
      // Win32_Process leaves it empty for processes this account may not open.
      for (const field of ["path", "md5sum", "sha1sum", "sha256sum"]) {
        unevaluated[field] = "Win32_Process gave no ExecutablePath (access denied?)";
      }
    }
    if (!kernel && !row.CommandLine) {
      const why = "Win32_Process gave no CommandLine (access denied?)";
      unevaluated.arguments = why;
      unevaluated.cmdLine = why;
    }
    const record: ProcessRecord = {
      pid: row.ProcessId,
      ...(typeof row.ParentProcessId === "number" ? { parentPid: row.ParentProcessId } : {}),
      ...(row.Name ? { name: row.Name } : {}),
      ...(path === undefined ? {} : { imagePath: path, imageOpenPath: path }),
      ...(row.CommandLine ? { commandLine: row.CommandLine } : {}),
      ...(row.CreationDate ? { startTime: new Date(row.CreationDate).toISOString() } : {}),
      ...(typeof row.KernelModeTime === "number"
        ? { kernelSeconds: row.KernelModeTime / 1e7 }
        : {}),
      ...(typeof row.UserModeTime === "number" ? { userSeconds: row.UserModeTime / 1e7 } : {}),
      ...(kernel ? { kernelThread: true } : {}),
      observedAt,
      ...(Object.keys(unevaluated).length === 0 ? {} : { unevaluated }),
    };
    yield record;
  }
}
