/**
 * The Windows disk list from the physical drives, behind an interface so its
 * logic is tested on recorded answers: `\\.\PhysicalDrive0`, 1, … opened in
 * turn until several numbers in a row do not exist, each asked for its
 * geometry (sector size, media type, size) and its layout (the partitions as
 * Windows sees them), removable media left out, and read in whole sectors.
 * The FFI binding is in `windows_source.ts`.
 *
 * @module
 */
import {
  decodeDiskGeometry,
  decodeDriveLayout,
  diskGeometryEx,
  diskIoctl,
  driveLayoutBufferSize,
  mediaTypes,
} from "../../windows/layouts/disk.ts";
import { alignedReadAt, boundedByteSource } from "./byte_source_of.ts";
import type { DiskEntry, DiskList, DiskRefusal, OpenedDisk } from "./disk_source.ts";

/** An answer of the API: a value, or the Win32 error code. */
export type WindowsAnswer<T> = { readonly ok: true; readonly value: T } | {
  readonly ok: false;
  readonly error: number;
};

/** The kernel32 calls the Windows source makes, one method each. */
export interface WindowsDiskApi<Handle = unknown> {
  /** `CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING)`. */
  open(path: string): WindowsAnswer<Handle>;
  /** `DeviceIoControl(code)` into a buffer of `outputSize` bytes; the bytes returned. */
  ioctl(handle: Handle, code: number, outputSize: number): WindowsAnswer<Uint8Array>;
  /** `SetFilePointerEx` + `ReadFile` of `buffer.length` bytes at `offset` (sector-aligned). */
  read(handle: Handle, offset: number, buffer: Uint8Array): WindowsAnswer<number>;
  close(handle: Handle): void;
}

/** The physical drive numbers tried, at most. */
export const maxPhysicalDrives = 128;
/** Missing numbers in a row after which no more drives are looked for. */
export const maxMissingDrives = 8;

/** The name Windows gives physical drive `n`. */
export function physicalDrivePath(n: number): string {
  return `\\\\.\\PhysicalDrive${n}`;
}

function refusal(error: number, what: string): DiskRefusal {
  return error === diskIoctl.ERROR_ACCESS_DENIED
    ? {
      refused: true,
      reason: "unreadable",
      detail: `${what}: access denied (run as an administrator)`,
    }
    : { refused: true, reason: "unreadable", detail: `${what}: Win32 error ${error}` };
}

/** Lists the physical drives through `api` (fixed media only). */
export function windowsDiskList<Handle>(api: WindowsDiskApi<Handle>): DiskList {
  const disks: DiskEntry[] = [];
  let missing = 0;
  for (let n = 0; n < maxPhysicalDrives && missing < maxMissingDrives; n++) {
    const path = physicalDrivePath(n);
    const opened = api.open(path);
    if (!opened.ok) {
      if (
        opened.error === diskIoctl.ERROR_FILE_NOT_FOUND ||
        opened.error === diskIoctl.ERROR_PATH_NOT_FOUND
      ) {
        missing++;
        continue;
      }
      missing = 0;
      const refused = refusal(opened.error, `${path} could not be opened`);
      disks.push({
        name: `PhysicalDrive${n}`,
        devicePath: path,
        type: "fixed",
        open: () => Promise.resolve(refused),
      });
      continue;
    }
    missing = 0;
    try {
      const geometryAnswer = api.ioctl(
        opened.value,
        diskIoctl.IOCTL_DISK_GET_DRIVE_GEOMETRY_EX,
        diskGeometryEx.bufferSize,
      );
      const geometry = geometryAnswer.ok ? decodeDiskGeometry(geometryAnswer.value) : undefined;
      if (geometry === undefined) {
        const refused = refusal(geometryAnswer.ok ? 0 : geometryAnswer.error, `${path} geometry`);
        disks.push({
          name: `PhysicalDrive${n}`,
          devicePath: path,
          type: "fixed",
          open: () => Promise.resolve(refused),
        });
        continue;
      }
      if (geometry.mediaType === mediaTypes.RemovableMedia) continue;
      const layoutAnswer = api.ioctl(
        opened.value,
        diskIoctl.IOCTL_DISK_GET_DRIVE_LAYOUT_EX,
        driveLayoutBufferSize,
      );
      const layout = layoutAnswer.ok ? decodeDriveLayout(layoutAnswer.value) : undefined;
      const sectorSize = geometry.bytesPerSector > 0 ? geometry.bytesPerSector : 512;
      disks.push({
        name: `PhysicalDrive${n}`,
        devicePath: path,
        type: "fixed",
        sectorSize,
        ...(layout === undefined ? {} : { osPartitions: layout.partitions }),
        open: () => Promise.resolve(openDrive(api, path, geometry.diskSize, sectorSize)),
      });
    } finally {
      api.close(opened.value);
    }
  }
  return { ok: true, disks };
}

function openDrive<Handle>(
  api: WindowsDiskApi<Handle>,
  path: string,
  size: number,
  sectorSize: number,
): OpenedDisk | DiskRefusal {
  const opened = api.open(path);
  if (!opened.ok) return refusal(opened.error, `${path} could not be opened`);
  const handle = opened.value;
  return {
    source: boundedByteSource(
      Number.isSafeInteger(size) ? size : 0,
      alignedReadAt(sectorSize, (offset, buffer) => {
        const answer = api.read(handle, offset, buffer);
        if (!answer.ok) {
          throw new Error(`${path}: read at ${offset} failed: Win32 error ${answer.error}`);
        }
        return answer.value;
      }),
    ),
    close: () => api.close(handle),
  };
}
