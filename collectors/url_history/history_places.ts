/**
 * Finding the history databases of every user: the homes come from a
 * {@linkcode HomeSource} (Linux `/etc/passwd`; the Windows `Users` folder of
 * the live system or of a mounted image), then every profile folder of every
 * browser of `browserPlaces` below each home. Profile folders that are links
 * are not followed (a user could point theirs at another user's profile);
 * below a mounted image, a database whose real location leaves the image is
 * refused. A legacy IE/Edge `WebCacheV01.dat` is found too, to be reported
 * as not read.
 *
 * @module
 */
import { join } from "node:path";
import { linkOutOfRoot } from "../evidence_root.ts";
import type { EvidenceRefusal } from "../evidence_file.ts";
import { type BrowserPlace, browserPlaces, engineFiles, webCacheDatabase } from "./browsers.ts";

/** One user's home. */
export interface UserHome {
  readonly username: string;
  /** The home folder on the scanning machine. */
  readonly path: string;
  /** Whose layout the home has: Linux (`.config`, `.mozilla`) or Windows (`AppData`). */
  readonly layout: "linux" | "windows";
  /** The mounted image the home is on, when it is on one (links must stay inside it). */
  readonly root?: string;
}

/** The homes of a system, and what could not be listed. */
export interface HomeList {
  readonly homes: readonly UserHome[];
  /** Places that could not be read: the history below them is unread. */
  readonly unread: readonly EvidenceRefusal[];
}

/** Where a collector finds the homes: the live system of a platform, or mounted images. */
export interface HomeSource {
  /** For stats and skips, e.g. `/etc/passwd` or `C:\Users`. */
  readonly name: string;
  homes(): Promise<HomeList>;
  /** A file as the evidence names it (the Windows form below a mounted image). */
  shown(path: string): string;
}

/** A history database found. */
export interface HistoryDatabase {
  readonly browser: BrowserPlace;
  readonly home: UserHome;
  /** The profile folder's name. */
  readonly profile: string;
  /** The database file. */
  readonly file: string;
  /** The browser's version file for this profile. */
  readonly versionFile: string;
}

/** What the search found. */
export interface FoundDatabases {
  readonly databases: readonly HistoryDatabase[];
  /** Legacy WebCache databases (not read). */
  readonly webCaches: readonly { readonly home: UserHome; readonly file: string }[];
  /** Folders or databases refused. */
  readonly refused: readonly EvidenceRefusal[];
}

/** The most profile folders looked at in one browser's folder. */
export const maxProfileFolders = 1_000;

/** Finds the history databases below `homes`. Never throws. */
export function findHistoryDatabases(homes: readonly UserHome[]): FoundDatabases {
  const databases: HistoryDatabase[] = [];
  const webCaches: { home: UserHome; file: string }[] = [];
  const refused: EvidenceRefusal[] = [];
  for (const home of homes) {
    for (const browser of browserPlaces) {
      for (const relative of browser[home.layout]) {
        const folder = join(home.path, ...relative.split("/"));
        const profiles = listFolders(folder, refused);
        const files = engineFiles[browser.engine];
        for (const profile of profiles) {
          const file = join(folder, profile, files.database);
          // Anything but a folder is tried: a FIFO or device there is refused by name, not passed over.
          if (!existsNotFolder(file)) continue;
          const outside = home.root === undefined ? undefined : linkOutOfRoot(file, home.root);
          if (outside !== undefined) {
            refused.push(outside);
            continue;
          }
          const versionFile = files.version.inProfile
            ? join(folder, profile, files.version.file)
            : join(folder, files.version.file);
          databases.push({ browser, home, profile, file, versionFile });
        }
      }
    }
    if (home.layout === "windows") {
      const file = join(home.path, ...webCacheDatabase.split("/"));
      if (existsNotFolder(file)) webCaches.push({ home, file });
    }
  }
  return { databases, webCaches, refused };
}

/** The folders (not links) in `folder`, capped; a folder that cannot be read is refused. */
function listFolders(folder: string, refused: EvidenceRefusal[]): string[] {
  const names: string[] = [];
  try {
    for (const entry of Deno.readDirSync(folder)) {
      if (!entry.isDirectory) continue;
      if (names.length >= maxProfileFolders) {
        refused.push({
          file: folder,
          reason: "too-large",
          detail: `more than ${maxProfileFolders} profile folders: the rest are not read`,
        });
        break;
      }
      names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return [];
    }
    refused.push({
      file: folder,
      reason: "unreadable",
      detail: error instanceof Deno.errors.PermissionDenied
        ? "permission denied"
        : (error as Error).message,
    });
  }
  return names.sort();
}

function existsNotFolder(path: string): boolean {
  try {
    return !Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}
