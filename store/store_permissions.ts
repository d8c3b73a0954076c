/**
 * Who may touch a SQLite store: its folder is created for the owner only
 * (0700; on Windows SYSTEM and Administrators only, see
 * {@linkcode protectWindowsFolder}), its files are 0600, and a store whose
 * folder another user can write, or whose files another user owns, is refused
 * before SQLite opens it: such a user could read every detection, replace the
 * database, or create `iocscan.db-wal` first and feed the next reader forged
 * results.
 *
 * SQLite creates `-wal` and `-shm` itself, giving them the database file's
 * permission bits; the database file is therefore created here, 0600, before
 * SQLite opens it, and the files of an older, readable store are narrowed to
 * 0600 when it is next opened for writing.
 *
 * @module
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { dirname, win32 } from "node:path";
import { protectWindowsFolder } from "./windows_folder_acl.ts";

/** The permission bits of a folder iocscan creates for a store. */
export const STORE_FOLDER_MODE = 0o700;
/** The permission bits of the database file and SQLite's companions. */
export const STORE_FILE_MODE = 0o600;
/** The files SQLite keeps beside the database. */
export const SQLITE_COMPANION_SUFFIXES = ["-wal", "-shm", "-journal"] as const;

/** Written by group (0o020) or others (0o002). */
const WRITABLE_BY_OTHERS = 0o022;
/** Group and others' bits. */
const GROUP_AND_OTHERS = 0o077;
const ROOT_UID = 0;

/** The facts the checks depend on; tests pass their own. */
export interface StorePermissionContext {
  /** `Deno.build.os` by default. */
  os?: typeof Deno.build.os;
  /** This process's user id (POSIX); `Deno.uid()` by default. */
  uid?: number | null;
  /** Protects a new folder on Windows; {@linkcode protectWindowsFolder} by default. */
  protectWindowsFolder?: (folder: string) => void;
}

/**
 * Creates `folder` (and missing parents) for the owner only: mode 0700 on
 * POSIX, the protected SYSTEM + Administrators access list on Windows (and
 * then refused if a file appeared in it before the list was set). An existing
 * folder is left as it is (see {@linkcode checkStoreFolder}).
 *
 * @throws Error when the folder cannot be created or protected.
 */
export function createStoreFolder(folder: string, context: StorePermissionContext = {}): void {
  if (existsSync(folder)) return;
  mkdirSync(folder, { recursive: true, mode: STORE_FOLDER_MODE });
  if ((context.os ?? Deno.build.os) === "windows") {
    (context.protectWindowsFolder ?? protectWindowsFolder)(win32.normalize(folder));
    // Until its access list was set, the new folder inherited Users' right to create files:
    // anything made there in that moment is another user's, so the folder is not used.
    const planted = readdirSync(folder);
    if (planted.length > 0) {
      throw new Error(
        `files appeared in the new folder ${folder} before it was protected (${
          planted.slice(0, 3).join(", ")
        }); it is not used`,
      );
    }
  }
}

/**
 * Narrows `folder`, when this process owns it, to the owner only (0700): for
 * the machine's default store folder, which older versions created 0755.
 * Left as it is when Deno's permissions do not let this run change it (the
 * narrow `engine-offline` set grants the store's files only).
 * Does nothing on Windows (the access list is set when the folder is created).
 */
export function restrictStoreFolder(folder: string, context: StorePermissionContext = {}): void {
  if ((context.os ?? Deno.build.os) === "windows") return;
  const uid = context.uid === undefined ? Deno.uid() : context.uid;
  const info = statSync(folder);
  if (info.uid === uid && (info.mode & GROUP_AND_OTHERS) !== 0) {
    try {
      chmodSync(folder, info.mode & ~GROUP_AND_OTHERS & 0o7777);
    } catch (error) {
      // Under the narrow permission set the engine may write its store files only.
      if (!(error instanceof Deno.errors.NotCapable)) throw error;
    }
  }
}

/**
 * Refuses a database at `path` that another user could have shaped or could
 * read: its folder writable by group or others (sticky or not: in a sticky
 * folder such as /tmp another user may still create `results.db-wal` or a
 * link at that name between this check and SQLite's open), its folder owned
 * by another user than this one or root, the database or one of its
 * companions owned by another such user, or any of them a symbolic link
 * ({@linkcode refuseStoreLinks}). POSIX only (on Windows the folder's access
 * list guards it).
 *
 * @throws Error saying which file or folder and why.
 */
export function checkStoreFolder(path: string, context: StorePermissionContext = {}): void {
  if ((context.os ?? Deno.build.os) === "windows") return;
  const uid = context.uid === undefined ? Deno.uid() : context.uid;
  const folder = dirname(path);
  const info = statSync(folder);
  const mode = info.mode ?? 0;
  if ((mode & WRITABLE_BY_OTHERS) !== 0) {
    throw new Error(
      `its folder ${folder} is writable by other users (mode ${octal(mode)}): ` +
        "anyone there could replace the database or plant its -wal; use a folder only its owner can write",
    );
  }
  if (!trustedOwner(info.uid, uid)) {
    throw new Error(`its folder ${folder} belongs to another user (uid ${info.uid})`);
  }
  refuseStoreLinks(path);
  for (const file of storeFiles(path)) {
    const fileInfo = statIfPresent(file);
    if (fileInfo !== undefined && !trustedOwner(fileInfo.uid, uid)) {
      throw new Error(
        `${file} belongs to another user (uid ${fileInfo.uid}); it was not made here`,
      );
    }
  }
}

/**
 * Refuses a database whose file, `-wal`, `-shm` or `-journal` is a symbolic
 * link: SQLite would create, write or truncate whatever it leads to (even a
 * read-only connection opens `-shm` for writing), and iocscan would narrow its
 * mode to 0600. Checked before every open, reading ones too. POSIX only.
 *
 * @throws Error naming the link and where it leads.
 */
export function refuseStoreLinks(path: string, context: StorePermissionContext = {}): void {
  if ((context.os ?? Deno.build.os) === "windows") return;
  for (const file of storeFiles(path)) {
    let link: boolean;
    try {
      link = lstatSync(file).isSymbolicLink();
    } catch {
      continue;
    }
    if (link) {
      let target = "";
      try {
        target = ` to ${Deno.readLinkSync(file)}`;
      } catch {
        // The reason stands without the target.
      }
      throw new Error(
        `${file} is a symbolic link${target}: a store's files are never reached through a link; ` +
          "name the real file",
      );
    }
  }
}

/**
 * Creates the database file, empty and 0600, when it is missing (SQLite then
 * gives its `-wal` and `-shm` the same bits), and narrows to 0600 the database
 * and companions this process owns that group or others could read.
 */
export function protectStoreFiles(path: string, context: StorePermissionContext = {}): void {
  try {
    Deno.openSync(path, { createNew: true, write: true, mode: STORE_FILE_MODE }).close();
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
  if ((context.os ?? Deno.build.os) === "windows") return;
  const uid = context.uid === undefined ? Deno.uid() : context.uid;
  for (const file of storeFiles(path)) {
    const info = statIfPresent(file);
    if (info !== undefined && info.uid === uid && (info.mode & GROUP_AND_OTHERS) !== 0) {
      chmodSync(file, STORE_FILE_MODE);
    }
  }
}

/** The database and its companions. */
function storeFiles(path: string): string[] {
  return [path, ...SQLITE_COMPANION_SUFFIXES.map((suffix) => path + suffix)];
}

function trustedOwner(owner: number | null | undefined, uid: number | null): boolean {
  return owner === undefined || owner === null || owner === ROOT_UID || owner === uid;
}

function statIfPresent(path: string): { uid: number; mode: number } | undefined {
  try {
    const info = statSync(path);
    return { uid: info.uid, mode: info.mode };
  } catch {
    return undefined;
  }
}

function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8)}`;
}
