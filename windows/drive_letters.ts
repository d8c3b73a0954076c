/**
 * Drive letters: how a user writes one (`--root-drive D:`), and how the
 * folder an image or a triage collection is mounted at can tell which drive
 * it was (`/mnt/d`, `drive_c`, Velociraptor's `C%3A`).
 *
 * @module
 */

/** The drive a mounted Windows volume is taken for when nothing tells otherwise. */
export const defaultImageDrive = "C:";

/** `D`, `d:`, `D:\` → `D:`; anything else is not a drive letter. */
const driveLetter = /^([A-Za-z]):?\\?$/;

/**
 * Folder names that say which drive a mounted volume or collection was, the
 * letter in the first group: `d` and `D:` (WSL's `/mnt/d`, KAPE's target
 * folders), `D$` (an admin share), `drive_c` (Wine), `c_drive`, `D-drive`,
 * `\\.\D:` (Velociraptor's raw NTFS accessor, once its `%5C` are decoded).
 */
const driveFolderNames: readonly RegExp[] = [
  /^([A-Za-z])[:$]?$/,
  /^drive[_-]([A-Za-z])$/i,
  /^([A-Za-z])[_-]drive$/i,
  /^\\\\\.\\([A-Za-z]):$/,
];

/**
 * The drive a user wrote, as `X:`, or undefined when it is not one letter
 * (with an optional colon).
 *
 * @example
 * ```ts
 * import { parseDriveLetter } from "./drive_letters.ts";
 * parseDriveLetter("d"); // "D:"
 * ```
 */
export function parseDriveLetter(text: string): string | undefined {
  const match = driveLetter.exec(text.trim());
  return match ? `${match[1]!.toUpperCase()}:` : undefined;
}

/**
 * The drive that the last folder name of `root` names (URL-escaped names,
 * as Velociraptor writes them, decoded first), or undefined.
 *
 * @example
 * ```ts
 * import { driveNamedBy } from "./drive_letters.ts";
 * driveNamedBy("/home/u/.wine/drive_c"); // "C:"
 * driveNamedBy("/mnt/image"); // undefined
 * ```
 */
export function driveNamedBy(root: string): string | undefined {
  const parts = root.split(/[\\/]+/).filter((part) => part !== "");
  const last = parts.at(-1);
  if (last === undefined) return undefined;
  let name = last;
  try {
    name = decodeURIComponent(last);
  } catch {
    // Not URL-escaped after all: the name as it is.
  }
  for (const pattern of driveFolderNames) {
    const match = pattern.exec(name);
    if (match) return `${match[1]!.toUpperCase()}:`;
  }
  return undefined;
}

/**
 * The drive the files below a mounted root are shown on: `override` (the
 * user's `--root-drive`), else the drive the root's name tells, else
 * {@linkcode defaultImageDrive}.
 */
export function imageDrive(root: string, override?: string): string {
  return override ?? driveNamedBy(root) ?? defaultImageDrive;
}
