/**
 * The autostart places of a Linux system, read below a root (`/` live, or a
 * folder that holds one): systemd units of the system, of every user's
 * manager and of each home's `~/.config/systemd/user` (enabled when a
 * `*.wants/` or `*.requires/` link names them), `/etc/rc.local`, `/etc/init.d/*`,
 * `/etc/ld.so.preload`, shell profiles (`/etc/profile`, `/etc/profile.d/*`,
 * `/etc/bash.bashrc`, each home's `.bashrc`, `.bash_profile`, `.profile`,
 * `.zshrc`), each home's `.ssh/authorized_keys` (one entry per key, its
 * `command=` option as the image), and XDG autostart `.desktop` files. Cron
 * and `at` come from the task collector's entry list (provided_entries.ts).
 *
 * Every file may be hostile: each is read as a regular file only, up to a
 * cap, never passed to a shell; below a root other than `/` nothing is
 * followed out of it.
 *
 * @module
 */
import { join } from "node:path";
import { readEvidenceFile } from "../evidence_file.ts";
import { linkOutOfRoot } from "../evidence_root.ts";
import type { AutorunCategory, AutorunEntry } from "./autorun_entry.ts";
import { posixCommandImage } from "./command_image.ts";
import { type AutorunRead, type AutorunSource, emptyRead } from "./source.ts";

/** The largest file read (a unit, a profile, a key list). */
export const maxAutorunFileBytes = 1024 * 1024;
/** The most files listed in one folder. */
export const maxFolderEntries = 10_000;

/** Where systemd keeps unit files, system then vendor. */
const unitFolders = [
  "/etc/systemd/system",
  "/run/systemd/system",
  "/usr/local/lib/systemd/system",
  "/usr/lib/systemd/system",
  "/lib/systemd/system",
];
/** Unit lines that start a program. */
const execKeys = ["ExecStart", "ExecStartPre", "ExecStartPost", "ExecStop", "ExecReload"];
/** The machine's shell profiles (the file is the image: a script). */
const machineProfiles = ["/etc/profile", "/etc/bash.bashrc", "/etc/zsh/zshrc", "/etc/zshrc"];
/** Each home's shell profiles. */
const homeProfiles = [".bashrc", ".bash_profile", ".bash_login", ".profile", ".zshrc", ".zprofile"];
/** Each home's key lists. */
const keyLists = [".ssh/authorized_keys", ".ssh/authorized_keys2"];
/** Key types that start a key line (what comes before is options). */
const keyTypes =
  /(?:^|\s)((?:ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp\d+|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)\s+\S+)(?:\s+(.*))?$/;

/** The Linux source over `root` (`/` for the live system). */
export function linuxAutorunSource(root = "/"): AutorunSource {
  return {
    name: "linux-files",
    read: () => Promise.resolve(readLinuxAutoruns(root)),
  };
}

/** Reads every Linux autostart place below `root`. */
export function readLinuxAutoruns(root: string): AutorunRead {
  const reader = new RootReader(root);
  readUnits(reader, systemUnits);
  readUnits(reader, globalUserUnits);
  reader.scriptEntry("rc-local", "/etc/rc.local");
  for (const name of reader.list("/etc/init.d")) {
    reader.scriptEntry("init-script", `/etc/init.d/${name}`);
  }
  readPreload(reader);
  for (const file of machineProfiles) reader.scriptEntry("shell-profile", file);
  for (const name of reader.list("/etc/profile.d")) {
    reader.scriptEntry("shell-profile", `/etc/profile.d/${name}`);
  }
  for (const name of reader.list("/etc/xdg/autostart")) {
    if (name.endsWith(".desktop")) readDesktop(reader, `/etc/xdg/autostart/${name}`);
  }
  for (const home of homesOf(reader)) {
    const userUnits = `${home.path}/.config/systemd/user`;
    readUnits(reader, {
      folders: [userUnits],
      enabling: [userUnits],
      username: home.user,
      home: home.path,
    });
    for (const profile of homeProfiles) {
      reader.scriptEntry("shell-profile", `${home.path}/${profile}`, home.user);
    }
    for (const list of keyLists) readKeys(reader, `${home.path}/${list}`, home.user);
    for (const name of reader.list(`${home.path}/.config/autostart`)) {
      if (name.endsWith(".desktop")) {
        readDesktop(reader, `${home.path}/.config/autostart/${name}`, home.user);
      }
    }
  }
  return reader.read;
}

/** Reads files of the system below a root, bounded; what it cannot read becomes a skip. */
class RootReader {
  readonly read = emptyRead();
  readonly #root: string;

  constructor(root: string) {
    this.#root = root;
  }

  /** The path on this machine of `path` on the system. */
  osPath(path: string): string {
    return this.#root === "/" ? path : join(this.#root, path);
  }

  /** Names in a folder (sorted, capped); [] when it is missing. */
  list(folder: string): string[] {
    const path = this.osPath(folder);
    if (this.#escapes(path)) return [];
    const names: string[] = [];
    try {
      for (const entry of Deno.readDirSync(path)) {
        if (names.length >= maxFolderEntries) {
          this.read.warnings.push({
            code: "autoruns-folder-cap",
            message: `${folder}: more than ${maxFolderEntries} entries; the rest was not read`,
            file: folder,
          });
          break;
        }
        names.push(entry.name);
      }
    } catch (error) {
      if (
        !(error instanceof Deno.errors.NotFound) && !(error instanceof Deno.errors.NotADirectory)
      ) {
        // A place's folder not listed: whatever it holds is unseen, the place not read whole.
        this.read.skips.push({
          object: folder,
          reason: "unreadable",
          detail: String(error),
          whole: true,
        });
      }
    }
    return names.sort();
  }

  /** A link's target, or undefined when `path` is no link. */
  link(path: string): string | undefined {
    try {
      return Deno.readLinkSync(this.osPath(path));
    } catch {
      return undefined;
    }
  }

  /** Whether `path` exists (no link followed). */
  exists(path: string): boolean {
    try {
      Deno.lstatSync(this.osPath(path));
      return true;
    } catch {
      return false;
    }
  }

  /** The text of a file, or undefined (missing: silently; unreadable: a skip). */
  text(path: string): { text: string; time?: string } | undefined {
    const osPath = this.osPath(path);
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(osPath);
    } catch {
      return undefined;
    }
    if (info.isDirectory) return undefined;
    if (this.#escapes(osPath, path)) return undefined;
    const bytes = readEvidenceFile(osPath, {
      maxSize: maxAutorunFileBytes,
      kind: "autostart file",
    });
    if (!(bytes instanceof Uint8Array)) {
      // An autostart file that exists but was not read (permission, past the cap) hides its
      // entries; a FIFO or device is no file the system starts anything from.
      this.read.skips.push({
        object: path,
        reason: bytes.reason,
        detail: bytes.detail,
        ...(bytes.reason === "special-file" ? {} : { whole: true }),
      });
      return undefined;
    }
    const time = info.mtime?.toISOString();
    return { text: new TextDecoder().decode(bytes), ...(time === undefined ? {} : { time }) };
  }

  /** An entry whose image is the script file itself (a profile, rc.local, an init script). */
  scriptEntry(category: AutorunCategory, path: string, username?: string): void {
    const read = this.text(path);
    if (read === undefined) return;
    this.add({
      category,
      location: path,
      entryName: path.split("/").pop()!,
      command: path,
      imagePath: path,
      arguments: "",
      source: this.osPath(path),
      ...(read.time === undefined ? {} : { time: read.time }),
      ...(username === undefined ? {} : { username }),
    });
  }

  add(entry: AutorunEntry): void {
    this.read.entries.push(entry);
  }

  #escapes(osPath: string, shown = osPath): boolean {
    if (this.#root === "/") return false;
    const refusal = linkOutOfRoot(osPath, this.#root);
    if (refusal === undefined) return false;
    this.read.skips.push({ object: shown, reason: refusal.reason, detail: refusal.detail });
    return true;
  }
}

/** Where a set of units is kept, and where the links that enable them are. */
interface UnitScope {
  /** Unit folders, the first that holds a name wins (as systemd's search order). */
  folders: readonly string[];
  /** Folders whose `*.wants/` and `*.requires/` subfolders enable units. */
  enabling: readonly string[];
  username?: string;
  /** The home `%h` means in a user's units. */
  home?: string;
}

/** The system's units. */
const systemUnits: UnitScope = {
  folders: unitFolders,
  enabling: ["/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system"],
};
/** The user-manager units every user gets. */
const globalUserUnits: UnitScope = {
  folders: ["/etc/systemd/user", "/usr/lib/systemd/user", "/lib/systemd/user"],
  enabling: ["/etc/systemd/user", "/usr/lib/systemd/user", "/lib/systemd/user"],
};

function readUnits(reader: RootReader, scope: UnitScope): void {
  // Enabled: a link to the unit in a .wants/ or .requires/ folder.
  const enabled = new Set<string>();
  for (const folder of scope.enabling) {
    for (const name of reader.list(folder)) {
      if (!/\.(wants|requires)$/.test(name)) continue;
      for (const unit of reader.list(`${folder}/${name}`)) enabled.add(unit);
    }
  }
  const seen = new Set<string>();
  for (const folder of scope.folders) {
    for (const name of reader.list(folder)) {
      if (!/\.(service|timer|socket|path)$/.test(name) || seen.has(name)) continue;
      seen.add(name);
      const path = `${folder}/${name}`;
      // A unit linked to /dev/null is masked: it cannot start.
      if (reader.link(path) === "/dev/null") continue;
      const read = reader.text(path);
      if (read === undefined) continue;
      for (const line of read.text.split(/\r?\n/)) {
        const match = /^\s*([A-Za-z]+)\s*=\s*(.*)$/.exec(line);
        if (!match || !execKeys.includes(match[1]!) || match[2]!.trim() === "") continue;
        // `%h` (the user's home) is the one specifier an image path commonly starts with.
        const image = posixCommandImage(
          scope.home === undefined
            ? match[2]!
            : match[2]!.replace(/^([-@:+!]*)%h\//, `$1${scope.home}/`),
        );
        reader.add({
          category: "systemd-unit",
          location: path,
          entryName: `${name} ${match[1]}`,
          command: match[2]!.trim(),
          ...(image.imagePath === undefined ? {} : { imagePath: image.imagePath }),
          arguments: image.arguments,
          enabled: enabled.has(name),
          source: reader.osPath(path),
          ...(read.time === undefined ? {} : { time: read.time }),
          ...(scope.username === undefined ? {} : { username: scope.username }),
        });
      }
    }
  }
}

function readPreload(reader: RootReader): void {
  const path = "/etc/ld.so.preload";
  const read = reader.text(path);
  if (read === undefined) return;
  for (const line of read.text.split(/\r?\n/)) {
    const text = line.replace(/#.*/, "").trim();
    for (const library of text.split(/[\s:]+/).filter((part) => part !== "")) {
      reader.add({
        category: "ld-preload",
        location: path,
        entryName: library,
        command: library,
        imagePath: library,
        arguments: "",
        source: reader.osPath(path),
        ...(read.time === undefined ? {} : { time: read.time }),
      });
    }
  }
}

function readDesktop(reader: RootReader, path: string, username?: string): void {
  const read = reader.text(path);
  if (read === undefined) return;
  const values = new Map<string, string>();
  let section = "";
  for (const line of read.text.split(/\r?\n/)) {
    const header = /^\s*\[(.*)\]\s*$/.exec(line);
    if (header) section = header[1]!;
    const match = /^\s*([A-Za-z0-9-]+)\s*=\s*(.*)$/.exec(line);
    if (match && section === "Desktop Entry" && !values.has(match[1]!)) {
      values.set(match[1]!, match[2]!);
    }
  }
  const command = values.get("Exec");
  if (command === undefined) return;
  const image = posixCommandImage(command);
  const disabled = values.get("Hidden") === "true" ||
    values.get("X-GNOME-Autostart-enabled") === "false";
  reader.add({
    category: "xdg-autostart",
    location: path,
    entryName: path.split("/").pop()!,
    command,
    ...(image.imagePath === undefined ? {} : { imagePath: image.imagePath }),
    arguments: image.arguments,
    enabled: !disabled,
    source: reader.osPath(path),
    ...(read.time === undefined ? {} : { time: read.time }),
    ...(username === undefined ? {} : { username }),
  });
}

/** One authorized key per entry; a `command="…"` option is what the key runs. */
function readKeys(reader: RootReader, path: string, username: string): void {
  const read = reader.text(path);
  if (read === undefined) return;
  for (const line of read.text.split(/\r?\n/)) {
    const text = line.trim();
    if (text === "" || text.startsWith("#")) continue;
    const key = keyTypes.exec(text);
    const options = key ? text.slice(0, key.index).trim() : "";
    const forced = /(?:^|,)command="((?:[^"\\]|\\.)*)"/.exec(options)?.[1]?.replace(/\\"/g, '"');
    const image = forced === undefined ? undefined : posixCommandImage(forced);
    reader.add({
      category: "authorized-keys",
      location: path,
      entryName: key ? (key[2]?.trim() || `${key[1]!.slice(0, 40)}…`) : text.slice(0, 60),
      command: text,
      ...(image?.imagePath === undefined ? {} : { imagePath: image.imagePath }),
      arguments: image?.arguments ?? options,
      username,
      source: reader.osPath(path),
      ...(read.time === undefined ? {} : { time: read.time }),
    });
  }
}

/** Homes from the system's /etc/passwd (and /root), each with its user. */
function homesOf(reader: RootReader): { user: string; path: string }[] {
  const homes = new Map<string, string>();
  const passwd = reader.text("/etc/passwd");
  for (const line of passwd?.text.split(/\r?\n/) ?? []) {
    const parts = line.split(":");
    if (parts.length < 7) continue;
    const home = parts[5]!;
    if (!home.startsWith("/") || home === "/" || homes.has(home)) continue;
    if (reader.exists(home)) homes.set(home, parts[0]!);
  }
  if (!homes.has("/root") && reader.exists("/root")) homes.set("/root", "root");
  return [...homes].map(([path, user]) => ({ user, path }));
}
