/**
 * A service's or driver's image path split from its arguments, as the
 * Service Control Manager and the kernel read `ImagePath`: environment
 * variables expanded, a quoted path taken as written, an unquoted one cut at
 * the first name with an executable extension (`C:\Program Files\A B\s.exe
 * -k x`), and the kernel's forms (`\SystemRoot\…`, `\??\C:\…`,
 * `System32\drivers\x.sys` relative to the Windows folder) given as the
 * `C:\…` path an IOC writes.
 *
 * @module
 */
import { type Environment, expandEnvironment } from "../registry/mod.ts";

/** An image path and what follows it. */
export interface SplitImagePath {
  /** The image, e.g. `C:\Windows\system32\svchost.exe`; empty when the text was empty. */
  path: string;
  /** The rest of the command line, trimmed; empty when there is none. */
  arguments: string;
}

/** The extensions an unquoted image path ends at, in the order Windows tries names. */
const imageExtensions = [".exe", ".sys", ".dll", ".com", ".bat", ".cmd", ".scr"] as const;

/** The Windows folder when the environment does not name it. */
const defaultSystemRoot = "C:\\Windows";

/** Kernel spellings of a path's start, and what each means (folded case). */
const kernelPrefixes: readonly { prefix: string; replace: (env: Environment) => string }[] = [
  { prefix: "\\systemroot\\", replace: (env) => `${systemRootOf(env)}\\` },
  { prefix: "\\??\\", replace: () => "" },
  { prefix: "\\\\?\\", replace: () => "" },
  { prefix: "system32\\", replace: (env) => `${systemRootOf(env)}\\System32\\` },
  { prefix: "syswow64\\", replace: (env) => `${systemRootOf(env)}\\SysWOW64\\` },
];

/**
 * Splits an `ImagePath` (or `lpBinaryPathName`) into the image and its
 * arguments. `%NAME%` is expanded from `env` (upper-case names; unknown
 * names stay as written). An unquoted path with spaces is cut after the first
 * word that ends in an executable extension, else at the first space.
 *
 * @example
 * ```ts
 * import { splitImagePath } from "./image_path.ts";
 * const env = new Map([["SYSTEMROOT", "C:\\Windows"]]);
 * splitImagePath("%SystemRoot%\\system32\\svchost.exe -k netsvcs -p", env);
 * // { path: "C:\\Windows\\system32\\svchost.exe", arguments: "-k netsvcs -p" }
 * ```
 */
export function splitImagePath(raw: string, env: Environment): SplitImagePath {
  const text = expandEnvironment(raw, env).trim();
  if (text === "") return { path: "", arguments: "" };
  if (text.startsWith('"')) {
    const end = text.indexOf('"', 1);
    if (end < 0) return { path: kernelForm(text.slice(1), env), arguments: "" };
    return {
      path: kernelForm(text.slice(1, end), env),
      arguments: text.slice(end + 1).trim(),
    };
  }
  const cut = unquotedEnd(text);
  return { path: kernelForm(text.slice(0, cut), env), arguments: text.slice(cut).trim() };
}

/**
 * The images Windows tries before the one {@linkcode splitImagePath} gives,
 * for an unquoted service command line with spaces before its image's end.
 * CreateProcess with no application name takes each space in turn as the
 * end of the module name and runs the first that exists, adding `.exe` to a
 * name without an extension (learn.microsoft.com, CreateProcessW,
 * `lpApplicationName`: `c:\program files\sub dir\program name` is tried as
 * `c:\program.exe`, `c:\program files\sub.exe`, …). The service control
 * manager starts a service's `ImagePath` that way; the kernel does not split
 * a driver's. Empty for a quoted path or one without such spaces.
 *
 * @example
 * ```ts
 * import { earlierImages } from "./image_path.ts";
 * earlierImages("C:\\Program Files\\A B\\svc.exe -k run", new Map());
 * // [{ path: "C:\\Program.exe", arguments: "Files\\A B\\svc.exe -k run" },
 * //  { path: "C:\\Program Files\\A.exe", arguments: "B\\svc.exe -k run" }]
 * ```
 */
export function earlierImages(raw: string, env: Environment): SplitImagePath[] {
  const text = expandEnvironment(raw, env).trim();
  if (text === "" || text.startsWith('"')) return [];
  const cut = unquotedEnd(text);
  const earlier: SplitImagePath[] = [];
  for (const space of text.slice(0, cut).matchAll(/\s+/g)) {
    const name = text.slice(0, space.index);
    const last = name.slice(name.lastIndexOf("\\") + 1);
    earlier.push({
      path: kernelForm(last.includes(".") ? name : `${name}${defaultExtension}`, env),
      arguments: text.slice(space.index).trim(),
    });
  }
  return earlier;
}

/** What CreateProcess adds to a module name without an extension. */
const defaultExtension = ".exe";

/** Where an unquoted path ends: after the first word ending in an image extension. */
function unquotedEnd(text: string): number {
  const lower = text.toLowerCase();
  let best = -1;
  for (const extension of imageExtensions) {
    let from = 0;
    while (from < lower.length) {
      const at = lower.indexOf(extension, from);
      if (at < 0) break;
      const end = at + extension.length;
      if (end === lower.length || /\s/.test(lower[end]!)) {
        if (best < 0 || end < best) best = end;
        break;
      }
      from = at + 1;
    }
  }
  if (best >= 0) return best;
  const space = text.search(/\s/);
  return space < 0 ? text.length : space;
}

/** The `C:\…` form of a kernel or relative path. */
function kernelForm(path: string, env: Environment): string {
  const lower = path.toLowerCase();
  for (const { prefix, replace } of kernelPrefixes) {
    if (lower.startsWith(prefix)) return replace(env) + path.slice(prefix.length);
  }
  return path;
}

function systemRootOf(env: Environment): string {
  return env.get("SYSTEMROOT") ?? env.get("WINDIR") ?? defaultSystemRoot;
}
