/**
 * Where the homes are: every home of Linux's `/etc/passwd`, every folder of
 * the live Windows `Users` folder, and every folder of the `Users` folder of
 * each mounted image (`--root`, shown in the image's Windows path form).
 *
 * @module
 */
import { dirname, join } from "node:path";
import { readEvidenceFile } from "../evidence_file.ts";
import { parsePasswd } from "../user/etc_files.ts";
import { ImagePaths, type ImageRoot } from "../file/mod.ts";
import type { EvidenceRefusal } from "../evidence_file.ts";
import type { HomeList, HomeSource, UserHome } from "./history_places.ts";

/** The largest `/etc/passwd` read. */
export const maxPasswdBytes = 16 * 1024 * 1024;
/** The most user folders looked at in one `Users` folder. */
export const maxUserFolders = 10_000;

/**
 * The homes of `/etc/passwd` (`name:password:uid:gid:gecos:home:shell`, read
 * as the user collector reads it: as glibc does), one per home folder (the
 * first account naming it).
 */
export function parsePasswdHomes(text: string): UserHome[] {
  const homes = new Map<string, UserHome>();
  for (const { name: username, home: path } of parsePasswd(text).entries) {
    if (!path.startsWith("/") || homes.has(path)) continue;
    homes.set(path, { username, path, layout: "linux" });
  }
  return [...homes.values()];
}

/** The homes of the live Linux system (tests name another passwd file). */
export function linuxHomeSource(passwd = "/etc/passwd"): HomeSource {
  return {
    name: passwd,
    homes() {
      const bytes = readEvidenceFile(passwd, { maxSize: maxPasswdBytes, kind: "passwd file" });
      if (!(bytes instanceof Uint8Array)) return Promise.resolve({ homes: [], unread: [bytes] });
      return Promise.resolve({
        homes: parsePasswdHomes(new TextDecoder().decode(bytes)),
        unread: [],
      });
    },
    shown: (path) => path,
  };
}

/** The homes of the live Windows system: the folders of `%SystemDrive%\Users`. */
export function windowsHomeSource(
  users = `${Deno.env.get("SystemDrive") ?? "C:"}\\Users`,
): HomeSource {
  return {
    name: users,
    homes: () => Promise.resolve(usersFolderHomes(users, undefined)),
    shown: (path) => path,
  };
}

/** The homes of mounted Windows images: each root's `Users` folder, shown as the image had it. */
export function imageHomeSource(roots: readonly ImageRoot[], os = Deno.build.os): HomeSource {
  const images = new ImagePaths(roots, os);
  return {
    name: roots.map((root) => root.path).join(", "),
    homes() {
      const homes: UserHome[] = [];
      const unread: EvidenceRefusal[] = [];
      for (const root of roots) {
        const list = usersFolderHomes(join(root.path, "Users"), root.path);
        homes.push(...list.homes);
        unread.push(...list.unread);
      }
      return Promise.resolve({ homes, unread });
    },
    shown: (path) => images.view(path, dirname(path))?.fullPath ?? path,
  };
}

function usersFolderHomes(users: string, root: string | undefined): HomeList {
  const homes: UserHome[] = [];
  try {
    for (const entry of Deno.readDirSync(users)) {
      if (!entry.isDirectory) continue;
      if (homes.length >= maxUserFolders) {
        return {
          homes,
          unread: [{
            file: users,
            reason: "too-large",
            detail: `more than ${maxUserFolders} user folders: the rest are not read`,
          }],
        };
      }
      homes.push({
        username: entry.name,
        path: join(users, entry.name),
        layout: "windows",
        ...(root === undefined ? {} : { root }),
      });
    }
  } catch (error) {
    // An image without a Users folder has no user history: nothing to read, not a failure.
    if (error instanceof Deno.errors.NotFound) return { homes: [], unread: [] };
    return {
      homes: [],
      unread: [{
        file: users,
        reason: "unreadable",
        detail: error instanceof Deno.errors.PermissionDenied
          ? "permission denied"
          : (error as Error).message,
      }],
    };
  }
  homes.sort((a, b) => a.path.localeCompare(b.path));
  return { homes, unread: [] };
}
