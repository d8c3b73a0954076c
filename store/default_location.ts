/**
 * Where the results database lives when `--db` is not given.
 *
 * @module
 */
import { homedir } from "node:os";
import { dirname, join, win32 } from "node:path";
import {
  createStoreFolder,
  restrictStoreFolder,
  type StorePermissionContext,
} from "./store_permissions.ts";

/** The facts the location depends on; tests pass their own. */
export interface LocationContext {
  /** `Deno.build.os` by default. */
  os?: typeof Deno.build.os;
  /** Reads an environment variable; `Deno.env.get` by default. */
  env?: (name: string) => string | undefined;
  /** Whether the process runs as root (POSIX); `Deno.uid() === 0` by default. */
  isRoot?: boolean;
  /** The home folder; `os.homedir()` by default. */
  home?: string;
  /** Create the folder, for its owner only (default true). */
  create?: boolean;
  /** Folder creation and protection facts, for tests. */
  permissions?: StorePermissionContext;
}

/**
 * The default database path, with its folder created for its owner only
 * (0700; on Windows SYSTEM and Administrators only) and, when this process
 * owns it, narrowed to that if an older version made it readable by others:
 * - Windows: `%ProgramData%\IocScan\iocscan.db` (machine-wide, like the agent
 *   it stands in for);
 * - Linux and other POSIX systems, as root: `/var/lib/iocscan/iocscan.db`;
 * - otherwise `$XDG_DATA_HOME/iocscan/iocscan.db`, which is
 *   `~/.local/share/iocscan/iocscan.db` when XDG_DATA_HOME is unset.
 *
 * @param context Overrides of the OS facts, for tests.
 * @returns The database file path.
 * @throws Error when the folder cannot be created (e.g. no permission).
 *
 * @example A regular Linux user
 * ```ts
 * import { defaultStoreLocation } from "./default_location.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(
 *   defaultStoreLocation({ os: "linux", isRoot: false, home: "/home/ann", env: () => undefined, create: false }),
 *   "/home/ann/.local/share/iocscan/iocscan.db",
 * );
 * ```
 */
export function defaultStoreLocation(context: LocationContext = {}): string {
  const os = context.os ?? Deno.build.os;
  const env = context.env ?? ((name: string) => Deno.env.get(name));
  let path: string;
  if (os === "windows") {
    const programData = env("ProgramData") ?? env("PROGRAMDATA") ?? "C:\\ProgramData";
    path = win32.join(programData, "IocScan", "iocscan.db");
  } else if (context.isRoot ?? Deno.uid() === 0) {
    path = "/var/lib/iocscan/iocscan.db";
  } else {
    const xdgDataHome = env("XDG_DATA_HOME");
    // The XDG spec says to ignore a relative XDG_DATA_HOME.
    const dataHome = xdgDataHome?.startsWith("/")
      ? xdgDataHome
      : join(context.home ?? homedir(), ".local", "share");
    path = join(dataHome, "iocscan", "iocscan.db");
  }
  if (context.create ?? true) {
    const folder = os === "windows" ? win32.dirname(path) : dirname(path);
    const permissions = { os, ...context.permissions };
    createStoreFolder(folder, permissions);
    restrictStoreFolder(folder, permissions);
  }
  return path;
}
