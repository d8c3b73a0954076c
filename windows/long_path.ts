/**
 * Windows paths as the `W` file calls take them: a path longer than
 * `MAX_PATH - 1` (259) characters gets the `\\?\` prefix (`\\?\UNC\` for a
 * `\\server\share` path), which turns off the Win32 path normalisation, so
 * slashes become backslashes and `.`/`..` parts are resolved first. Also the
 * NT form Session Manager writes (`\??\C:\…`), the plain form a person and a
 * process image name use, and whether a path is on a network share.
 *
 * @module
 */

/** The longest path the Win32 calls take without the `\\?\` prefix. */
export const maxShortPathChars = 259;

const verbatimPrefix = "\\\\?\\";
const verbatimUncPrefix = "\\\\?\\UNC\\";
const ntPrefix = "\\??\\";

/** A drive-absolute path (`C:\…`). */
const driveAbsolute = /^[A-Za-z]:\\/;

/** A device, volume or NT path (`\\.\…`, `\\?\Volume{…}`, `\??\…`) that names no drive path. */
function isDevicePath(text: string): boolean {
  return /^(?:\\\\[.?]\\|\\\?\?\\)/.test(text);
}

/**
 * The plain form of a path: `\\?\C:\x` → `C:\x`, `\\?\UNC\srv\share` and
 * `\??\UNC\srv\share` → `\\srv\share`, `\??\C:\x` → `C:\x`, slashes as
 * backslashes, `.` and `..` parts resolved (never above the root).
 */
export function plainWindowsPath(path: string): string {
  let text = path;
  for (const prefix of [verbatimUncPrefix, "\\??\\UNC\\"]) {
    if (text.toUpperCase().startsWith(prefix.toUpperCase())) {
      text = `\\\\${text.slice(prefix.length)}`;
    }
  }
  for (const prefix of [verbatimPrefix, ntPrefix]) {
    if (
      text.startsWith(prefix) && driveAbsolute.test(text.slice(prefix.length).replaceAll("/", "\\"))
    ) {
      text = text.slice(prefix.length);
    }
  }
  // A device or volume path (`\\.\PhysicalDrive0`, `\\?\Volume{…}\x`) is kept as written.
  if (isDevicePath(text)) return text;
  text = text.replaceAll("/", "\\");
  const unc = text.startsWith("\\\\");
  const drive = driveAbsolute.test(text);
  if (!unc && !drive) return text;
  const parts = (unc ? text.slice(2) : text).split("\\");
  // The root: `C:` or `server\share`, never climbed above.
  const rootLength = unc ? 2 : 1;
  const root = parts.slice(0, rootLength);
  const rest: string[] = [];
  for (const part of parts.slice(rootLength)) {
    if (part === "" || part === ".") continue;
    if (part === "..") rest.pop();
    else rest.push(part);
  }
  const joined = [...root, ...rest].join("\\");
  return unc ? `\\\\${joined}` : rest.length === 0 ? `${joined}\\` : joined;
}

/**
 * The path a `W` file call is given: the plain form, with `\\?\` (drive) or
 * `\\?\UNC\` (share) when it is longer than {@linkcode maxShortPathChars};
 * a relative path as it is.
 *
 * @example
 * ```ts
 * import { win32ApiPath } from "./long_path.ts";
 * win32ApiPath("C:/Temp/x.exe"); // "C:\\Temp\\x.exe"
 * win32ApiPath(`\\\\srv\\share\\${"d\\".repeat(200)}x`); // "\\\\?\\UNC\\srv\\share\\d\\…\\x"
 * ```
 */
export function win32ApiPath(path: string): string {
  const plain = plainWindowsPath(path);
  if (plain.length <= maxShortPathChars || isDevicePath(plain)) return plain;
  if (plain.startsWith("\\\\")) return `${verbatimUncPrefix}${plain.slice(2)}`;
  if (driveAbsolute.test(plain)) return `${verbatimPrefix}${plain}`;
  return plain;
}

/** The NT form Session Manager's `PendingFileRenameOperations` holds: `\??\C:\x`. */
export function ntObjectPath(path: string): string {
  const plain = plainWindowsPath(path);
  return plain.startsWith("\\\\") ? `${ntPrefix}UNC\\${plain.slice(2)}` : `${ntPrefix}${plain}`;
}

/** Whether the path names a share (`\\server\share\…`); a mapped drive letter needs the system's answer. */
export function isUncPath(path: string): boolean {
  const plain = plainWindowsPath(path);
  return plain.startsWith("\\\\") && !isDevicePath(plain);
}

/** The drive root of a drive-absolute path (`C:\`), or undefined. */
export function driveRoot(path: string): string | undefined {
  const plain = plainWindowsPath(path);
  return driveAbsolute.test(plain) ? `${plain.slice(0, 2).toUpperCase()}\\` : undefined;
}

/** Two Windows paths compared as the file system does: plain forms, case folded. */
export function sameWindowsPath(a: string, b: string): boolean {
  return plainWindowsPath(a).toUpperCase() === plainWindowsPath(b).toUpperCase();
}

/** Whether `path` is `folder` or inside it (plain forms, case folded). */
export function isUnderWindowsFolder(path: string, folder: string): boolean {
  const inner = plainWindowsPath(path).toUpperCase();
  const outer = plainWindowsPath(folder).toUpperCase().replace(/\\+$/, "");
  return inner === outer || inner.startsWith(`${outer}\\`);
}
