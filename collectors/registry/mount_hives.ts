/**
 * Opens hive files (with their logs) and mounts each at its live name:
 * `HKLM\SYSTEM`, `HKLM\SOFTWARE`, `HKLM\SAM`, `HKLM\SECURITY`, `HKU\.DEFAULT`,
 * `HKU\<SID>` and `HKU\<SID>_Classes`, the SID coming from the SOFTWARE
 * hive's ProfileList when one is loaded, else the profile folder's name.
 *
 * @module
 */
import { basename } from "node:path";
import { isDirtyHive, RegfError, RegistryHive } from "../../formats/regf/mod.ts";
import type { SkipReason } from "../collector.ts";
import { evidenceRefusal, openEvidenceFile } from "../evidence_file.ts";
import { discoverLogs, profileNameFromPath } from "./hive_files.ts";
import type { FoundHive } from "./hive_files.ts";
import { detectRole, HiveMount, recordText } from "./hive_mount.ts";
import type { MountPoint } from "./hive_mount.ts";
import type { HiveRole } from "./source.ts";

/** A hive file that could not be mounted. */
export interface HiveFailure {
  /** The file path. */
  file: string;
  /** Why it was skipped. */
  reason: SkipReason;
  /** What went wrong, for people. */
  detail: string;
}

/** The result of {@linkcode mountHiveFiles}. */
export interface MountedHives {
  /** The hives mounted at their live names. */
  mounts: HiveMount[];
  /** The files that could not be mounted. */
  failures: HiveFailure[];
}

const PROFILE_LIST = ["Microsoft", "Windows NT", "CurrentVersion", "ProfileList"];
/** Hives are at most 2 GiB; anything much larger is not one. */
const MAX_HIVE_FILE = 0x84000000;

function isSignature(bytes: Uint8Array, text: string): boolean {
  return [...text].every((c, i) => bytes[i] === c.charCodeAt(0));
}

/**
 * Reads a hive file; failures become a {@linkcode HiveFailure}. The file is
 * opened without blocking and checked on its descriptor (regular files only),
 * and never read past the size the descriptor reports
 * ({@linkcode openEvidenceFile}). The reads are synchronous: the caller waits
 * for the whole file anyway, and an async read of a large hive leaves the
 * process idle while a worker thread reads.
 */
function readHive(file: string): Uint8Array | HiveFailure {
  const opened = openEvidenceFile(file, { maxSize: MAX_HIVE_FILE, kind: "hive" });
  if (!("readAt" in opened)) return opened;
  try {
    if (opened.size < 4) {
      return {
        file,
        reason: "unsupported",
        detail: `not a registry hive: ${opened.size} bytes (by its descriptor), nothing read`,
      };
    }
    // Look at the signature first, so that a large file given by mistake is not read whole.
    const head = new Uint8Array(4);
    if (
      opened.readAt(head, 0) !== 4 || !(isSignature(head, "regf") || isSignature(head, "CREG"))
    ) {
      return {
        file,
        reason: "unsupported",
        detail: "not a registry hive: no regf signature at offset 0",
      };
    }
    // Read the rest through the open descriptor into one buffer of its size: several
    // times faster than Deno.readFileSync on a 12 MB hive.
    const bytes = new Uint8Array(opened.size);
    bytes.set(head);
    return bytes.subarray(0, 4 + opened.readAt(bytes.subarray(4), 4));
  } catch (error) {
    return evidenceRefusal(file, error);
  } finally {
    opened.close();
  }
}

/**
 * Opens a hive file with the transaction logs next to it.
 * Returns the hive, or why it could not be opened.
 */
export async function openHiveFile(file: string): Promise<RegistryHive | HiveFailure> {
  const bytes = readHive(file);
  if (!(bytes instanceof Uint8Array)) return bytes;
  try {
    // Logs matter only for a dirty hive: do not read them otherwise.
    const logs = isDirtyHive(bytes) ? await discoverLogs(file) : [];
    return RegistryHive.open(bytes, { logs });
  } catch (error) {
    if (error instanceof RegfError) {
      return {
        file,
        reason: error.code === "too-short" ? "corrupt" : "unsupported",
        detail: error.message,
      };
    }
    return {
      file,
      reason: "error",
      detail: error instanceof Error ? error.message : String(error),
    };
  }
}

/** The SID of each profile folder (lower-cased name), from ProfileList. */
function profileSids(software: HiveMount): Map<string, string> {
  const sids = new Map<string, string>();
  for (const sid of software.subkeyNames(PROFILE_LIST) ?? []) {
    const image = recordText(software.readValue([...PROFILE_LIST, sid], "ProfileImagePath"));
    if (!image) continue;
    const folder = image.replaceAll("/", "\\").split("\\").filter((p) => p !== "").pop();
    if (folder && !sids.has(folder.toLowerCase())) sids.set(folder.toLowerCase(), sid);
  }
  return sids;
}

function machinePoint(role: HiveRole, file: string): MountPoint {
  if (role === "DEFAULT") return { root: "HKEY_USERS", mountPath: ".DEFAULT", role };
  if (role === "OTHER" || role === "AMCACHE") {
    const name = basename(file).replace(/\.[^.]*$/, "").toUpperCase() || "HIVE";
    return { root: "HKEY_LOCAL_MACHINE", mountPath: name, role };
  }
  return { root: "HKEY_LOCAL_MACHINE", mountPath: role, role };
}

/**
 * Opens every hive file and mounts it at its live name. Files that are not
 * hives (or cannot be read) are returned as failures; nothing throws.
 */
export async function mountHiveFiles(found: readonly FoundHive[]): Promise<MountedHives> {
  const failures: HiveFailure[] = [];
  const opened: { found: FoundHive; hive: RegistryHive; role: HiveRole }[] = [];
  for (const entry of found) {
    const hive = await openHiveFile(entry.file);
    if (!(hive instanceof RegistryHive)) {
      failures.push(hive);
      continue;
    }
    opened.push({ found: entry, hive, role: detectRole(entry.file, hive) });
  }
  const mounts: HiveMount[] = [];
  const pending: typeof opened = [];
  for (const item of opened) {
    if (item.role === "NTUSER" || item.role === "USRCLASS") pending.push(item);
    else {mounts.push(
        new HiveMount(item.found.file, item.hive, machinePoint(item.role, item.found.file)),
      );}
  }
  const sids = new Map<string, string>();
  for (const mount of mounts) {
    if (mount.role !== "SOFTWARE") continue;
    for (const [folder, sid] of profileSids(mount)) if (!sids.has(folder)) sids.set(folder, sid);
  }
  for (const item of pending) {
    const username = item.found.profile ?? profileNameFromPath(item.found.file);
    const sid = sids.get(username.toLowerCase());
    const user = sid ?? username;
    const point: MountPoint = {
      root: "HKEY_USERS",
      mountPath: item.role === "USRCLASS" ? `${user}_Classes` : user,
      role: item.role,
      username,
    };
    if (sid !== undefined) point.sid = sid;
    mounts.push(new HiveMount(item.found.file, item.hive, point));
  }
  return { mounts, failures };
}
