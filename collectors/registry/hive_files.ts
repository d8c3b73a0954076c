/**
 * Finding hive files and their transaction logs on disk: logs next to a hive
 * (any case), and the standard hives below a Windows volume root.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import type { TransactionLog } from "../../formats/regf/mod.ts";
import { readEvidenceFile } from "../evidence_file.ts";
import { splitRoot } from "../../windows/registry_roots.ts";

/** A log larger than a hive can be is not one (Windows caps hives at 2 GiB). */
const MAX_LOG_FILE = 0x84000000;

/**
 * Reads the `.LOG`, `.LOG1` and `.LOG2` files next to `hiveFile`, matching
 * names case-insensitively (`ntuser.dat.LOG1` and `NTUSER.DAT.log1` both count).
 * Each is read like the hive ({@linkcode readEvidenceFile}: links followed,
 * regular files only, checked on the descriptor, never blocking); a log that
 * cannot be read is kept with empty bytes and `unreadable` saying why, so
 * that recovery names it.
 */
export async function discoverLogs(hiveFile: string): Promise<TransactionLog[]> {
  const dir = dirname(hiveFile);
  const wanted = new Set(
    [".log", ".log1", ".log2"].map((ext) => basename(hiveFile).toLowerCase() + ext),
  );
  const logs: TransactionLog[] = [];
  const entries: Deno.DirEntry[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) entries.push(entry);
  } catch {
    return logs;
  }
  for (const entry of entries) {
    if (entry.isDirectory || !wanted.has(entry.name.toLowerCase())) continue;
    const read = readEvidenceFile(join(dir, entry.name), {
      maxSize: MAX_LOG_FILE,
      kind: "transaction log",
    });
    if (read instanceof Uint8Array) logs.push({ name: entry.name, bytes: read });
    else {
      logs.push({
        name: entry.name,
        bytes: new Uint8Array(0),
        unreadable: `${read.reason}: ${read.detail}`,
      });
    }
  }
  return logs.sort((a, b) => a.name.localeCompare(b.name));
}

/** The child of `dir` named `name` in any case, or undefined. */
export function findChild(dir: string, name: string): string | undefined {
  try {
    const lower = name.toLowerCase();
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.name.toLowerCase() === lower) return join(dir, entry.name);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** Follows `segments` below `dir`, each matched case-insensitively. */
export function findPath(dir: string, segments: readonly string[]): string | undefined {
  let current: string | undefined = dir;
  for (const segment of segments) {
    if (current === undefined) return undefined;
    current = findChild(current, segment);
  }
  return current;
}

/** A hive file found below a volume root. */
export interface FoundHive {
  /** The file path. */
  file: string;
  /** The profile folder name for user hives. */
  profile?: string;
}

/** The machine hive files iocscan looks for under `Windows/System32/config`. */
export const MACHINE_HIVE_FILES = ["SYSTEM", "SOFTWARE", "SAM", "SECURITY", "DEFAULT"] as const;

/**
 * The machine hives (`SYSTEM`, `SOFTWARE`…) that registry key paths name under
 * `HKEY_LOCAL_MACHINE` (any spelling of the root), upper-cased, once each.
 *
 * @example
 * ```ts
 * import { machineHivesNamed } from "./hive_files.ts";
 * machineHivesNamed(["HKLM\\System\\CurrentControlSet\\Services\\x", "HKCU\\Software"]); // ["SYSTEM"]
 * ```
 */
export function machineHivesNamed(keyPaths: readonly string[]): string[] {
  const named = new Set<string>();
  for (const path of keyPaths) {
    const { root, rest } = splitRoot(path);
    if (root !== "HKEY_LOCAL_MACHINE") continue;
    const hive = rest.split("\\")[1]?.toUpperCase();
    const known = MACHINE_HIVE_FILES.find((name) => name === hive);
    if (known !== undefined) named.add(known);
  }
  return [...named];
}

/**
 * Finds the standard hives below a Windows volume root (case-insensitively):
 * `Windows/System32/config/{SYSTEM,SOFTWARE,SAM,SECURITY,DEFAULT}`,
 * `Users/<name>/NTUSER.DAT` and
 * `Users/<name>/AppData/Local/Microsoft/Windows/UsrClass.dat`.
 */
export function findHivesUnderRoot(root: string): FoundHive[] {
  const found: FoundHive[] = [];
  const config = findPath(root, ["Windows", "System32", "config"]);
  if (config) {
    for (const name of MACHINE_HIVE_FILES) {
      const file = findChild(config, name);
      if (file && isCandidate(file)) found.push({ file });
    }
  }
  const users = findChild(root, "Users");
  if (users) {
    let profiles: Deno.DirEntry[] = [];
    try {
      profiles = [...Deno.readDirSync(users)].filter((e) => e.isDirectory);
    } catch {
      profiles = [];
    }
    profiles.sort((a, b) => a.name.localeCompare(b.name));
    for (const profile of profiles) {
      const home = join(users, profile.name);
      const ntuser = findChild(home, "NTUSER.DAT");
      if (ntuser && isCandidate(ntuser)) found.push({ file: ntuser, profile: profile.name });
      const classes = findPath(home, [
        "AppData",
        "Local",
        "Microsoft",
        "Windows",
        "UsrClass.dat",
      ]);
      if (classes && isCandidate(classes)) found.push({ file: classes, profile: profile.name });
    }
  }
  return found;
}

/**
 * Whether a hive name found below a root is handed to the reader: anything but
 * a folder. A FIFO, device or dangling link there is then refused by name
 * (a skip), instead of passing unseen.
 */
function isCandidate(path: string): boolean {
  try {
    return !Deno.lstatSync(path).isDirectory;
  } catch {
    return false;
  }
}

/**
 * The profile folder a user hive belongs to, from its path:
 * `…/Users/<name>/NTUSER.DAT` or `…/<name>/AppData/Local/Microsoft/Windows/UsrClass.dat`;
 * otherwise the hive's parent folder name.
 */
export function profileNameFromPath(file: string): string {
  const parts = file.replaceAll("\\", "/").split("/").filter((p) => p !== "");
  parts.pop();
  const lower = parts.map((p) => p.toLowerCase());
  const n = lower.length;
  if (
    n >= 5 && lower[n - 1] === "windows" && lower[n - 2] === "microsoft" &&
    lower[n - 3] === "local" && lower[n - 4] === "appdata"
  ) return parts[n - 5]!;
  return parts[n - 1] ?? "";
}
