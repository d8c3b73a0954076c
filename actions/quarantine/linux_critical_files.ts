/**
 * Linux's system-critical files (refused unless forced): files an installed Debian package owns
 * under `/usr`, `/bin`, `/sbin`, `/lib*` or `/boot` (from `/var/lib/dpkg/info/*.list`, read once,
 * bounded), and kernel modules. RPM hosts' package database is not read (docs/quarantine.md).
 *
 * @module
 */
import { basename, dirname, join } from "node:path";

/** Where dpkg lists each package's files. */
export const DPKG_INFO_DIR = "/var/lib/dpkg/info";
/** The folders whose package-owned files are critical. */
export const CRITICAL_PREFIXES = [
  "/usr/",
  "/bin/",
  "/sbin/",
  "/lib/",
  "/lib32/",
  "/lib64/",
  "/libx32/",
  "/boot/",
] as const;
/** The largest `.list` file read (a package lists far fewer bytes of names). */
const MAX_LIST_BYTES = 16 * 1024 * 1024;
/** Folders `/usr` merged (`/bin` → `/usr/bin`): a listed `/bin/ls` is `/usr/bin/ls` too. */
const MERGED_FOLDERS = ["bin", "sbin", "lib", "lib32", "lib64", "libx32"] as const;
const KERNEL_MODULE = /^\/(?:usr\/)?lib\/modules\/.+\.ko(?:\.(?:xz|zst|gz))?$/;

function isCritical(path: string): boolean {
  return CRITICAL_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/** The names a path may be listed under (the `/usr`-merged twin). */
function listedNames(path: string): string[] {
  const names = [path];
  for (const folder of MERGED_FOLDERS) {
    if (path.startsWith(`/${folder}/`)) names.push(`/usr${path}`);
    if (path.startsWith(`/usr/${folder}/`)) names.push(path.slice("/usr".length));
  }
  return names;
}

/** Which package owns which critical path, read from dpkg's lists. */
export class DpkgOwners {
  private owners: Map<string, string> | undefined;

  constructor(private readonly infoDir: string = DPKG_INFO_DIR) {}

  /** The package owning `path` (or its `/usr`-merged twin, or its real folder's name), if any. */
  async owner(path: string): Promise<string | undefined> {
    const owners = await this.load();
    const candidates = listedNames(path);
    try {
      candidates.push(...listedNames(join(await Deno.realPath(dirname(path)), basename(path))));
    } catch {
      // The listed names stand.
    }
    for (const candidate of candidates) {
      const owner = owners.get(candidate);
      if (owner !== undefined) return owner;
    }
    return undefined;
  }

  private async load(): Promise<Map<string, string>> {
    if (this.owners !== undefined) return this.owners;
    const owners = new Map<string, string>();
    let entries: Deno.DirEntry[] = [];
    try {
      entries = await Array.fromAsync(Deno.readDir(this.infoDir));
    } catch {
      // No dpkg: nothing is known to be package-owned.
    }
    for (const entry of entries) {
      if (!entry.isFile || !entry.name.endsWith(".list")) continue;
      const file = join(this.infoDir, entry.name);
      const info = await Deno.stat(file).catch(() => undefined);
      if (info === undefined || info.size > MAX_LIST_BYTES) continue;
      const text = await Deno.readTextFile(file).catch(() => "");
      const pkg = entry.name.slice(0, -".list".length);
      for (const line of text.split("\n")) {
        if (isCritical(line) && !owners.has(line)) owners.set(line, pkg);
      }
    }
    this.owners = owners;
    return owners;
  }
}

/** Why `path` is critical on Linux, or undefined. */
export async function linuxCriticalReason(
  path: string,
  owners: DpkgOwners,
): Promise<string | undefined> {
  if (KERNEL_MODULE.test(path)) return `${path} is a kernel module`;
  if (!listedNames(path).some(isCritical)) {
    const real = await Deno.realPath(dirname(path)).catch(() => undefined);
    if (real === undefined || !isCritical(join(real, "/"))) return undefined;
  }
  const pkg = await owners.owner(path);
  return pkg === undefined ? undefined : `${path} belongs to the installed package ${pkg}`;
}
