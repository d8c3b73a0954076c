/**
 * The quarantine store's folder: where it is by default, created for its owner only (0700; on
 * Windows SYSTEM and Administrators only, as the results store's folder), and refused when it is
 * a symbolic link, belongs to another user, or group or others may write it: such a user could
 * swap copies, plant a key or feed recovery a forged journal.
 *
 * @module
 */
import { join } from "node:path";
import { createStoreFolder } from "../../store/store_permissions.ts";

/** The environment variable naming the store's folder (`--quarantine-dir` wins over it). */
export const QUARANTINE_DIR_ENV = "IOCSCAN_QUARANTINE_DIR";
/** The store's folder on Linux (and other POSIX systems) by default. */
export const POSIX_QUARANTINE_DIR = "/var/lib/iocscan/quarantine";
/** Sub-folders: the encrypted copies, and one record per entry. */
export const OBJECTS_FOLDER = "objects";
export const ENTRIES_FOLDER = "entries";

const WRITABLE_BY_OTHERS = 0o022;
const ROOT_UID = 0;

/**
 * The store's folder: `IOCSCAN_QUARANTINE_DIR` when set, else
 * `%ProgramData%\iocscan\quarantine` on Windows, `/var/lib/iocscan/quarantine` elsewhere.
 */
export function defaultQuarantineDir(
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
  os: typeof Deno.build.os = Deno.build.os,
): string {
  const named = env(QUARANTINE_DIR_ENV);
  if (named !== undefined && named !== "") return named;
  if (os === "windows") {
    return `${env("ProgramData") ?? "C:\\ProgramData"}\\iocscan\\quarantine`;
  }
  return POSIX_QUARANTINE_DIR;
}

/**
 * Creates the store's folder and its sub-folders when missing (owner only) and checks an
 * existing one.
 *
 * @throws Error saying why the folder is not used.
 */
export function prepareStoreFolder(dir: string): void {
  let info: Deno.FileInfo | undefined;
  try {
    info = Deno.lstatSync(dir);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (info === undefined) createStoreFolder(dir);
  checkFolder(dir);
  for (const folder of [OBJECTS_FOLDER, ENTRIES_FOLDER]) {
    const path = join(dir, folder);
    try {
      Deno.mkdirSync(path, { mode: 0o700 });
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    checkFolder(path);
  }
}

function checkFolder(path: string): void {
  const info = Deno.lstatSync(path);
  if (info.isSymlink) {
    throw new Error(`the quarantine folder ${path} is a symbolic link; name the real folder`);
  }
  if (!info.isDirectory) throw new Error(`the quarantine folder ${path} is not a folder`);
  if (Deno.build.os === "windows") return;
  const uid = Deno.uid();
  if (info.uid !== uid && info.uid !== ROOT_UID) {
    throw new Error(`the quarantine folder ${path} belongs to another user (uid ${info.uid})`);
  }
  const mode = info.mode ?? 0;
  if ((mode & WRITABLE_BY_OTHERS) !== 0) {
    throw new Error(
      `the quarantine folder ${path} is writable by other users (mode 0${
        (mode & 0o7777).toString(8)
      }); use a folder only its owner can write`,
    );
  }
}
