/**
 * What a release package holds, and where: the PowerShell module (its tracked files), with the
 * pinned Deno, the engine bundle and the launcher in it, the LICENSE at the root and in the
 * module, the installers at the root, and SHA256SUMS over everything else.
 *
 * ```
 * [<name>-<version>-<platform>/]       (tarballs only)
 *   IocScan/IocScan.psd1 ...           the module
 *   IocScan/bin/deno[.exe]             Deno, from npm, integrity-checked
 *   IocScan/bin/iocscan.js             the engine bundle (deno bundle)
 *   IocScan/iocscan[.cmd]              the launcher
 *   IocScan/LICENSE
 *   LICENSE
 *   Install-IocScan.ps1 | install.sh   the installer
 *   deploy/gpo/, deploy/intune/        (Windows) the GPO and Intune scripts
 *   SHA256SUMS
 * ```
 *
 * @module
 */
import { type ArchiveEntry, EXECUTABLE_MODE, FILE_MODE } from "./archive_entry.ts";
import { cmdLauncher, shellLauncher } from "./launcher.ts";
import type { LauncherKind, RuntimePin } from "./runtime_pins.ts";
import { sha256Sums, SHA256SUMS_NAME } from "./sha256sums.ts";

/** The module's folder in a package, and its name on the PowerShell module path. */
export const MODULE_FOLDER = "IocScan";
/** The module's bin folder, which Find-IocDeno looks in first. */
export const MODULE_BIN = `${MODULE_FOLDER}/bin`;
/** The bundle's name in the module's bin folder (Resolve-IocEngine looks for it). */
export const BUNDLE_NAME = "iocscan.js";
/** The licence file's name. */
export const LICENSE_NAME = "LICENSE";

const LAUNCHERS: Record<LauncherKind, { name: string; text: typeof shellLauncher; mode: number }> =
  {
    sh: { name: "iocscan", text: shellLauncher, mode: EXECUTABLE_MODE },
    cmd: { name: "iocscan.cmd", text: cmdLauncher, mode: FILE_MODE },
  };

/** What goes into one package. */
export type PackageInputs = {
  version: string;
  pin: RuntimePin;
  /** The module's files, paths relative to the module folder. */
  moduleFiles: readonly ArchiveEntry[];
  runtime: Uint8Array;
  bundle: Uint8Array;
  license: Uint8Array;
  /** The launcher's deno flags (engineFlags). */
  flags: readonly string[];
  /** The installers and deployment scripts, paths relative to the package root. */
  installers: readonly ArchiveEntry[];
};

/** The package's file name: `IocScan-0.1.0-win-x64.zip`, `iocscan-0.1.0-linux-x64.tar.gz`. */
export function packageFileName(pin: RuntimePin, version: string): string {
  return `${packageStem(pin, version)}.${pin.archive}`;
}

function packageStem(pin: RuntimePin, version: string): string {
  return `${pin.packageName}-${version}-${pin.platform}`;
}

/** The launcher's path in a package, relative to the package root. */
export function launcherPath(pin: RuntimePin): string {
  return `${MODULE_FOLDER}/${LAUNCHERS[pin.launcher].name}`;
}

/** The archive's entries: the package's files, then SHA256SUMS, under the top folder if any. */
export async function packageEntries(inputs: PackageInputs): Promise<ArchiveEntry[]> {
  const { pin, version } = inputs;
  const launcher = LAUNCHERS[pin.launcher];
  const encoder = new TextEncoder();
  const files: ArchiveEntry[] = [
    ...inputs.moduleFiles.map((file) => ({ ...file, path: `${MODULE_FOLDER}/${file.path}` })),
    { path: `${MODULE_BIN}/${pin.binary}`, data: inputs.runtime, mode: EXECUTABLE_MODE },
    { path: `${MODULE_BIN}/${BUNDLE_NAME}`, data: inputs.bundle, mode: FILE_MODE },
    {
      path: launcherPath(pin),
      data: encoder.encode(launcher.text(inputs.flags, version)),
      mode: launcher.mode,
    },
    { path: `${MODULE_FOLDER}/${LICENSE_NAME}`, data: inputs.license, mode: FILE_MODE },
    { path: LICENSE_NAME, data: inputs.license, mode: FILE_MODE },
    ...inputs.installers,
  ];
  const paths = new Set<string>();
  for (const file of files) {
    if (paths.has(file.path)) throw new Error(`two files at ${file.path} in the package`);
    paths.add(file.path);
  }
  const sums = encoder.encode(await sha256Sums(files));
  const all = [...files, { path: SHA256SUMS_NAME, data: sums, mode: FILE_MODE }];
  if (!pin.topFolder) return all;
  const top = packageStem(pin, version);
  return all.map((file) => ({ ...file, path: `${top}/${file.path}` }));
}
