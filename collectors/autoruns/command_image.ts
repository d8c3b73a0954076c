/**
 * The image a command line starts, and its arguments: quoted and unquoted
 * paths (`C:\Program Files\x\y.exe -a` without quotes too), environment
 * variables expanded with the machine's or the image's values, NT forms
 * (`\SystemRoot\…`, `\??\C:\…`), and launchers whose real image is an
 * argument (`rundll32 x.dll,Entry`, `cmd /c x.bat`, `regsvr32 /s x.dll`).
 * `powershell -enc …` keeps PowerShell as the image and the rest as
 * arguments. Nothing here runs or opens anything.
 *
 * @module
 */

/** What a command starts. */
export interface CommandImage {
  /** The image path (expanded), or undefined for an empty command. */
  imagePath?: string;
  /** Everything after the image, trimmed; "" when none. */
  arguments: string;
}

/** Extensions that end an unquoted Windows image path that may hold spaces. */
const windowsImageExtensions = [
  "exe",
  "dll",
  "com",
  "bat",
  "cmd",
  "ps1",
  "vbs",
  "vbe",
  "js",
  "jse",
  "wsf",
  "hta",
  "scr",
  "cpl",
  "sys",
  "lnk",
  "msc",
  "jar",
  "ocx",
];
const unquotedImage = new RegExp(
  `^(.*?\\.(?:${windowsImageExtensions.join("|")}))(?=[\\s,]|$)`,
  "i",
);

/**
 * Launchers whose real payload is an argument, as data: the launcher's file
 * name (any case, with or without `.exe`), the switches skipped before the
 * payload, and how the payload is cut (`dll`: up to a comma; `command`: a
 * whole command line parsed again).
 */
const launchers: readonly {
  readonly names: readonly string[];
  readonly skip: RegExp;
  readonly payload: "dll" | "command";
}[] = [
  { names: ["rundll32"], skip: /^$/, payload: "dll" },
  { names: ["regsvr32"], skip: /^\/[a-z](?::\S*)?$/i, payload: "dll" },
  { names: ["cmd"], skip: /^\/[a-z](?::\S*)?$/i, payload: "command" },
];

/** Variables by upper-cased name (`SYSTEMROOT` → `C:\Windows`). */
export type VariableValues = ReadonlyMap<string, string>;

/** Replaces `%NAME%` (any case) with its value; unknown variables stay as written. */
export function expandWindowsVariables(text: string, env: VariableValues): string {
  if (!text.includes("%")) return text;
  return text.replace(
    /%([^%\r\n]+)%/g,
    (whole, name: string) => env.get(name.toUpperCase()) ?? whole,
  );
}

/**
 * The image and arguments of a Windows command line.
 *
 * @example
 * ```ts
 * import { windowsCommandImage } from "./command_image.ts";
 * const env = new Map([["SYSTEMROOT", "C:\\Windows"]]);
 * windowsCommandImage('rundll32.exe "C:\\x y\\a.dll",Start', env);
 * // { imagePath: "C:\\x y\\a.dll", arguments: '"C:\\x y\\a.dll",Start' }
 * ```
 */
export function windowsCommandImage(command: string, env: VariableValues, depth = 0): CommandImage {
  const text = expandWindowsVariables(command, env).trim();
  if (text === "") return { arguments: "" };
  const [image, rest] = splitFirst(text);
  const imagePath = ntPath(image, env);
  const launcher = depth < 2 ? launcherOf(imagePath) : undefined;
  if (launcher === undefined) return { imagePath, arguments: rest };
  let remaining = rest;
  while (remaining !== "") {
    const [word, after] = splitWord(remaining);
    if (!launcher.skip.test(word)) break;
    remaining = after;
  }
  if (remaining === "") return { imagePath, arguments: rest };
  if (launcher.payload === "command") {
    const inner = windowsCommandImage(remaining, env, depth + 1);
    return inner.imagePath === undefined
      ? { imagePath, arguments: rest }
      : { ...inner, arguments: rest };
  }
  const dll = remaining.startsWith('"')
    ? remaining.slice(1, remaining.indexOf('"', 1) > 0 ? remaining.indexOf('"', 1) : undefined)
    : remaining.split(/[,\s]/, 1)[0]!;
  return dll === ""
    ? { imagePath, arguments: rest }
    : { imagePath: ntPath(dll, env), arguments: rest };
}

/** The image and arguments of a POSIX command (a unit's ExecStart, a cron line, a .desktop Exec). */
export function posixCommandImage(command: string): CommandImage {
  // systemd's ExecStart prefixes (`-`, `@`, `:`, `+`, `!`) are not part of the path.
  const text = command.trim().replace(/^[-@:+!]+/, "");
  if (text === "") return { arguments: "" };
  const [image, rest] = splitWord(text);
  return { imagePath: image, arguments: rest };
}

/** The first path of a Windows command: quoted, unquoted ending in a known extension, or a word. */
function splitFirst(text: string): [string, string] {
  if (text.startsWith('"')) return splitWord(text);
  const word = splitWord(text);
  // A bare name (`regsvr32 /s x.dll`) or a word with its extension is the image as it stands;
  // only a path cut by a space (`C:\Program Files\x.exe`) reads on to the extension.
  const match = /[\\/]/.test(word[0]) || unquotedImage.test(word[0])
    ? unquotedImage.exec(text)
    : null;
  if (match) return [match[1]!, text.slice(match[1]!.length).replace(/^,?\s*/, "").trim()];
  return splitWord(text);
}

/** The first word (a quoted run counts as one, quotes removed) and the rest, trimmed. */
function splitWord(text: string): [string, string] {
  if (text.startsWith('"')) {
    const end = text.indexOf('"', 1);
    if (end < 0) return [text.slice(1), ""];
    return [text.slice(1, end), text.slice(end + 1).trim()];
  }
  const match = /^(\S+)\s*(.*)$/s.exec(text)!;
  return [match[1]!, match[2]!.trim()];
}

/** `\SystemRoot\x` and `\??\C:\x` as Win32 paths; `system32\x` (a driver's) below SystemRoot. */
function ntPath(path: string, env: VariableValues): string {
  const systemRoot = env.get("SYSTEMROOT");
  if (/^\\\?\?\\/.test(path)) return path.slice(4);
  if (systemRoot !== undefined && /^\\systemroot\\/i.test(path)) {
    return `${systemRoot}${path.slice("\\SystemRoot".length)}`;
  }
  if (systemRoot !== undefined && /^system32\\/i.test(path)) return `${systemRoot}\\${path}`;
  return path;
}

function launcherOf(imagePath: string) {
  const name = imagePath.split(/[\\/]/).pop()!.toLowerCase().replace(/\.exe$/, "");
  return launchers.find((launcher) => launcher.names.includes(name));
}
