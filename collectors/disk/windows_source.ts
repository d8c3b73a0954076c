/**
 * The physical drives of a Windows host over FFI (kernel32 `CreateFileW`,
 * `DeviceIoControl`, `SetFilePointerEx`, `ReadFile`, `CloseHandle`): the
 * binding of {@linkcode WindowsDiskApi}; the logic is `windows_records.ts`,
 * the IOCTL layouts `windows/layouts/disk.ts`.
 *
 * Not yet run on Windows: the decoders and the list logic are tested on bytes
 * and recorded answers built by code (docs/disk.md).
 *
 * @module
 */
import { diskIoctl } from "../../windows/layouts/disk.ts";
import type { DiskSource } from "./disk_source.ts";
import { type WindowsAnswer, type WindowsDiskApi, windowsDiskList } from "./windows_records.ts";

/** The source as skips name it. */
export const windowsDiskSourceName = "physical drives";

const invalidHandle = 0xffff_ffff_ffff_ffffn;

const kernel32Symbols = {
  CreateFileW: {
    parameters: ["buffer", "u32", "u32", "pointer", "u32", "u32", "pointer"],
    result: "pointer",
  },
  DeviceIoControl: {
    parameters: ["pointer", "u32", "pointer", "u32", "buffer", "u32", "buffer", "pointer"],
    result: "i32",
  },
  SetFilePointerEx: { parameters: ["pointer", "i64", "pointer", "u32"], result: "i32" },
  ReadFile: { parameters: ["pointer", "buffer", "u32", "buffer", "pointer"], result: "i32" },
  CloseHandle: { parameters: ["pointer"], result: "i32" },
  GetLastError: { parameters: [], result: "u32" },
} as const;

function utf16z(text: string): Uint8Array {
  const bytes = new Uint8Array((text.length + 1) * 2);
  const data = new DataView(bytes.buffer);
  for (let i = 0; i < text.length; i++) data.setUint16(i * 2, text.charCodeAt(i), true);
  return bytes;
}

/** kernel32 bound over FFI. */
function ffiDiskApi(): WindowsDiskApi<Deno.PointerObject> {
  const k = Deno.dlopen("kernel32.dll", kernel32Symbols).symbols;
  const failed = <T>(): WindowsAnswer<T> => ({ ok: false, error: k.GetLastError() });
  return {
    open(path) {
      const handle = k.CreateFileW(
        utf16z(path),
        diskIoctl.GENERIC_READ,
        diskIoctl.FILE_SHARE_READ | diskIoctl.FILE_SHARE_WRITE,
        null,
        diskIoctl.OPEN_EXISTING,
        0,
        null,
      );
      if (handle === null || Deno.UnsafePointer.value(handle) === invalidHandle) return failed();
      return { ok: true, value: handle };
    },
    ioctl(handle, code, outputSize) {
      const output = new Uint8Array(outputSize);
      const returned = new Uint32Array(1);
      const done = k.DeviceIoControl(
        handle,
        code,
        null,
        0,
        output,
        outputSize,
        new Uint8Array(returned.buffer),
        null,
      );
      if (done === 0) return failed();
      return { ok: true, value: output.subarray(0, returned[0]!) };
    },
    read(handle, offset, buffer) {
      if (k.SetFilePointerEx(handle, BigInt(offset), null, 0) === 0) return failed();
      const read = new Uint32Array(1);
      if (k.ReadFile(handle, buffer, buffer.length, new Uint8Array(read.buffer), null) === 0) {
        return failed();
      }
      return { ok: true, value: read[0]! };
    },
    close(handle) {
      k.CloseHandle(handle);
    },
  };
}

/** The fixed physical drives of this Windows host. */
export function windowsDiskSource(): DiskSource {
  return {
    name: windowsDiskSourceName,
    offline: false,
    list() {
      let api: WindowsDiskApi<Deno.PointerObject>;
      try {
        api = ffiDiskApi();
      } catch (error) {
        return Promise.resolve({
          ok: false,
          object: windowsDiskSourceName,
          detail: `kernel32 could not be bound: ${(error as Error).message}`,
        });
      }
      return Promise.resolve(windowsDiskList(api));
    },
  };
}
