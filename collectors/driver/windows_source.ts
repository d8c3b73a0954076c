/**
 * The kernel drivers of a live Windows system: `Get-CimInstance
 * Win32_SystemDriver` (name, display name, image path, start mode, state),
 * as JSON, read with a byte cap and a deadline. A running driver is loaded
 * (DriverItem and ModuleItem), a stopped one only configured (DriverItem).
 * CIM gives no load address: `ImageBase` is unknown. Not yet run on Windows:
 * tested on recorded output. (The `EnumDeviceDrivers` +
 * `GetDeviceDriverFileNameW` FFI path of the issue is not built.)
 *
 * @module
 */
import { type CommandRunner, readCommandOutput } from "../live/mod.ts";
import { type Environment, processEnvironment } from "../registry/mod.ts";
import { splitImagePath } from "../service/mod.ts";
import type { DriverRecord, DriverSource, DriverSourceResult } from "./driver_source.ts";

/** The PowerShell command: one JSON array of the drivers. */
export const cimDriverCommand: string = "$ErrorActionPreference='Stop'; " +
  "ConvertTo-Json -Compress -InputObject @(Get-CimInstance -ClassName Win32_SystemDriver -OperationTimeoutSec 30 | " +
  "Select-Object Name,DisplayName,PathName,StartMode,State,ServiceType)";

/** The bounds of the CIM call. */
export const cimDriverLimits = { maxBytes: 16 << 20, timeoutMs: 60_000 } as const;

/** Why a live Windows driver's load address is unknown. */
export const noLoadAddress = "Win32_SystemDriver does not give the load address";

/** The key of the current control set's services, as an analyst writes it. */
const liveServicesKey = "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services";

/** The live Windows drivers; tests pass a recorded runner. */
export function windowsDriverSource(
  runner?: CommandRunner,
  env: Environment = processEnvironment(),
): DriverSource {
  return {
    name: "cim-win32-systemdriver",
    async read(signal?: AbortSignal): Promise<DriverSourceResult> {
      const output = await readCommandOutput(
        "powershell.exe",
        ["-NoProfile", "-NonInteractive", "-Command", cimDriverCommand],
        { ...cimDriverLimits, ...(signal ? { signal } : {}), ...(runner ? { runner } : {}) },
      );
      if (!output.ok) return unreadable(output.reason);
      return parseCimDrivers(output.text, env);
    },
  };
}

/** Driver records from the JSON text. */
export function parseCimDrivers(text: string, env: Environment): DriverSourceResult {
  let rows: unknown;
  try {
    rows = JSON.parse(text.replace(/^\uFEFF/, "").trim() || "[]");
  } catch (error) {
    return unreadable(`PowerShell printed no JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(rows)) return unreadable("PowerShell printed no JSON array");
  const records: DriverRecord[] = [];
  for (const row of rows) {
    if (row === null || typeof row !== "object") continue;
    const { Name, PathName, State } = row as Record<string, unknown>;
    if (typeof Name !== "string" || Name === "") continue;
    const record: DriverRecord = {
      name: Name,
      key: `${liveServicesKey}\\${Name}`,
      loaded: typeof State === "string" && State.toLowerCase() === "running",
      unknown: { ImageBase: noLoadAddress, ImageSize: noLoadAddress },
    };
    if (typeof State === "string") record.state = State;
    if (typeof PathName === "string" && PathName !== "") {
      record.path = splitImagePath(PathName, env).path;
      if (/^[A-Za-z]:\\/.test(record.path)) record.pathOpen = record.path;
      else record.notOpened = `${record.path}: not an absolute path with a drive`;
    }
    records.push(record);
  }
  return { records, skips: [], warnings: [] };
}

function unreadable(detail: string): DriverSourceResult {
  return {
    records: [],
    skips: [{
      object: "driver-list:Win32_SystemDriver",
      reason: "source-unavailable",
      detail,
      unreadDocuments: ["DriverItem", "ModuleItem"],
    }],
    warnings: [],
  };
}
