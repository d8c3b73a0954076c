/**
 * The full image path of a Windows process by pid, through kernel32's
 * `OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION)` and
 * `QueryFullProcessImageNameW`: the little the port collector needs to name a
 * socket's owner (the process collector has its own, fuller source).
 *
 * Not yet run on Windows: written against the documented signatures, it
 * cannot run on the Linux machines that test iocscan (docs/port.md).
 *
 * @module
 */
import type { WindowsImage, WindowsImageLookup } from "./windows_records.ts";

/** `PROCESS_QUERY_LIMITED_INFORMATION`: enough for the image name, granted for most processes. */
export const processQueryLimitedInformation = 0x1000;
/** UTF-16 units of the image-name buffer (`MAX_PATH` is not enough for long paths). */
export const imageNameUnits = 32_768;
/** `QueryFullProcessImageNameW` flags: 0 asks for the Win32 path (`C:\…`). */
export const win32PathFormat = 0;

const kernel32Symbols = {
  OpenProcess: { parameters: ["u32", "i32", "u32"], result: "pointer" },
  QueryFullProcessImageNameW: {
    parameters: ["pointer", "u32", "buffer", "buffer"],
    result: "i32",
  },
  CloseHandle: { parameters: ["pointer"], result: "i32" },
  GetLastError: { parameters: [], result: "u32" },
} as const;

/** An image lookup over kernel32, with its cache; `close()` unloads the library. */
export function openWindowsImageLookup(): { lookup: WindowsImageLookup; close(): void } {
  const library = Deno.dlopen("kernel32.dll", kernel32Symbols);
  const cache = new Map<number, WindowsImage>();
  const buffer = new Uint16Array(imageNameUnits);
  const size = new Uint32Array(1);
  const utf16 = new TextDecoder("utf-16le");
  const lookup: WindowsImageLookup = (pid) => {
    const known = cache.get(pid);
    if (known) return known;
    let image: WindowsImage;
    const handle = library.symbols.OpenProcess(processQueryLimitedInformation, 0, pid);
    if (handle === null) {
      image = { error: `OpenProcess failed with Windows error ${library.symbols.GetLastError()}` };
    } else {
      try {
        size[0] = imageNameUnits;
        const ok = library.symbols.QueryFullProcessImageNameW(
          handle,
          win32PathFormat,
          buffer,
          size,
        );
        image = ok !== 0 ? { imagePath: utf16.decode(buffer.subarray(0, size[0])) } : {
          error:
            `QueryFullProcessImageNameW failed with Windows error ${library.symbols.GetLastError()}`,
        };
      } finally {
        library.symbols.CloseHandle(handle);
      }
    }
    cache.set(pid, image);
    return image;
  };
  return { lookup, close: () => library.close() };
}
