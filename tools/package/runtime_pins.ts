/**
 * The Deno runtime each release package ships: Deno's official builds as published on npm,
 * pinned to the project's Deno version and to the integrity hash npm published for them. A
 * tarball whose SHA-512 differs is refused, whatever the registry says today.
 *
 * To move to another Deno version: `npm view @deno/<package>@<version> dist.integrity` for each
 * row, and check the new hashes in with the version.
 *
 * @module
 */

/** The Deno version the project is built and tested with (README, .ci/run). */
export const DENO_VERSION = "2.9.6";

/** How a package is archived. */
export type ArchiveKind = "zip" | "tar.gz";

/** One release platform and the Deno build it ships. */
export type RuntimePin = {
  /** The platform's name in the package file name: `win-x64`, `linux-x64`. */
  platform: string;
  /** The npm package of Deno's build for it. */
  npmPackage: string;
  /** npm's `dist.integrity` of that package at DENO_VERSION (SRI, sha512). */
  integrity: string;
  /** The executable's name inside the npm package, and in the module's bin folder. */
  binary: string;
  /** The archive format administrators of that platform expect. */
  archive: ArchiveKind;
  /** The package file's name before `-<version>-<platform>`: `IocScan`, `iocscan`. */
  packageName: string;
  /** Whether the archive holds one top folder (`<name>-<version>-<platform>/`), as tarballs do. */
  topFolder: boolean;
  /** The launcher the module folder gets. */
  launcher: LauncherKind;
  /** Scripts from the checkout, and where each goes in the package (relative to its root). */
  installers: readonly { from: string; to: string }[];
};

/** A launcher's flavour: a POSIX shell script or a Windows batch file. */
export type LauncherKind = "sh" | "cmd";

/** The platforms `deno task package` builds, as data. */
export const RUNTIME_PINS: readonly RuntimePin[] = [
  {
    platform: "win-x64",
    npmPackage: "@deno/win32-x64",
    integrity:
      "sha512-qRGnmVz/Ea6UWPht/S3xFRK17UZ/ls38DSVfgGB17fpASLxPkksqzWUI/BzL9YYoOknYzfc94mySGyInZu/JXw==",
    binary: "deno.exe",
    archive: "zip",
    packageName: "IocScan",
    topFolder: false,
    launcher: "cmd",
    installers: [
      { from: "deploy/install/Install-IocScan.ps1", to: "Install-IocScan.ps1" },
      {
        from: "deploy/gpo/Install-IocScanFromShare.ps1",
        to: "deploy/gpo/Install-IocScanFromShare.ps1",
      },
      {
        from: "deploy/intune/Detect-IocScanModule.ps1",
        to: "deploy/intune/Detect-IocScanModule.ps1",
      },
      { from: "deploy/intune/Detect-IocScanRun.ps1", to: "deploy/intune/Detect-IocScanRun.ps1" },
      {
        from: "deploy/intune/Remediate-IocScanRun.ps1",
        to: "deploy/intune/Remediate-IocScanRun.ps1",
      },
    ],
  },
  {
    platform: "linux-x64",
    npmPackage: "@deno/linux-x64-glibc",
    integrity:
      "sha512-3md4TKLCuzsLDmfOoC5KN7NAZaxSVkMgm64vg6foD00JBADCpYS2/5QqXfzgnP5ZQz3iLP9vBQJtEgc116OAoQ==",
    binary: "deno",
    archive: "tar.gz",
    packageName: "iocscan",
    topFolder: true,
    launcher: "sh",
    installers: [{ from: "deploy/install/install.sh", to: "install.sh" }],
  },
];
