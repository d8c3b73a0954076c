/**
 * Services and drivers of offline evidence: the SYSTEM hive given with
 * `--hive`, or found below a mounted Windows root (`--root`), read with our
 * REGF parser (hive_services.ts). Below a root, each image (and service
 * DLL) is found case-insensitively on the image and opened there, unless a
 * link leads it out of the image; its Windows path stays the one the hive
 * names. A hive says nothing of what runs: `status` and `pid` are unknown.
 *
 * @module
 */
import { statSync } from "node:fs";
import { basename } from "node:path";
import { linkOutOfRoot } from "../evidence_root.ts";
import { detectRole, findHivesUnderRoot, findPath, openHiveFile } from "../registry/mod.ts";
import { RegistryHive } from "../../formats/regf/mod.ts";
import { readHiveServices } from "./hive_services.ts";
import type { ServiceEntry } from "./service_entry.ts";
import { takeEarlierImage } from "./unquoted_image.ts";
import type { ServiceSource, ServiceSourceResult, SourceSkip } from "./service_source.ts";

/** Why `status` and `pid` are unknown offline. */
export const offlineStatus = "a hive does not say whether a service runs (offline evidence)";

/** A mounted Windows volume: where it is, and its drive. */
export interface OfflineRoot {
  path: string;
  drive: string;
}

/** The evidence to read. */
export interface HiveSourceOptions {
  /** Hive files (`--hive`): those whose role is SYSTEM are read. */
  hives: readonly string[];
  /** Mounted Windows volumes (`--root`). */
  roots: readonly OfflineRoot[];
  /** The documents a SYSTEM hive that cannot be read leaves unread. */
  documents: readonly string[];
}

/** The services and drivers of the SYSTEM hives of offline evidence. */
export function hiveServiceSource(options: HiveSourceOptions): ServiceSource {
  return {
    name: "system-hive",
    async read(): Promise<ServiceSourceResult> {
      const result: ServiceSourceResult = {
        entries: [],
        skips: [],
        warnings: [],
        unknown: { status: offlineStatus, pid: offlineStatus },
      };
      const unread = (object: string, reason: SourceSkip["reason"], detail: string) =>
        result.skips.push({ object, reason, detail, unreadDocuments: options.documents });
      let systems = 0;
      for (const file of options.hives) {
        const hive = await openHiveFile(file);
        if (!(hive instanceof RegistryHive)) {
          // Not a hive that opens: the registry collector reports it; here it may be the SYSTEM hive.
          if (/^system$/i.test(basename(file))) unread(file, hive.reason, hive.detail);
          continue;
        }
        if (detectRole(file, hive) !== "SYSTEM") continue;
        systems++;
        readOne(hive, file, undefined, result, unread);
      }
      for (const root of options.roots) {
        const found = findHivesUnderRoot(root.path).filter((hive) =>
          /^system$/i.test(basename(hive.file))
        );
        if (found.length === 0) {
          unread(root.path, "not-found", "no Windows\\System32\\config\\SYSTEM below this root");
          continue;
        }
        for (const { file } of found) {
          const refusal = linkOutOfRoot(file, root.path);
          if (refusal) {
            unread(file, refusal.reason, refusal.detail);
            continue;
          }
          const hive = await openHiveFile(file);
          if (!(hive instanceof RegistryHive)) {
            unread(file, hive.reason, hive.detail);
            continue;
          }
          systems++;
          readOne(hive, file, root, result, unread);
        }
      }
      if (systems === 0 && result.skips.length === 0) {
        unread(
          options.hives.join(", ") || "(no evidence)",
          "source-unavailable",
          "no SYSTEM hive among the evidence: services and drivers were not read",
        );
      }
      return result;
    },
  };
}

function readOne(
  hive: RegistryHive,
  file: string,
  root: OfflineRoot | undefined,
  result: ServiceSourceResult,
  unread: (object: string, reason: SourceSkip["reason"], detail: string) => void,
): void {
  const drive = root?.drive ?? "C:";
  const env = new Map([
    ["SYSTEMROOT", `${drive}\\Windows`],
    ["WINDIR", `${drive}\\Windows`],
    [
      "SYSTEMDRIVE",
      drive,
    ],
    ["PROGRAMFILES", `${drive}\\Program Files`],
    ["PROGRAMDATA", `${drive}\\ProgramData`],
  ]);
  const read = readHiveServices(hive, file, env);
  // The parser's damage reports (a value longer than its cell, a replay cut short…).
  for (const warning of hive.warnings) {
    result.warnings.push({ code: `regf-${warning.code}`, message: `${file}: ${warning.message}` });
  }
  if (hive.dirty && hive.recovery?.recovered !== true) {
    // Windows replays the logs at boot: a service installed last may be in them only.
    unread(file, "corrupt", unrecoveredHive);
  }
  if (read.failure !== undefined) {
    unread(file, "corrupt", read.failure);
    return;
  }
  if (read.capped) {
    unread(file, "source-unavailable", "more services than the cap: the rest was not read");
  }
  for (const entry of read.entries) {
    if (root !== undefined) resolveOnRoot(entry, root, result);
    else entry.notOpened = imagesNotOnHand;
    result.entries.push(entry);
  }
}

/** Why a dirty hive whose logs did not replay leaves its services unread. */
const unrecoveredHive = "dirty hive not recovered from its transaction logs (.LOG1/.LOG2 " +
  "missing or rejected): its newest changes, a service installed last among them, were not read";

/** Why image fields are unknown for a hive given without its volume. */
const imagesNotOnHand =
  "the hive was given without its volume (--root): the image file is not at hand";

/** Finds the entry's image and service DLL below the root. */
function resolveOnRoot(
  entry: ServiceEntry,
  root: OfflineRoot,
  result: ServiceSourceResult,
): void {
  const open = (windowsPath: string | undefined) => {
    if (windowsPath === undefined) return undefined;
    return openPathOnRoot(windowsPath, root);
  };
  const earlier = takeEarlierImage(entry, entry.earlierImages ?? [], (windowsPath) => {
    const found = openPathOnRoot(windowsPath, root);
    return found !== undefined && isRegularFile(found) ? found : undefined;
  });
  if (earlier !== undefined) result.warnings.push(earlier);
  const image = open(entry.path);
  if (image !== undefined) entry.pathOpen = image;
  const dll = open(entry.serviceDll);
  if (dll !== undefined) entry.serviceDllOpen = dll;
  entry.notOpened = `not found below the root ${root.path} (drive ${root.drive})`;
}

/**
 * Where a Windows path (`C:\Windows\x.sys`) is on a mounted root, found
 * case-insensitively; undefined when it is on another drive, not there, or
 * leads out of the image.
 */
export function openPathOnRoot(windowsPath: string, root: OfflineRoot): string | undefined {
  const match = /^([A-Za-z]:)\\(.*)$/.exec(windowsPath);
  if (!match || match[1]!.toUpperCase() !== root.drive.toUpperCase()) return undefined;
  const segments = match[2]!.split("\\").filter((part) => part !== "" && part !== ".");
  if (segments.includes("..")) return undefined;
  const found = findPath(root.path, segments);
  if (found === undefined || linkOutOfRoot(found, root.path) !== undefined) return undefined;
  return found;
}

/** Whether a path (already checked to stay on the image) is a regular file. */
function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
