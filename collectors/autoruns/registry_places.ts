/**
 * The autostart places of the Windows registry, as data, read through the
 * registry collector's mounts (collectors/registry: live advapi32 or `reg
 * query`, or hive files of offline evidence): Run/RunOnce/RunOnceEx of the
 * machine and of every user hive (WOW6432Node too), Policies\Explorer\Run,
 * StartupApproved (enabled or disabled), Winlogon Userinit/Shell/Notify, IFEO
 * Debugger, SilentProcessExit MonitorProcess, AppInit_DLLs and KnownDLLs.
 *
 * @module
 */
import {
  keyPathOf,
  machineEnvironment,
  recordNumber,
  recordText,
  type RegistryMount,
  type RegistryValueRecord,
  resolveCurrentControlSet,
  userEnvironment,
} from "../registry/mod.ts";
import type { AutorunCategory, AutorunEntry } from "./autorun_entry.ts";
import { windowsCommandImage } from "./command_image.ts";

/** Which mounts a place is read in. */
type PlaceHive = "SOFTWARE" | "SYSTEM" | "NTUSER";

/**
 * How a place's key is read: every value is an entry (`values`); one value,
 * cut into several commands by `split` (`value`); one value of every subkey,
 * the subkey naming the entry (`subkey-value`); every value of every subkey
 * (`subkey-values`, RunOnceEx).
 */
type PlaceRead =
  | { readonly kind: "values"; readonly ignore?: readonly string[] }
  | { readonly kind: "value"; readonly name: string; readonly split?: RegExp }
  | { readonly kind: "subkey-value"; readonly name: string }
  | { readonly kind: "subkey-values" };

/** One autostart place in the registry. */
interface RegistryPlace {
  readonly category: AutorunCategory;
  readonly hive: PlaceHive;
  /** Below the mount, `\`-separated; `CurrentControlSet` is resolved in SYSTEM. */
  readonly path: string;
  readonly read: PlaceRead;
  /** The StartupApproved key (below the same mount) that tells its entries enabled or not. */
  readonly approved?: string;
  /** Where a bare file name of the place is found (KnownDLLs: System32). */
  readonly folder?: string;
  /** A DWORD value of the same key that must be non-zero for the place to be used. */
  readonly switchValue?: string;
}

const cv = "Microsoft\\Windows\\CurrentVersion";
const wowCv = "Wow6432Node\\Microsoft\\Windows\\CurrentVersion";
const ntCv = "Microsoft\\Windows NT\\CurrentVersion";
const wowNtCv = "Wow6432Node\\Microsoft\\Windows NT\\CurrentVersion";
const approved = `${cv}\\Explorer\\StartupApproved`;
const userCv = `Software\\${cv}`;
const userNtCv = `Software\\${ntCv}`;
const values = { kind: "values" } as const;

/** The registry's autostart places, machine then user. */
export const registryPlaces: readonly RegistryPlace[] = [
  {
    category: "run-key",
    hive: "SOFTWARE",
    path: `${cv}\\Run`,
    read: values,
    approved: `${approved}\\Run`,
  },
  { category: "run-key", hive: "SOFTWARE", path: `${cv}\\RunOnce`, read: values },
  {
    category: "run-key",
    hive: "SOFTWARE",
    path: `${cv}\\RunOnceEx`,
    read: { kind: "subkey-values" },
  },
  { category: "run-key", hive: "SOFTWARE", path: `${cv}\\Policies\\Explorer\\Run`, read: values },
  {
    category: "run-key",
    hive: "SOFTWARE",
    path: `${wowCv}\\Run`,
    read: values,
    approved: `${approved}\\Run32`,
  },
  { category: "run-key", hive: "SOFTWARE", path: `${wowCv}\\RunOnce`, read: values },
  {
    category: "run-key",
    hive: "SOFTWARE",
    path: `${wowCv}\\RunOnceEx`,
    read: { kind: "subkey-values" },
  },
  {
    category: "winlogon",
    hive: "SOFTWARE",
    path: `${ntCv}\\Winlogon`,
    read: { kind: "value", name: "Userinit", split: /,/ },
  },
  {
    category: "winlogon",
    hive: "SOFTWARE",
    path: `${ntCv}\\Winlogon`,
    read: { kind: "value", name: "Shell", split: /,/ },
  },
  {
    category: "winlogon",
    hive: "SOFTWARE",
    path: `${ntCv}\\Winlogon\\Notify`,
    read: { kind: "subkey-value", name: "DllName" },
    folder: "%SystemRoot%\\System32",
  },
  {
    category: "ifeo-debugger",
    hive: "SOFTWARE",
    path: `${ntCv}\\Image File Execution Options`,
    read: { kind: "subkey-value", name: "Debugger" },
  },
  {
    category: "ifeo-debugger",
    hive: "SOFTWARE",
    path: `${wowNtCv}\\Image File Execution Options`,
    read: { kind: "subkey-value", name: "Debugger" },
  },
  {
    category: "silent-process-exit",
    hive: "SOFTWARE",
    path: `${ntCv}\\SilentProcessExit`,
    read: { kind: "subkey-value", name: "MonitorProcess" },
  },
  {
    category: "appinit-dlls",
    hive: "SOFTWARE",
    path: `${ntCv}\\Windows`,
    read: { kind: "value", name: "AppInit_DLLs", split: /[\s,]+/ },
    switchValue: "LoadAppInit_DLLs",
  },
  {
    category: "appinit-dlls",
    hive: "SOFTWARE",
    path: `${wowNtCv}\\Windows`,
    read: { kind: "value", name: "AppInit_DLLs", split: /[\s,]+/ },
    switchValue: "LoadAppInit_DLLs",
  },
  {
    category: "known-dlls",
    hive: "SYSTEM",
    path: "CurrentControlSet\\Control\\Session Manager\\KnownDLLs",
    read: { kind: "values", ignore: ["DllDirectory", "DllDirectory32"] },
    folder: "%SystemRoot%\\System32",
  },
  {
    category: "run-key",
    hive: "NTUSER",
    path: `${userCv}\\Run`,
    read: values,
    approved: `Software\\${approved}\\Run`,
  },
  { category: "run-key", hive: "NTUSER", path: `${userCv}\\RunOnce`, read: values },
  { category: "run-key", hive: "NTUSER", path: `${userCv}\\Policies\\Explorer\\Run`, read: values },
  { category: "run-key", hive: "NTUSER", path: `Software\\${wowCv}\\Run`, read: values },
  { category: "run-key", hive: "NTUSER", path: `Software\\${wowCv}\\RunOnce`, read: values },
  {
    category: "run-key",
    hive: "NTUSER",
    path: `${userNtCv}\\Windows`,
    read: { kind: "value", name: "Load", split: /[\s,]+/ },
  },
  {
    category: "run-key",
    hive: "NTUSER",
    path: `${userNtCv}\\Windows`,
    read: { kind: "value", name: "Run", split: /[\s,]+/ },
  },
  {
    category: "winlogon",
    hive: "NTUSER",
    path: `${userNtCv}\\Winlogon`,
    read: { kind: "value", name: "Shell", split: /,/ },
  },
];

/**
 * Whether a StartupApproved value says enabled: its first byte is even
 * (`02`, `06`) when enabled, odd (`03`, `07`) when the user disabled it.
 */
export function startupApprovedEnabled(
  record: RegistryValueRecord | undefined,
): boolean | undefined {
  // Hives and advapi32 give the bytes; `reg query` gives them decoded.
  const bytes = record?.data ??
    (record?.decoded instanceof Uint8Array ? record.decoded : undefined);
  const first = bytes?.[0];
  if (first === undefined) return undefined;
  return (first & 1) === 0;
}

/** The StartupApproved verdicts of one key, by lower-cased entry name. */
export function startupApprovedOf(mount: RegistryMount, path: string): Map<string, boolean> {
  const verdicts = new Map<string, boolean>();
  for (const visit of mount.walk(path.split("\\"), false) ?? []) {
    for (const value of visit.values()) {
      const enabled = startupApprovedEnabled(value);
      if (enabled !== undefined) verdicts.set(value.name.toLowerCase(), enabled);
    }
  }
  return verdicts;
}

/** What one read of the registry places gives. */
export interface RegistryPlacesRead {
  entries: AutorunEntry[];
  /** Problems the mounts met (damaged cells), in collector-warning terms. */
  warnings: { code: string; message: string; file?: string; place?: string }[];
}

/**
 * Reads every registry place in `mounts` (machine hives and every user hive).
 * Commands are expanded with the image's own variables (the hives'
 * environment: machine, then the user's), which live are the machine's.
 */
export function readRegistryPlaces(mounts: readonly RegistryMount[]): RegistryPlacesRead {
  const machine = machineEnvironment(mounts);
  const entries: AutorunEntry[] = [];
  const warnings: RegistryPlacesRead["warnings"] = [];
  for (const mount of mounts) {
    const hive = mount.role === "SOFTWARE" || mount.role === "SYSTEM" || mount.role === "NTUSER"
      ? mount.role
      : undefined;
    if (hive === undefined) continue;
    const env = hive === "NTUSER" ? userEnvironment(machine, mount, mounts) : machine;
    for (const place of registryPlaces) {
      if (place.hive !== hive) continue;
      entries.push(...readPlace(mount, place, env));
    }
    for (const warning of mount.takeWarnings()) warnings.push(warning);
  }
  return { entries, warnings };
}

function readPlace(
  mount: RegistryMount,
  place: RegistryPlace,
  env: ReadonlyMap<string, string>,
): AutorunEntry[] {
  const segments = place.hive === "SYSTEM"
    ? resolveCurrentControlSet(mount, place.path.split("\\"))
    : place.path.split("\\");
  const found: { key: string; name: string; command: string; modified?: string }[] = [];
  const keyName = (path: string) => `${mount.root}\\${keyPathOf(mount, path)}`;
  const visitOf = (path: readonly string[]) => [...(mount.walk(path, false) ?? [])][0];
  const top = visitOf(segments);
  if (top === undefined) return [];
  if (place.switchValue !== undefined) {
    const on = recordNumber(
      top.values().find((v) => v.name.toLowerCase() === place.switchValue!.toLowerCase()),
    );
    if (on === 0 || on === undefined) return [];
  }
  const read = place.read;
  if (read.kind === "values" || read.kind === "value") {
    for (const value of top.values()) {
      const wanted = read.kind === "value"
        ? value.name.toLowerCase() === read.name.toLowerCase()
        : value.name !== "" &&
          !(read.ignore ?? []).some((n) => n.toLowerCase() === value.name.toLowerCase());
      if (!wanted) continue;
      const text = recordText(value);
      if (text === undefined) continue;
      const parts = read.kind === "value" && read.split ? text.split(read.split) : [text];
      for (const part of parts.map((p) => p.trim()).filter((p) => p !== "")) {
        found.push({
          key: keyName(top.path),
          name: value.name,
          command: part,
          ...modified(top.key.modified),
        });
      }
    }
  } else {
    for (const sub of mount.subkeyNames(segments) ?? []) {
      const visit = visitOf([...segments, sub]);
      if (visit === undefined) continue;
      for (const value of visit.values()) {
        if (read.kind === "subkey-value" && value.name.toLowerCase() !== read.name.toLowerCase()) {
          continue;
        }
        const text = recordText(value);
        if (text === undefined || text.trim() === "") continue;
        found.push({
          key: keyName(visit.path),
          name: read.kind === "subkey-value"
            ? sub
            : value.name === ""
            ? sub
            : `${sub}\\${value.name}`,
          command: text,
          ...modified(visit.key.modified),
        });
      }
    }
  }
  const verdicts = place.approved === undefined
    ? undefined
    : startupApprovedOf(mount, place.approved);
  return found.map((hit) => {
    const bare = place.folder !== undefined && !/[\\/]/.test(hit.command);
    const image = windowsCommandImage(bare ? `${place.folder}\\${hit.command}` : hit.command, env);
    const entry: AutorunEntry = {
      category: place.category,
      location: hit.key,
      entryName: hit.name,
      command: hit.command,
      arguments: image.arguments,
    };
    if (image.imagePath !== undefined) entry.imagePath = image.imagePath;
    const enabled = verdicts?.get(hit.name.toLowerCase());
    if (enabled !== undefined) entry.enabled = enabled;
    if (mount.username !== undefined) entry.username = mount.username;
    if (mount.file !== undefined) entry.source = mount.file;
    if (hit.modified !== undefined) entry.time = hit.modified;
    return entry;
  });
}

function modified(date: Date | undefined): { modified?: string } {
  return date === undefined || Number.isNaN(date.getTime()) ? {} : { modified: date.toISOString() };
}
