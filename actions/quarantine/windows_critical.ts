/**
 * `criticalReason` on Windows: the files Kaspersky's "system critical
 * objects" rule keeps out of quarantine unless forced. A file is critical
 * when
 * - it is under `%SystemRoot%` and owned by `NT SERVICE\TrustedInstaller`
 *   (the owner read as SDDL; unreadable there counts as critical);
 * - it is the image of a boot-start or system-start driver (`Start` 0 or 1
 *   of a `Services` key, listed through the Service Control Manager by
 *   collectors/service; a `.sys` file counts as critical while that list
 *   cannot be read);
 * - it is a boot file (`ntoskrnl.exe`, `hal.dll`, `winload.*`, `bootmgr`)
 *   under `%SystemRoot%`, at a volume's root or below a `Boot` or `EFI`
 *   folder (the same name elsewhere is any other file: a payload named
 *   `hal.dll` in a temp folder is not protected by its name).
 *
 * @module
 */
import type { Environment } from "../../collectors/registry/mod.ts";
import { type ScmApi, scmEntries, startModes } from "../../collectors/service/mod.ts";
import { securityInformation, wellKnownSid } from "../../windows/layouts/mod.ts";
import {
  isUnderWindowsFolder,
  parseSddl,
  plainWindowsPath,
  sameWindowsPath,
  win32ApiPath,
} from "../../windows/mod.ts";
import type { Win32Result, WindowsQuarantineApi } from "./windows_api.ts";

/** The Windows folder when the environment names none (as collectors/service assumes). */
const defaultSystemRoot = "C:\\Windows";

/** Boot files by name, and what each is. */
const bootFiles: readonly { readonly name: RegExp; readonly what: string }[] = [
  { name: /^ntoskrnl\.exe$/i, what: "the kernel" },
  { name: /^hal\.dll$/i, what: "the hardware abstraction layer" },
  { name: /^winload\.[^.\\]+$/i, what: "the OS loader" },
  { name: /^bootmgr$/i, what: "the boot manager" },
];

/** Folders below which a boot file's name counts (besides `%SystemRoot%` and a volume's root). */
const bootFolders: ReadonlySet<string> = new Set(["BOOT", "EFI"]);

/** The start modes of the drivers that load before or with the kernel. */
const earlyStartModes: ReadonlySet<string> = new Set([startModes.get(0)!, startModes.get(1)!]);

/** The Windows folder of `env`. */
export function systemRootOf(env: Environment): string {
  return env.get("SYSTEMROOT") ?? env.get("WINDIR") ?? defaultSystemRoot;
}

/** The image paths of the boot- and system-start drivers, or why they could not be listed. */
export function earlyDriverImages(
  scm: ScmApi,
  env: Environment,
): { readonly images: readonly { name: string; path: string }[] } | { readonly error: string } {
  const listed = scmEntries(scm, "driver", env);
  if ("error" in listed) return listed;
  const images = listed.entries.filter((entry) =>
    entry.mode !== undefined && earlyStartModes.has(entry.mode) && entry.path !== undefined &&
    entry.path !== ""
  ).map((entry) => ({ name: entry.name, path: entry.path! }));
  return { images };
}

function bootFileReason(path: string, systemRoot: string): string | undefined {
  const plain = plainWindowsPath(path);
  const parts = plain.split("\\");
  const name = parts.at(-1) ?? "";
  const file = bootFiles.find((candidate) => candidate.name.test(name));
  if (file === undefined) return undefined;
  const atRoot = /^[A-Za-z]:$/.test(parts[0] ?? "") && parts.length === 2;
  const inBootFolder = parts.slice(1, -1).some((part) => bootFolders.has(part.toUpperCase()));
  if (!atRoot && !inBootFolder && !isUnderWindowsFolder(plain, systemRoot)) return undefined;
  return `${name} is ${file.what}`;
}

/** The owner's SID of the file, from its security descriptor as SDDL. */
function ownerOf(api: WindowsQuarantineApi, path: string): Win32Result<string | undefined> {
  const opened = api.openForMetadata(win32ApiPath(path), false);
  if (!opened.ok) return opened;
  try {
    const read = opened.value.securityDescriptor(securityInformation.OWNER);
    if (!read.ok) return read;
    const parsed = parseSddl(read.value);
    return { ok: true, value: parsed.ok ? parsed.value.owner : undefined };
  } finally {
    opened.value.close();
  }
}

/** The critical-file rule of one platform: the driver list read once, when first needed. */
export class WindowsCriticalFiles {
  readonly #api: () => WindowsQuarantineApi;
  readonly #scm: (() => ScmApi) | null;
  readonly #env: Environment;
  #drivers: { readonly images: readonly { name: string; path: string }[] } | {
    readonly error: string;
  } | undefined;

  /** `api` opens the Windows API (it may throw); `scm` the Service Control Manager, null for none. */
  constructor(api: () => WindowsQuarantineApi, scm: (() => ScmApi) | null, env: Environment) {
    this.#api = api;
    this.#scm = scm;
    this.#env = env;
  }

  #earlyDrivers() {
    if (this.#drivers !== undefined) return this.#drivers;
    if (this.#scm === null) {
      this.#drivers = { error: "no Service Control Manager was given" };
      return this.#drivers;
    }
    try {
      const scm = this.#scm();
      try {
        this.#drivers = earlyDriverImages(scm, this.#env);
      } finally {
        scm.close();
      }
    } catch (error) {
      this.#drivers = { error: error instanceof Error ? error.message : String(error) };
    }
    return this.#drivers;
  }

  /** Why the file at `path` is system-critical, or undefined. */
  reason(path: string): string | undefined {
    const systemRoot = systemRootOf(this.#env);
    const boot = bootFileReason(path, systemRoot);
    if (boot !== undefined) return `a boot file: ${boot}`;
    const drivers = this.#earlyDrivers();
    if ("error" in drivers) {
      if (/\.sys$/i.test(path)) {
        return `a driver, and the boot and system-start drivers could not be listed (${drivers.error})`;
      }
    } else {
      const driver = drivers.images.find((image) => sameWindowsPath(image.path, path));
      if (driver !== undefined) {
        return `the image of ${driver.name}, a boot or system-start driver`;
      }
    }
    if (!isUnderWindowsFolder(path, systemRoot)) return undefined;
    let owner: Win32Result<string | undefined>;
    try {
      owner = ownerOf(this.#api(), path);
    } catch (error) {
      owner = {
        ok: false,
        code: -1,
        error: error instanceof Error ? error.message : String(error),
      };
    }
    if (!owner.ok) {
      return `under %SystemRoot% (${systemRoot}) and its owner could not be read (${owner.error})`;
    }
    if (owner.value?.toUpperCase() === wellKnownSid.trustedInstaller) {
      return `under %SystemRoot% (${systemRoot}) and owned by NT SERVICE\\TrustedInstaller`;
    }
    return undefined;
  }
}
