/**
 * The Service Control Manager over FFI (advapi32): `OpenSCManagerW`,
 * `EnumServicesStatusExW(SC_ENUM_PROCESS_INFO)` (services and drivers, every
 * state), `OpenServiceW` + `QueryServiceConfigW` per service, and
 * `RegGetValueW` for a service key's `Parameters\ServiceDll` and
 * `FailureCommand` (REG_EXPAND_SZ expanded by the call). The buffers are
 * decoded by windows/layouts/services_decode.ts. **Not yet run on
 * Windows**: written against the documented signatures and the x64
 * layouts, type-checked; the logic above it is tested with a recorded
 * {@linkcode ScmApi}.
 *
 * @module
 */
import {
  decodeServiceConfig,
  decodeServiceStatusRows,
  scm,
  type ServiceConfig,
  type ServiceStatusRow,
} from "../../windows/layouts/mod.ts";

/** What the service source asks of Windows (tests answer with recorded rows). */
export interface ScmApi {
  /** Every service and driver with its state and pid, or why they cannot be listed. */
  services(): ServiceStatusRow[] | { error: string };
  /** One service's configuration, or why it cannot be read. */
  config(name: string): ServiceConfig | { error: string };
  /**
   * A string value below `HKLM\SYSTEM\CurrentControlSet\Services\<name>`, expanded;
   * undefined when absent, why when it is there but cannot be read (access denied…).
   */
  serviceValue(name: string, subkey: string, value: string): string | undefined | { error: string };
  close(): void;
}

/** The most bytes one SCM buffer may grow to. */
const maxScmBuffer = 64 << 20;
/** `HKEY_LOCAL_MACHINE`, sign-extended as a 64-bit handle. */
const hkeyLocalMachine = 0xffff_ffff_8000_0002n;
/** A registry value that is not there (ERROR_FILE_NOT_FOUND): absent, not unknown. */
const errorFileNotFound = 2;
/** RegGetValueW: REG_SZ, with REG_EXPAND_SZ expanded into it. */
const rrfRtRegSz = 0x0000_0002;

const advapi32Symbols = {
  OpenSCManagerW: { parameters: ["pointer", "pointer", "u32"], result: "pointer" },
  EnumServicesStatusExW: {
    parameters: [
      "pointer",
      "i32",
      "u32",
      "u32",
      "buffer",
      "u32",
      "buffer",
      "buffer",
      "buffer",
      "pointer",
    ],
    result: "i32",
  },
  OpenServiceW: { parameters: ["pointer", "buffer", "u32"], result: "pointer" },
  QueryServiceConfigW: { parameters: ["pointer", "buffer", "u32", "buffer"], result: "i32" },
  CloseServiceHandle: { parameters: ["pointer"], result: "i32" },
  RegGetValueW: {
    parameters: ["pointer", "buffer", "buffer", "u32", "pointer", "buffer", "buffer"],
    result: "i32",
  },
} as const;

const kernel32Symbols = { GetLastError: { parameters: [], result: "u32" } } as const;

/** A NUL-terminated UTF-16LE string for a `LPCWSTR` parameter. */
function wide(text: string): Uint8Array {
  const bytes = new Uint8Array((text.length + 1) * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < text.length; i++) view.setUint16(i * 2, text.charCodeAt(i), true);
  return bytes;
}

function addressOf(bytes: Uint8Array): bigint {
  return BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(bytes)));
}

/** Opens advapi32 and the SCM. Throws when FFI is refused, a library is missing or the SCM refuses. */
export function openScmApi(): ScmApi {
  const advapi32 = Deno.dlopen("advapi32.dll", advapi32Symbols);
  const kernel32 = Deno.dlopen("kernel32.dll", kernel32Symbols);
  const adv = advapi32.symbols;
  const manager = adv.OpenSCManagerW(
    null,
    null,
    scm.SC_MANAGER_CONNECT | scm.SC_MANAGER_ENUMERATE_SERVICE,
  );
  if (manager === null) {
    const code = kernel32.symbols.GetLastError();
    advapi32.close();
    kernel32.close();
    throw new Error(`OpenSCManagerW failed with Win32 error ${code}`);
  }
  const lastError = (what: string) => ({
    error: `${what} failed with Win32 error ${kernel32.symbols.GetLastError()}`,
  });
  return {
    services() {
      const needed = new Uint32Array(1);
      const returned = new Uint32Array(1);
      const resume = new Uint32Array(1);
      let size = 256 * 1024;
      const rows: ServiceStatusRow[] = [];
      while (size <= maxScmBuffer) {
        const bytes = new Uint8Array(size);
        const ok = adv.EnumServicesStatusExW(
          manager,
          scm.SC_ENUM_PROCESS_INFO,
          scm.SERVICE_WIN32 | scm.SERVICE_DRIVER,
          scm.SERVICE_STATE_ALL,
          bytes,
          size,
          new Uint8Array(needed.buffer),
          new Uint8Array(returned.buffer),
          new Uint8Array(resume.buffer),
          null,
        );
        const error = ok === 0 ? kernel32.symbols.GetLastError() : 0;
        if (ok === 0 && error !== scm.ERROR_MORE_DATA) {
          return { error: `EnumServicesStatusExW failed with Win32 error ${error}` };
        }
        rows.push(...decodeServiceStatusRows(bytes, addressOf(bytes), returned[0]!));
        if (ok !== 0) return rows;
        // More to come: the resume handle carries on; grow when one entry did not fit.
        if (returned[0] === 0) size = Math.max(size * 2, needed[0]!);
      }
      return { error: `EnumServicesStatusExW needs more than ${maxScmBuffer} bytes` };
    },
    config(name) {
      const service = adv.OpenServiceW(manager, wide(name), scm.SERVICE_QUERY_CONFIG);
      if (service === null) return lastError(`OpenServiceW(${name})`);
      try {
        const needed = new Uint32Array(1);
        let size = 8 * 1024;
        for (let tries = 0; tries < 3 && size <= maxScmBuffer; tries++) {
          const bytes = new Uint8Array(size);
          if (adv.QueryServiceConfigW(service, bytes, size, new Uint8Array(needed.buffer)) !== 0) {
            return decodeServiceConfig(bytes, addressOf(bytes)) ??
              { error: `QueryServiceConfigW(${name}) gave a short buffer` };
          }
          if (kernel32.symbols.GetLastError() !== scm.ERROR_INSUFFICIENT_BUFFER) {
            return lastError(`QueryServiceConfigW(${name})`);
          }
          size = Math.max(size * 2, needed[0]!);
        }
        return { error: `QueryServiceConfigW(${name}) needs too large a buffer` };
      } finally {
        adv.CloseServiceHandle(service);
      }
    },
    serviceValue(name, subkey, value) {
      const path = ["SYSTEM\\CurrentControlSet\\Services", name, subkey].filter((part) =>
        part !== ""
      )
        .join("\\");
      let size = 64 * 1024;
      while (size <= maxScmBuffer) {
        const length = new Uint32Array([size]);
        const bytes = new Uint8Array(size);
        const status = adv.RegGetValueW(
          Deno.UnsafePointer.create(hkeyLocalMachine),
          wide(path),
          wide(value),
          rrfRtRegSz,
          null,
          bytes,
          new Uint8Array(length.buffer),
        );
        if (status === errorFileNotFound) return undefined;
        if (status === scm.ERROR_MORE_DATA) {
          size = Math.max(size * 2, length[0]!);
          continue;
        }
        if (status !== 0) return { error: `RegGetValueW failed with Win32 error ${status}` };
        const text = new TextDecoder("utf-16le").decode(bytes.subarray(0, length[0]!));
        return text.replace(/\0+$/, "");
      }
      return { error: `RegGetValueW needs more than ${maxScmBuffer} bytes` };
    },
    close() {
      adv.CloseServiceHandle(manager);
      advapi32.close();
      kernel32.close();
    },
  };
}
