/**
 * The Windows volumes over FFI (kernel32 and mpr): `FindFirstVolumeW`,
 * `GetVolumePathNamesForVolumeNameW`, `GetLogicalDriveStringsW`,
 * `GetDriveTypeW`, `QueryDosDeviceW`, `GetVolumeInformationW`,
 * `GetDiskFreeSpaceW`, `GetDiskFreeSpaceExW` and `WNetGetConnectionW`. The
 * calls that touch the volume (information and free space) run on a thread
 * of their own with a time limit, so a dead network share or a hung
 * removable drive is reported, not waited for. The byte layouts and
 * decoders are in `windows/layouts/volume.ts`.
 *
 * Not yet run on Windows: the decoders and the record logic are tested on
 * bytes and recorded answers built by code (docs/volume.md).
 *
 * @module
 */
import type { TableSource } from "../net_table/mod.ts";
import {
  decodeFreeSpace,
  decodeMultiSz,
  decodeUtf16z,
  encodeUtf16z,
  freeSpaceBytes,
  volumeGuidChars,
  volumeListChars,
  volumeNameChars,
} from "../../windows/layouts/volume.ts";
import {
  type ApiAnswer,
  type VolumeInformation,
  type VolumeSpace,
  type WindowsVolumeApi,
  windowsVolumeRecords,
} from "./windows_records.ts";
import type { VolumeRecord } from "./volume_record.ts";

/** The source as skips name it. */
export const windowsVolumeSourceObject = "volumes:kernel32";
/** How long a call that touches a volume may take. */
export const volumeCallTimeoutMs = 5_000;
/** The most volumes `FindNextVolumeW` is asked for. */
const maxVolumeNames = 4_096;
const invalidHandle = 0xffff_ffff_ffff_ffffn;
const noError = 0;

const kernel32Symbols = {
  GetLogicalDriveStringsW: { parameters: ["u32", "buffer"], result: "u32" },
  FindFirstVolumeW: { parameters: ["buffer", "u32"], result: "pointer" },
  FindNextVolumeW: { parameters: ["pointer", "buffer", "u32"], result: "i32" },
  FindVolumeClose: { parameters: ["pointer"], result: "i32" },
  GetVolumePathNamesForVolumeNameW: {
    parameters: ["buffer", "buffer", "u32", "buffer"],
    result: "i32",
  },
  GetDriveTypeW: { parameters: ["buffer"], result: "u32" },
  QueryDosDeviceW: { parameters: ["buffer", "buffer", "u32"], result: "u32" },
  GetVolumeInformationW: {
    parameters: ["buffer", "buffer", "u32", "buffer", "buffer", "buffer", "buffer", "u32"],
    result: "i32",
    nonblocking: true,
  },
  GetDiskFreeSpaceW: {
    parameters: ["buffer", "buffer", "buffer", "buffer", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  GetDiskFreeSpaceExW: {
    parameters: ["buffer", "buffer", "buffer", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  GetLastError: { parameters: [], result: "u32" },
} as const;

const mprSymbols = {
  WNetGetConnectionW: { parameters: ["buffer", "buffer", "buffer"], result: "u32" },
} as const;

/** The Windows volume table. */
export function windowsVolumeSource(): TableSource<VolumeRecord> {
  return {
    name: windowsVolumeSourceObject,
    async read() {
      let api: WindowsVolumeApi;
      try {
        api = ffiVolumeApi();
      } catch (error) {
        return {
          ok: false,
          object: windowsVolumeSourceObject,
          detail: `kernel32 could not be bound: ${(error as Error).message}`,
        };
      }
      const { records, problems } = await windowsVolumeRecords(api);
      if (records.length === 0 && problems.length > 0) {
        return { ok: false, object: windowsVolumeSourceObject, detail: problems.join("; ") };
      }
      return {
        ok: true,
        rows: records,
        unread: problems.map((detail) => ({ object: windowsVolumeSourceObject, detail })),
      };
    },
  };
}

/** Races a call that may block against the time limit. */
async function bounded<T>(call: Promise<T>, what: string): Promise<ApiAnswer<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), volumeCallTimeoutMs);
  });
  try {
    const result = await Promise.race([call, late]);
    return result === "late"
      ? { ok: false, detail: `${what} did not answer in ${volumeCallTimeoutMs} ms` }
      : { ok: true, value: result };
  } finally {
    clearTimeout(timer);
  }
}

function ffiVolumeApi(): WindowsVolumeApi {
  const k = Deno.dlopen("kernel32.dll", kernel32Symbols).symbols;
  let mpr: Deno.DynamicLibrary<typeof mprSymbols>["symbols"] | undefined;
  try {
    mpr = Deno.dlopen("mpr.dll", mprSymbols).symbols;
  } catch {
    mpr = undefined;
  }
  const failed = (call: string): { ok: false; detail: string } => ({
    ok: false,
    detail: `${call} failed (error ${k.GetLastError()})`,
  });
  const u32 = () => new Uint32Array(1);
  const bytesOf = (array: Uint32Array) => new Uint8Array(array.buffer);
  return {
    logicalDrives() {
      const buffer = new Uint8Array(volumeListChars * 2);
      const units = k.GetLogicalDriveStringsW(volumeListChars, buffer);
      if (units === 0 || units > volumeListChars) return failed("GetLogicalDriveStringsW");
      return { ok: true, value: decodeMultiSz(buffer, units) };
    },
    volumes() {
      const name = new Uint8Array(volumeGuidChars * 2);
      const handle = k.FindFirstVolumeW(name, volumeGuidChars);
      if (handle === null || Deno.UnsafePointer.value(handle) === invalidHandle) {
        return failed("FindFirstVolumeW");
      }
      const names = [decodeUtf16z(name)];
      try {
        while (names.length < maxVolumeNames && k.FindNextVolumeW(handle, name, volumeGuidChars)) {
          names.push(decodeUtf16z(name));
        }
      } finally {
        k.FindVolumeClose(handle);
      }
      return { ok: true, value: names };
    },
    mountPaths(volume) {
      const buffer = new Uint8Array(volumeListChars * 2);
      const length = u32();
      const ok = k.GetVolumePathNamesForVolumeNameW(
        encodeUtf16z(volume),
        buffer,
        volumeListChars,
        bytesOf(length),
      );
      if (!ok) return failed("GetVolumePathNamesForVolumeNameW");
      return { ok: true, value: decodeMultiSz(buffer, Math.min(length[0]!, volumeListChars)) };
    },
    driveType: (root) => k.GetDriveTypeW(encodeUtf16z(root)),
    async information(root) {
      const label = new Uint8Array(volumeNameChars * 2);
      const fileSystem = new Uint8Array(volumeNameChars * 2);
      const serial = u32();
      const maxComponent = u32();
      const flags = u32();
      const answer = await bounded(
        k.GetVolumeInformationW(
          encodeUtf16z(root),
          label,
          volumeNameChars,
          bytesOf(serial),
          bytesOf(maxComponent),
          bytesOf(flags),
          fileSystem,
          volumeNameChars,
        ),
        "GetVolumeInformationW",
      );
      if (!answer.ok) return answer;
      if (!answer.value) return failed("GetVolumeInformationW");
      const information: VolumeInformation = {
        label: decodeUtf16z(label),
        serialNumber: serial[0]!,
        flags: flags[0]!,
        fileSystem: decodeUtf16z(fileSystem),
      };
      return { ok: true, value: information };
    },
    async space(root) {
      const name = encodeUtf16z(root);
      const sectors = u32();
      const bytes = u32();
      const free = u32();
      const total = u32();
      const geometry = await bounded(
        k.GetDiskFreeSpaceW(name, bytesOf(sectors), bytesOf(bytes), bytesOf(free), bytesOf(total)),
        "GetDiskFreeSpaceW",
      );
      const counts = new Uint8Array(freeSpaceBytes);
      const extended = await bounded(
        k.GetDiskFreeSpaceExW(
          name,
          counts.subarray(0, 8),
          counts.subarray(8, 16),
          counts.subarray(16, 24),
        ),
        "GetDiskFreeSpaceExW",
      );
      if (!(geometry.ok && geometry.value) && !(extended.ok && extended.value)) {
        return geometry.ok ? failed("GetDiskFreeSpaceW") : geometry;
      }
      const sizes = extended.ok && extended.value ? decodeFreeSpace(counts) : undefined;
      const value: VolumeSpace = {
        ...(geometry.ok && geometry.value
          ? {
            sectorsPerCluster: sectors[0]!,
            bytesPerSector: bytes[0]!,
            freeClusters: free[0]!,
            totalClusters: total[0]!,
          }
          : {}),
        ...(sizes ? { totalBytes: sizes.total, freeBytes: sizes.availableToCaller } : {}),
      };
      return { ok: true, value };
    },
    dosDevice(name) {
      const buffer = new Uint8Array(volumeListChars * 2);
      const units = k.QueryDosDeviceW(encodeUtf16z(name), buffer, volumeListChars);
      if (units === 0) return failed("QueryDosDeviceW");
      return { ok: true, value: decodeMultiSz(buffer, units)[0] ?? "" };
    },
    remoteName(drive) {
      if (mpr === undefined) return { ok: false, detail: "mpr.dll could not be bound" };
      const buffer = new Uint8Array(volumeListChars * 2);
      const length = u32();
      length[0] = volumeListChars;
      const code = mpr.WNetGetConnectionW(encodeUtf16z(drive), buffer, bytesOf(length));
      if (code !== noError) {
        return { ok: false, detail: `WNetGetConnectionW failed (error ${code})` };
      }
      return { ok: true, value: decodeUtf16z(buffer) };
    },
  };
}
