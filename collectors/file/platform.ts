/**
 * What the file collector needs to know about the machine it runs on, behind
 * an interface so that tests can expand the Windows presets on Linux against a
 * fake profile list.
 *
 * @module
 */

/** The operating-system facts that preset expansion and path handling need. */
export interface FilePlatform {
  /** `Deno.build.os` or a fake: `windows`, `linux`, `darwin`… */
  readonly os: string;
  /** An environment variable, or `undefined`. */
  env(name: string): string | undefined;
  /** The names of the sub-folders of `path`; empty when it cannot be listed. */
  listFolders(path: string): Promise<string[]>;
  /** Whether `path` exists (following links). */
  exists(path: string): Promise<boolean>;
  /** Windows: the roots of the fixed drives, e.g. `C:\`. Elsewhere: `[]`. */
  fixedDrives(): Promise<string[]>;
}

/** The path separator of a platform. */
export function separatorOf(os: string): "\\" | "/" {
  return os === "windows" ? "\\" : "/";
}

/**
 * Joins a folder and a name with the platform's separator, without doubling a
 * separator at the end of the folder (`/` or `C:\`).
 */
export function joinPath(os: string, folder: string, name: string): string {
  const separator = separatorOf(os);
  const last = folder.at(-1);
  if (last === separator || last === "/") return folder + name;
  return folder + separator + name;
}

/** The platform this process runs on. */
export function denoPlatform(): FilePlatform {
  return {
    os: Deno.build.os,
    env(name) {
      try {
        return Deno.env.get(name);
      } catch {
        return undefined;
      }
    },
    async listFolders(path) {
      const names: string[] = [];
      try {
        for await (const entry of Deno.readDir(path)) {
          if (entry.isDirectory) names.push(entry.name);
        }
      } catch {
        return [];
      }
      return names.sort();
    },
    async exists(path) {
      try {
        await Deno.stat(path);
        return true;
      } catch {
        return false;
      }
    },
    fixedDrives: windowsFixedDrives,
  };
}

// GetDriveTypeW's answer for a fixed (non-removable, non-network) drive.
const driveFixed = 3;

/**
 * Lists fixed drives through kernel32 (GetLogicalDrives, GetDriveTypeW). When
 * FFI is not permitted, falls back to every drive letter that answers a stat,
 * which may include removable and network drives.
 */
async function windowsFixedDrives(): Promise<string[]> {
  if (Deno.build.os !== "windows") return [];
  const letters = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZ"];
  try {
    const kernel32 = Deno.dlopen("kernel32.dll", {
      GetLogicalDrives: { parameters: [], result: "u32" },
      GetDriveTypeW: { parameters: ["buffer"], result: "u32" },
    });
    try {
      const mask = kernel32.symbols.GetLogicalDrives();
      const roots: string[] = [];
      letters.forEach((letter, bit) => {
        if ((mask & (1 << bit)) === 0) return;
        const root = `${letter}:\\`;
        const wide = new Uint16Array([...root].map((c) => c.charCodeAt(0)).concat(0));
        if (kernel32.symbols.GetDriveTypeW(wide) === driveFixed) roots.push(root);
      });
      return roots;
    } finally {
      kernel32.close();
    }
  } catch {
    const roots: string[] = [];
    for (const letter of letters.slice(2)) {
      try {
        await Deno.stat(`${letter}:\\`);
        roots.push(`${letter}:\\`);
      } catch {
        // Not a drive, or not ready (an empty card reader).
      }
    }
    return roots;
  }
}
