/**
 * The services of a live Windows system: `Get-CimInstance Win32_Service`
 * (name, display name, description, start mode, account, command line,
 * state, pid, type) joined in the same PowerShell call with each service
 * key's `FailureCommand` and `Parameters\ServiceDll` from the live registry,
 * printed as JSON and read with a byte cap and a deadline (WMI can hang).
 * The command line is split with {@linkcode splitImagePath}; images are
 * opened where they are. The Service Control Manager over FFI (scm_api.ts)
 * is asked first; CIM is the fallback when it cannot be used (a
 * `service-source-fallback` warning says why). Not yet run on Windows:
 * tested on recorded output and a recorded API.
 *
 * @module
 */
import { type CommandRunner, readCommandOutput } from "../live/mod.ts";
import { type Environment, processEnvironment } from "../registry/mod.ts";
import { earlierImages, splitImagePath } from "./image_path.ts";
import type { ServiceEntry } from "./service_entry.ts";
import type { ServiceSource, ServiceSourceResult } from "./service_source.ts";
import { openScmApi, type ScmApi } from "./scm_api.ts";
import { scmEntries } from "./scm_entries.ts";
import { liveImageFile, takeEarlierImage } from "./unquoted_image.ts";
import { liveServicesKey } from "./windows_codes.ts";

/** The PowerShell command: one JSON array of the services, with their key's two values. */
export const cimServiceCommand: string = "$ErrorActionPreference='Stop'; " +
  "$k='HKLM:\\SYSTEM\\CurrentControlSet\\Services'; " +
  "ConvertTo-Json -Compress -InputObject @(Get-CimInstance -ClassName Win32_Service -OperationTimeoutSec 30 | " +
  "ForEach-Object { " +
  "$p = Get-ItemProperty -LiteralPath (Join-Path $k $_.Name) -ErrorAction SilentlyContinue; " +
  "$d = Get-ItemProperty -LiteralPath (Join-Path (Join-Path $k $_.Name) 'Parameters') -ErrorAction SilentlyContinue; " +
  "[pscustomobject]@{ Name=$_.Name; DisplayName=$_.DisplayName; Description=$_.Description; " +
  "StartMode=$_.StartMode; StartName=$_.StartName; PathName=$_.PathName; ProcessId=$_.ProcessId; " +
  "State=$_.State; ServiceType=$_.ServiceType; ServiceDll=$d.ServiceDll; FailureCommand=$p.FailureCommand } })";

/** The bounds of the CIM call. */
export const cimServiceLimits = { maxBytes: 32 << 20, timeoutMs: 90_000 } as const;

/** Win32_Service's and Win32_SystemDriver's `StartMode` → ServiceItem `mode`. */
export const cimStartModes: ReadonlyMap<string, string> = new Map([
  ["boot", "SERVICE_BOOT_START"],
  ["system", "SERVICE_SYSTEM_START"],
  ["auto", "SERVICE_AUTO_START"],
  ["manual", "SERVICE_DEMAND_START"],
  ["disabled", "SERVICE_DISABLED"],
]);

/** Win32_Service's `State` → ServiceItem `status`. */
const cimStates: ReadonlyMap<string, string> = new Map([
  ["stopped", "SERVICE_STOPPED"],
  ["start pending", "SERVICE_START_PENDING"],
  ["stop pending", "SERVICE_STOP_PENDING"],
  ["running", "SERVICE_RUNNING"],
  ["continue pending", "SERVICE_CONTINUE_PENDING"],
  ["pause pending", "SERVICE_PAUSE_PENDING"],
  ["paused", "SERVICE_PAUSED"],
]);

/** Win32_Service's `ServiceType` → ServiceItem `type`. */
const cimTypes: ReadonlyMap<string, string> = new Map([
  ["own process", "SERVICE_WIN32_OWN_PROCESS"],
  ["share process", "SERVICE_WIN32_SHARE_PROCESS"],
  ["kernel driver", "SERVICE_KERNEL_DRIVER"],
  ["file system driver", "SERVICE_FILE_SYSTEM_DRIVER"],
  ["interactive process", "SERVICE_INTERACTIVE_PROCESS"],
]);

/** Why a Win32_Service row without `PathName` leaves the image unknown. */
const noPathName = "Win32_Service gave no PathName (access denied?)";

/**
 * The live Windows services: the SCM over FFI, else CIM. Tests pass a
 * recorded runner (CIM) and a recorded API, or `null` for no API (CIM only),
 * and `locate`, which says whether an image file exists (an unquoted command
 * line with spaces runs the first earlier image that does: unquoted_image.ts).
 */
export function windowsServiceSource(
  runner?: CommandRunner,
  env: Environment = processEnvironment(),
  api: (() => ScmApi) | null = openScmApi,
  locate: (windowsPath: string) => string | undefined = liveImageFile,
): ServiceSource {
  const resolved = (read: ServiceSourceResult): ServiceSourceResult => {
    for (const entry of read.entries) {
      const earlier = takeEarlierImage(entry, entry.earlierImages ?? [], locate);
      if (earlier !== undefined) read.warnings.push(earlier);
    }
    return read;
  };
  return {
    name: "windows-services",
    async read(signal?: AbortSignal): Promise<ServiceSourceResult> {
      let fallback: string | undefined;
      if (api !== null) {
        const read = viaScm(api, env);
        if (!("error" in read)) return resolved(read);
        fallback = read.error;
      }
      const cim = await readCim(runner, env, signal);
      if (fallback !== undefined) {
        cim.warnings.unshift({
          code: "service-source-fallback",
          message:
            `the Service Control Manager could not be asked (${fallback}): Win32_Service read instead`,
        });
      }
      return resolved(cim);
    },
  };
}

/** The services from the SCM, or why it could not be asked. */
function viaScm(api: () => ScmApi, env: Environment): ServiceSourceResult | { error: string } {
  let opened: ScmApi;
  try {
    opened = api();
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  try {
    return scmEntries(opened, "service", env);
  } finally {
    opened.close();
  }
}

async function readCim(
  runner: CommandRunner | undefined,
  env: Environment,
  signal: AbortSignal | undefined,
): Promise<ServiceSourceResult> {
  const output = await readCommandOutput(
    "powershell.exe",
    ["-NoProfile", "-NonInteractive", "-Command", cimServiceCommand],
    { ...cimServiceLimits, ...(signal ? { signal } : {}), ...(runner ? { runner } : {}) },
  );
  if (!output.ok) {
    return {
      entries: [],
      skips: [{
        object: "service-list:Win32_Service",
        reason: "source-unavailable",
        detail: output.reason,
        unreadDocuments: ["ServiceItem"],
      }],
      warnings: [],
    };
  }
  return parseCimServices(output.text, env);
}

/** Service entries from the JSON text; text that is no JSON array leaves ServiceItem unread. */
export function parseCimServices(text: string, env: Environment): ServiceSourceResult {
  let rows: unknown;
  try {
    rows = JSON.parse(text.replace(/^\uFEFF/, "").trim() || "[]");
  } catch (error) {
    return unreadable(`PowerShell printed no JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(rows)) return unreadable("PowerShell printed no JSON array");
  const entries: ServiceEntry[] = [];
  const warnings: ServiceSourceResult["warnings"] = [];
  for (const row of rows) {
    const entry = row !== null && typeof row === "object"
      ? entryOf(row as CimService, env)
      : undefined;
    if (entry === undefined) {
      warnings.push({
        code: "cim-row",
        message: "a Win32_Service row without a name was left out",
      });
    } else entries.push(entry);
  }
  return { entries, skips: [], warnings };
}

function unreadable(detail: string): ServiceSourceResult {
  return {
    entries: [],
    skips: [{
      object: "service-list:Win32_Service",
      reason: "source-unavailable",
      detail,
      unreadDocuments: ["ServiceItem"],
    }],
    warnings: [],
  };
}

/** One row of the JSON. */
interface CimService {
  Name?: unknown;
  DisplayName?: unknown;
  Description?: unknown;
  StartMode?: unknown;
  StartName?: unknown;
  PathName?: unknown;
  ProcessId?: unknown;
  State?: unknown;
  ServiceType?: unknown;
  ServiceDll?: unknown;
  FailureCommand?: unknown;
}

const text = (value: unknown) => typeof value === "string" && value !== "" ? value : undefined;

function entryOf(row: CimService, env: Environment): ServiceEntry | undefined {
  const name = text(row.Name);
  if (name === undefined) return undefined;
  const entry: ServiceEntry = { kind: "service", name, sourceKey: `${liveServicesKey}\\${name}` };
  const set = <K extends keyof ServiceEntry>(key: K, value: ServiceEntry[K] | undefined) => {
    if (value !== undefined) entry[key] = value;
  };
  set("descriptiveName", text(row.DisplayName));
  set("description", text(row.Description));
  const mode = text(row.StartMode);
  set("mode", mode && (cimStartModes.get(mode.toLowerCase()) ?? mode));
  set("startedAs", text(row.StartName));
  const state = text(row.State);
  set("status", state && (cimStates.get(state.toLowerCase()) ?? state));
  const type = text(row.ServiceType);
  set("type", type && (cimTypes.get(type.toLowerCase()) ?? type));
  if (typeof row.ProcessId === "number" && row.ProcessId > 0) entry.pid = row.ProcessId;
  const command = text(row.PathName);
  if (command !== undefined) {
    const split = splitImagePath(command, env);
    entry.path = split.path;
    entry.arguments = split.arguments;
    if (/^[A-Za-z]:\\/.test(split.path)) entry.pathOpen = split.path;
    const earlier = earlierImages(command, env);
    if (earlier.length > 0) entry.earlierImages = earlier;
  } else {
    // Every service has a command line: none in the row means CIM could not read it.
    entry.notKnown = { path: noPathName, arguments: noPathName };
  }
  const dll = text(row.ServiceDll);
  if (dll !== undefined) {
    entry.serviceDll = splitImagePath(`"${dll.replaceAll('"', "")}"`, env).path;
    if (/^[A-Za-z]:\\/.test(entry.serviceDll)) entry.serviceDllOpen = entry.serviceDll;
  }
  set("failureCommand", text(row.FailureCommand));
  entry.notOpened = "not an absolute path with a drive: not opened";
  return entry;
}
