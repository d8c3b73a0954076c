/**
 * The Windows sources of the autoruns view: the registry places (live
 * mounts, or the hives of a mounted root or of `--hive` files) and both
 * Startup folders (all users, and each profile's), with StartupApproved
 * telling enabled from disabled.
 *
 * @module
 */
import {
  findChild,
  findHivesUnderRoot,
  findPath,
  liveMounts,
  mountHiveFiles,
  type RegistryMount,
} from "../registry/mod.ts";
import type { SkipReason } from "../../contracts/skip_reason.ts";
import { parseShellLink, type ShellLinkTarget } from "../../formats/lnk/mod.ts";
import { readEvidenceFile } from "../evidence_file.ts";
import type { AutorunEntry } from "./autorun_entry.ts";
import { readRegistryPlaces, startupApprovedOf } from "./registry_places.ts";
import { type AutorunRead, type AutorunSource, emptyRead } from "./source.ts";

/** The all-users Startup folder below a volume root. */
const commonStartup = ["ProgramData", "Microsoft", "Windows", "Start Menu", "Programs", "StartUp"];
/** A profile's Startup folder below the profile folder. */
const userStartup = [
  "AppData",
  "Roaming",
  "Microsoft",
  "Windows",
  "Start Menu",
  "Programs",
  "Startup",
];
/** Where StartupApproved keeps the Startup folders' verdicts. */
const folderApproved =
  "Microsoft\\Windows\\CurrentVersion\\Explorer\\StartupApproved\\StartupFolder";
/** Files of a Startup folder that start nothing. */
const inertNames = new Set(["desktop.ini"]);
/** The largest shortcut read. */
const maxLinkBytes = 1024 * 1024;
/** The most files read from one Startup folder. */
const maxStartupFiles = 10_000;

/** A Windows volume: the folder it is read at and the drive it had (`C:`). */
export interface WindowsVolume {
  path: string;
  drive: string;
}

/** Hives as mounted for the view, with the files that could not be, or why none could. */
export type OpenedMounts =
  | { mounts: RegistryMount[]; failures: { object: string; reason: SkipReason; detail: string }[] }
  | string;

/** The registry places of the mounts `open` gives (live, or hive files). */
export function registryAutorunSource(open: () => Promise<OpenedMounts>): AutorunSource {
  return {
    name: "registry",
    async read() {
      const read = emptyRead();
      const opened = await open();
      if (typeof opened === "string") {
        read.skips.push({
          object: "registry",
          reason: "source-unavailable",
          detail: opened,
          whole: true,
        });
        return read;
      }
      // A hive not mounted leaves its places unread.
      for (const failure of opened.failures) read.skips.push({ ...failure, whole: true });
      const places = readRegistryPlaces(opened.mounts);
      read.entries.push(...places.entries);
      read.warnings.push(...places.warnings);
      return read;
    },
  };
}

/** The live registry's mounts (64-bit view: WOW6432Node is read as a key). */
export function liveRegistryMounts(): Promise<OpenedMounts> {
  const mounts = liveMounts(64);
  return Promise.resolve(typeof mounts === "string" ? mounts : { mounts, failures: [] });
}

/**
 * The hives of offline evidence: those below each root and the `--hive`
 * files, mounted as the registry collector mounts them. A hive that cannot
 * be mounted is a skip of its own (the registry collector says so too).
 */
export async function offlineRegistryMounts(
  roots: readonly string[],
  hives: readonly string[],
): Promise<OpenedMounts> {
  const found = [
    ...roots.flatMap((root) => findHivesUnderRoot(root)),
    ...hives.map((file) => ({ file })),
  ];
  if (found.length === 0) return "no hive in the evidence";
  const mounted = await mountHiveFiles(found);
  return {
    mounts: mounted.mounts,
    failures: mounted.failures.map(({ file, reason, detail }) => ({
      object: file,
      reason,
      detail,
    })),
  };
}

/**
 * Both Startup folders of a volume: the all-users one and each profile's.
 * `mounts` (the same volume's hives) give StartupApproved; the image of each
 * entry is the file, or a shortcut's target (formats/lnk), with its arguments.
 */
export function startupFolderSource(
  volume: WindowsVolume,
  mounts: () => Promise<OpenedMounts>,
): AutorunSource {
  return {
    name: "startup-folders",
    async read(): Promise<AutorunRead> {
      const read = emptyRead();
      const opened = await mounts();
      const list = typeof opened === "string" ? [] : opened.mounts;
      const machine = list.find((mount) => mount.role === "SOFTWARE");
      const common = findPath(volume.path, commonStartup);
      if (common !== undefined) {
        const approved = machine ? startupApprovedOf(machine, folderApproved) : undefined;
        read.entries.push(
          ...folderEntries(volume, common, [...commonStartup], approved, undefined, read),
        );
      }
      const users = findChild(volume.path, "Users");
      for (const profile of users === undefined ? [] : listNames(users, read, true)) {
        const folder = findPath(`${users}/${profile}`, userStartup);
        if (folder === undefined) continue;
        const hive = list.find((mount) =>
          mount.role === "NTUSER" && mount.username?.toLowerCase() === profile.toLowerCase()
        );
        const approved = hive ? startupApprovedOf(hive, `Software\\${folderApproved}`) : undefined;
        read.entries.push(
          ...folderEntries(
            volume,
            folder,
            ["Users", profile, ...userStartup],
            approved,
            profile,
            read,
          ),
        );
      }
      return read;
    },
  };
}

function folderEntries(
  volume: WindowsVolume,
  folder: string,
  segments: readonly string[],
  approved: ReadonlyMap<string, boolean> | undefined,
  username: string | undefined,
  read: AutorunRead,
): AutorunEntry[] {
  const location = `${volume.drive}\\${segments.join("\\")}`;
  return listNames(folder, read, false).filter((name) => !inertNames.has(name.toLowerCase())).map(
    (name) => {
      const path = `${location}\\${name}`;
      const entry: AutorunEntry = {
        category: "startup-folder",
        location,
        entryName: name,
        command: path,
        imagePath: path,
        arguments: "",
        source: `${folder}/${name}`,
      };
      // A shortcut starts its target: that is the image (the link itself is the file scan's).
      if (/\.lnk$/i.test(name)) {
        const target = linkTarget(`${folder}/${name}`, read);
        if (target?.targetPath !== undefined) {
          entry.imagePath = target.targetPath;
          entry.arguments = target.arguments;
        }
      }
      const enabled = approved?.get(name.toLowerCase());
      if (enabled !== undefined) entry.enabled = enabled;
      if (username !== undefined) entry.username = username;
      return entry;
    },
  );
}

/** A shortcut's target, or undefined (with a warning: the link itself is then the image). */
function linkTarget(file: string, read: AutorunRead): ShellLinkTarget | undefined {
  const bytes = readEvidenceFile(file, { maxSize: maxLinkBytes, kind: "shortcut" });
  if (!(bytes instanceof Uint8Array)) {
    read.skips.push({ object: file, reason: bytes.reason, detail: bytes.detail });
    return undefined;
  }
  const target = parseShellLink(bytes);
  if (target?.targetPath === undefined) {
    read.warnings.push({
      code: "autoruns-shortcut-unread",
      message:
        `${file}: not a shell link, or one without a target path; the link itself is the image`,
      file,
    });
  }
  return target;
}

function listNames(folder: string, read: AutorunRead, folders: boolean): string[] {
  const names: string[] = [];
  try {
    for (const entry of Deno.readDirSync(folder)) {
      if (entry.isDirectory !== folders) continue;
      if (names.length >= maxStartupFiles) {
        read.warnings.push({
          code: "autoruns-folder-cap",
          message: `${folder}: more than ${maxStartupFiles} entries`,
          file: folder,
        });
        break;
      }
      names.push(entry.name);
    }
  } catch (error) {
    read.skips.push({ object: folder, reason: "unreadable", detail: String(error) });
  }
  return names.sort();
}
