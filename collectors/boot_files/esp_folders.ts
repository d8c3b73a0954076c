/**
 * Where the EFI system partition's boot files are, on the live host (docs/critical-scan.md): the
 * `EFI` folder of the ESP where it is mounted. Linux mounts it at `/boot/efi` or `/efi` (systemd's
 * two places); a host that does not mount it (or boots by BIOS) has none. On Windows the ESP has
 * no drive letter: its `\EFI\` folder is reached through the partition's volume path
 * (`\\?\Volume{GUID}\EFI`), which an {@linkcode EspVolumeLocator} finds.
 *
 * @module
 */

/** The folders of a mounted ESP that hold boot files, on Linux, in the order they are tried. */
export const linuxEspFolders: readonly string[] = ["/boot/efi/EFI", "/efi/EFI"];

/** The ESP's GPT partition type (`C12A7328-F81F-11D2-BA4B-00A0C93EC93B`). */
export const ESP_PARTITION_TYPE = "c12a7328-f81f-11d2-ba4b-00a0c93ec93b";

/**
 * Finds the volume paths (`\\?\Volume{GUID}\`) of the partitions whose GPT type is the ESP's
 * (Windows; `Get-Partition`'s `GptType` and `AccessPaths`).
 */
export interface EspVolumeLocator {
  espVolumes(): Promise<string[]>;
}

/** The ESP's boot folders found, and why none was, when none was. */
export interface EspFolders {
  readonly folders: string[];
  /** Why there is none (no ESP mounted, none found). */
  readonly none?: string;
}

/** Whether a path is a folder (false when it is missing or unreadable). */
export type IsFolder = (path: string) => Promise<boolean>;

/** `Deno.stat` as an {@linkcode IsFolder}. */
export const isFolder: IsFolder = async (path) => {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
};

/**
 * The ESP's boot folders on a Linux host: those of {@linkcode linuxEspFolders} that are folders.
 *
 * @param candidates The folders to try (tests give a temporary tree).
 */
export async function linuxEspBootFolders(
  candidates: readonly string[] = linuxEspFolders,
  exists: IsFolder = isFolder,
): Promise<EspFolders> {
  const folders: string[] = [];
  for (const candidate of candidates) if (await exists(candidate)) folders.push(candidate);
  return folders.length > 0 ? { folders } : {
    folders,
    none: `no EFI system partition is mounted at ${
      candidates.map((path) => path.replace(/\/EFI$/, "")).join(" or ")
    } (a BIOS host, or one that does not mount it)`,
  };
}

/** The ESP's boot folders on a Windows host: `<volume>\EFI` of each ESP the locator finds. */
export async function windowsEspBootFolders(
  locator: EspVolumeLocator,
  exists: IsFolder = isFolder,
): Promise<EspFolders> {
  const folders: string[] = [];
  for (const volume of await locator.espVolumes()) {
    const folder = `${volume.replace(/\\+$/, "")}\\EFI`;
    if (await exists(folder)) folders.push(folder);
  }
  return folders.length > 0
    ? { folders }
    : { folders, none: "no EFI system partition with an EFI folder was found" };
}
