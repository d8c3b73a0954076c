/**
 * Scan scopes: the `important-areas` and `all-drives` presets per operating
 * system, and the merging of presets with `--scope` folders.
 *
 * @module
 */
import { type FilePlatform, joinPath } from "./platform.ts";

/** One folder (or file) to scan. */
export interface ScanScope {
  path: string;
  /**
   * How many folder levels below `path` to walk: 0 scans only the files
   * directly in `path`. Absent means no limit.
   */
  depth?: number;
}

/** The named presets. */
export type FilePreset = "important-areas" | "all-drives";

/** The preset names, for option validation and help. */
export const filePresets: readonly FilePreset[] = ["important-areas", "all-drives"];

/**
 * Folders never entered while walking down from a parent, on every Linux scan:
 * pseudo file systems whose "files" are kernel state (reading some blocks or
 * has side effects). Naming one as a scope still scans it.
 */
export const linuxPseudoFileSystems: readonly string[] = ["/proc", "/sys", "/dev", "/run"];

// Profile folders that are not a user's.
const windowsNonUserProfiles = new Set(["public", "default", "default user", "all users"]);

/**
 * Expands a preset into scopes for `platform`. Folders that do not exist on
 * this machine are left out (a preset is a wish list, not a demand).
 *
 * @example
 * ```ts ignore
 * import { expandPreset } from "./scan_scopes.ts";
 * import { denoPlatform } from "./platform.ts";
 * const scopes = await expandPreset("important-areas", denoPlatform());
 * // Linux: [{ path: "/tmp" }, { path: "/var/tmp" }, { path: "/dev/shm" }, …]
 * ```
 */
export async function expandPreset(
  preset: FilePreset,
  platform: FilePlatform,
): Promise<ScanScope[]> {
  const candidates = preset === "all-drives"
    ? await allDrives(platform)
    : platform.os === "windows"
    ? await windowsImportantAreas(platform)
    : await unixImportantAreas(platform);
  const present: ScanScope[] = [];
  for (const path of candidates) {
    if (await platform.exists(path)) present.push({ path });
  }
  return present;
}

async function allDrives(platform: FilePlatform): Promise<string[]> {
  if (platform.os === "windows") return await platform.fixedDrives();
  return ["/"];
}

async function windowsImportantAreas(platform: FilePlatform): Promise<string[]> {
  const os = platform.os;
  const systemDrive = trimSeparator(platform.env("SystemDrive") ?? "C:");
  const publicFolder = trimSeparator(platform.env("PUBLIC") ?? `${systemDrive}\\Users\\Public`);
  const usersRoot = publicFolder.slice(0, Math.max(0, publicFolder.lastIndexOf("\\"))) ||
    `${systemDrive}\\Users`;
  const paths: string[] = [];
  for (const profile of await platform.listFolders(usersRoot)) {
    if (windowsNonUserProfiles.has(profile.toLowerCase())) continue;
    const home = joinPath(os, usersRoot, profile);
    paths.push(
      joinPath(os, home, "Downloads"),
      joinPath(os, home, "Desktop"),
      joinPath(os, home, "AppData\\Roaming"),
      joinPath(os, home, "AppData\\Local\\Temp"),
      joinPath(os, home, "AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup"),
    );
  }
  const systemRoot = trimSeparator(platform.env("SystemRoot") ?? `${systemDrive}\\Windows`);
  paths.push(
    `${systemRoot}\\Temp`,
    trimSeparator(platform.env("ProgramData") ?? `${systemDrive}\\ProgramData`),
    publicFolder,
  );
  return paths;
}

async function unixImportantAreas(platform: FilePlatform): Promise<string[]> {
  const os = platform.os;
  const homes = ["/root", ...(await platform.listFolders("/home")).map((name) => `/home/${name}`)];
  const paths = ["/tmp", "/var/tmp", "/dev/shm"];
  for (const home of homes) {
    paths.push(
      joinPath(os, home, "Downloads"),
      joinPath(os, home, "Desktop"),
      joinPath(os, home, ".config/autostart"),
      joinPath(os, home, ".config/systemd/user"),
    );
  }
  const cronFolders = (await platform.listFolders("/etc")).filter((name) =>
    name.startsWith("cron")
  );
  paths.push(
    ...cronFolders.map((name) => `/etc/${name}`),
    "/etc/crontab",
    "/var/spool/cron",
    "/etc/systemd/system",
    "/usr/lib/systemd/system",
  );
  return paths;
}

function trimSeparator(path: string): string {
  return path.length > 3 && /[\\/]$/.test(path) ? path.slice(0, -1) : path;
}

/**
 * Drops duplicate scopes and scopes inside another scope that has no depth
 * limit, so that no file is reported twice. Comparison ignores case on
 * Windows.
 */
export function mergeScopes(scopes: readonly ScanScope[], os: string): ScanScope[] {
  const fold = (path: string) => {
    const normalised = path.replaceAll("\\", "/");
    const trimmed =
      normalised.length > 1 && normalised.endsWith("/") && !/^[A-Za-z]:\/$/.test(normalised)
        ? normalised.slice(0, -1)
        : normalised;
    return os === "windows" ? trimmed.toLowerCase() : trimmed;
  };
  const byPath = new Map<string, ScanScope>();
  for (const scope of scopes) {
    const key = fold(scope.path);
    const seen = byPath.get(key);
    if (seen === undefined || deeper(scope, seen)) byPath.set(key, scope);
  }
  const unlimited = [...byPath.entries()].filter(([, scope]) => scope.depth === undefined);
  const merged: ScanScope[] = [];
  for (const [key, scope] of byPath) {
    const covered = unlimited.some(([outer]) =>
      outer !== key && key.startsWith(outer.endsWith("/") ? outer : `${outer}/`)
    );
    if (!covered) merged.push(scope);
  }
  return merged;
}

function deeper(a: ScanScope, b: ScanScope): boolean {
  if (a.depth === undefined) return b.depth !== undefined;
  return b.depth !== undefined && a.depth > b.depth;
}
