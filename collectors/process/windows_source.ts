/**
 * The Windows live process source: the calls of {@linkcode WindowsProcessApi}
 * over FFI (ntdll, kernel32, advapi32), and `Get-CimInstance Win32_Process`
 * (cim_source.ts) where the libraries cannot be opened (no FFI permission,
 * an API missing).
 *
 * NOT YET RUN ON WINDOWS: the calls follow the documented signatures and the
 * layouts of windows/layouts/process.ts, and the logic behind them
 * (windows_records.ts) is tested with recorded bytes; this file itself has
 * only been type-checked. docs/process-collector.md says so too.
 *
 * @module
 */
import { handleBuffer, processApi, processBuffer } from "../../windows/layouts/process.ts";
import { readUnicodeString } from "../../windows/layouts/process_decode.ts";
import { decodeTokenPrivileges, enabledPrivileges, tokenApi } from "../../windows/layouts/token.ts";
import { cimProcessSource } from "./cim_source.ts";
import type { ApiResult, HandleQuery, WindowsProcessApi } from "./windows_api.ts";
import { type NameWorkerAnswer, nameWorkerSource } from "./windows_name_worker.ts";
import { defaultWindowsProcessLimits, windowsRecords } from "./windows_records.ts";
import type { ProcessSource } from "./process_record.ts";

const ntdllSymbols = {
  NtQuerySystemInformation: { parameters: ["u32", "buffer", "u32", "buffer"], result: "i32" },
  NtQueryInformationProcess: {
    parameters: ["pointer", "u32", "buffer", "u32", "buffer"],
    result: "i32",
  },
  NtQueryObject: { parameters: ["pointer", "u32", "buffer", "u32", "buffer"], result: "i32" },
  NtDuplicateObject: {
    parameters: ["pointer", "pointer", "pointer", "buffer", "u32", "u32", "u32"],
    result: "i32",
  },
} as const;

const kernel32Symbols = {
  OpenProcess: { parameters: ["u32", "i32", "u32"], result: "pointer" },
  CloseHandle: { parameters: ["pointer"], result: "i32" },
  QueryFullProcessImageNameW: { parameters: ["pointer", "u32", "buffer", "buffer"], result: "i32" },
  GetLastError: { parameters: [], result: "u32" },
  GetCurrentProcess: { parameters: [], result: "pointer" },
  LocalFree: { parameters: ["pointer"], result: "pointer" },
} as const;

const advapi32Symbols = {
  OpenProcessToken: { parameters: ["pointer", "u32", "buffer"], result: "i32" },
  GetTokenInformation: { parameters: ["pointer", "u32", "buffer", "u32", "buffer"], result: "i32" },
  LookupAccountSidW: {
    parameters: ["pointer", "pointer", "buffer", "buffer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  ConvertSidToStringSidW: { parameters: ["pointer", "buffer"], result: "i32" },
  LookupPrivilegeNameW: { parameters: ["pointer", "buffer", "buffer", "buffer"], result: "i32" },
} as const;

/** Characters of a privilege name asked at most (the longest is 32). */
const maxPrivilegeNameChars = 256;

/** Characters of a path or account name asked at most (`MAX_PATH` is far smaller; long paths are not). */
const maxNameChars = 32_768;

/**
 * The Windows source: FFI when the libraries open, else the CIM fallback
 * (with a warning naming why).
 */
export function windowsProcessSource(): ProcessSource {
  return {
    name: "windows-api",
    async *processes(needs, signal) {
      let api: WindowsProcessApi;
      try {
        api = openWindowsProcessApi();
      } catch (error) {
        yield {
          warning: true,
          code: "process-api-unavailable",
          message: `the process API could not be opened (${messageOf(error)}): ` +
            `Get-CimInstance Win32_Process is read instead (no handles, no owners)`,
        };
        yield* cimProcessSource().processes(needs, signal);
        return;
      }
      try {
        yield* windowsRecords(api, needs, defaultWindowsProcessLimits, undefined, signal);
      } finally {
        api.close();
      }
    },
  };
}

/** Opens ntdll, kernel32 and advapi32. Throws when FFI is refused or a library is missing. */
export function openWindowsProcessApi(): WindowsProcessApi {
  const ntdll = Deno.dlopen("ntdll.dll", ntdllSymbols);
  const kernel32 = Deno.dlopen("kernel32.dll", kernel32Symbols);
  const advapi32 = Deno.dlopen("advapi32.dll", advapi32Symbols);
  const nt = ntdll.symbols;
  const k32 = kernel32.symbols;
  const adv = advapi32.symbols;
  let worker: Worker | undefined;
  let workerUrl: string | undefined;

  const lastError = (what: string): { error: string; denied: boolean } => {
    const code = k32.GetLastError();
    return {
      error: `${what} failed with Win32 error ${code}`,
      denied: code === processApi.errorAccessDenied,
    };
  };
  const ntFailure = (what: string, status: number) => ({
    error: `${what} failed with NTSTATUS 0x${(status >>> 0).toString(16).padStart(8, "0")}`,
    denied: status >>> 0 === 0xc0000022,
  });
  const open = (pid: number, access: number): ApiResult<Deno.PointerObject> => {
    const handle = k32.OpenProcess(access, 0, pid);
    return handle === null ? lastError(`OpenProcess(${pid})`) : handle;
  };
  /** The process's token, opened for `TOKEN_QUERY`; the caller closes it. */
  const openToken = (pid: number): ApiResult<Deno.PointerObject> => {
    const process = open(pid, processApi.processQueryLimitedInformation);
    if ("error" in process) return process;
    const tokenOut = new BigUint64Array(1);
    try {
      if (!adv.OpenProcessToken(process, processApi.tokenQuery, new Uint8Array(tokenOut.buffer))) {
        return lastError(`OpenProcessToken(${pid})`);
      }
    } finally {
      k32.CloseHandle(process);
    }
    const token = Deno.UnsafePointer.create(tokenOut[0]!);
    return token === null
      ? { error: `OpenProcessToken(${pid}) gave no token`, denied: false }
      : token;
  };
  const grow = (
    what: string,
    infoClass: number,
    start: number,
    next: (size: number) => number,
    max: number,
  ): ApiResult<{ bytes: Uint8Array; base: bigint }> => {
    for (let size = start; size <= max; size = next(size)) {
      const bytes = new Uint8Array(size);
      const returned = new Uint32Array(1);
      const status =
        nt.NtQuerySystemInformation(infoClass, bytes, size, new Uint8Array(returned.buffer)) >>> 0;
      if (status === processApi.statusInfoLengthMismatch) continue;
      if (status !== 0) return ntFailure(what, status);
      return { bytes, base: BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(bytes))) };
    }
    return { error: `${what} needs more than ${max} bytes`, denied: false };
  };
  const duplicate = (process: Deno.PointerObject, value: bigint): ApiResult<Deno.PointerObject> => {
    const target = new BigUint64Array(1);
    const status = nt.NtDuplicateObject(
      process,
      Deno.UnsafePointer.create(value),
      k32.GetCurrentProcess(),
      new Uint8Array(target.buffer),
      0,
      0,
      processApi.duplicateSameAccess,
    ) >>> 0;
    if (status !== 0) return ntFailure("NtDuplicateObject", status);
    const handle = Deno.UnsafePointer.create(target[0]!);
    return handle ?? { error: "NtDuplicateObject gave a null handle", denied: false };
  };

  return {
    systemProcesses: () =>
      grow(
        "NtQuerySystemInformation(SystemProcessInformation)",
        processApi.systemProcessInformation,
        processBuffer.initialBytes,
        (size) => size * 2,
        processBuffer.maxBytes,
      ),
    imagePath(pid) {
      const process = open(pid, processApi.processQueryLimitedInformation);
      if ("error" in process) return process;
      try {
        const chars = new Uint16Array(maxNameChars);
        const size = new Uint32Array([maxNameChars]);
        const ok = k32.QueryFullProcessImageNameW(
          process,
          0,
          new Uint8Array(chars.buffer),
          new Uint8Array(size.buffer),
        );
        if (!ok) return lastError(`QueryFullProcessImageNameW(${pid})`);
        return String.fromCharCode(...chars.subarray(0, size[0]!));
      } finally {
        k32.CloseHandle(process);
      }
    },
    commandLine(pid) {
      const process = open(pid, processApi.processQueryLimitedInformation);
      if ("error" in process) return process;
      try {
        for (let size = 4096; size <= 1 << 20; size *= 4) {
          const bytes = new Uint8Array(size);
          const returned = new Uint32Array(1);
          const status = nt.NtQueryInformationProcess(
            process,
            processApi.processCommandLineInformation,
            bytes,
            size,
            new Uint8Array(returned.buffer),
          ) >>> 0;
          if (
            status === processApi.statusInfoLengthMismatch ||
            status === processApi.statusBufferTooSmall || status === processApi.statusBufferOverflow
          ) continue;
          if (status !== 0) {
            return ntFailure(`NtQueryInformationProcess(${pid}, CommandLine)`, status);
          }
          const base = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(bytes)));
          return readUnicodeString(bytes, 0, base) ?? "";
        }
        return { error: `the command line of ${pid} is longer than 1 MiB`, denied: false };
      } finally {
        k32.CloseHandle(process);
      }
    },
    user(pid) {
      const token = openToken(pid);
      if ("error" in token) return token;
      try {
        const info = new Uint8Array(1024);
        const needed = new Uint32Array(1);
        if (
          !adv.GetTokenInformation(
            token,
            processApi.tokenUser,
            info,
            info.byteLength,
            new Uint8Array(needed.buffer),
          )
        ) {
          return lastError(`GetTokenInformation(${pid}, TokenUser)`);
        }
        // TOKEN_USER starts with SID_AND_ATTRIBUTES, whose first member is the SID's address.
        const sid = Deno.UnsafePointer.create(new DataView(info.buffer).getBigUint64(0, true));
        const text = new BigUint64Array(1);
        if (!adv.ConvertSidToStringSidW(sid, new Uint8Array(text.buffer))) {
          return lastError(`ConvertSidToStringSidW(${pid})`);
        }
        const textPointer = Deno.UnsafePointer.create(text[0]!);
        const sidText = textPointer === null ? "" : readWide(textPointer);
        if (textPointer !== null) k32.LocalFree(textPointer);
        const name = new Uint16Array(256);
        const nameSize = new Uint32Array([256]);
        const domain = new Uint16Array(256);
        const domainSize = new Uint32Array([256]);
        const use = new Uint32Array(1);
        const found = adv.LookupAccountSidW(
          null,
          sid,
          new Uint8Array(name.buffer),
          new Uint8Array(nameSize.buffer),
          new Uint8Array(domain.buffer),
          new Uint8Array(domainSize.buffer),
          new Uint8Array(use.buffer),
        );
        if (!found) return { sid: sidText };
        const account = String.fromCharCode(...name.subarray(0, nameSize[0]!));
        const domainName = String.fromCharCode(...domain.subarray(0, domainSize[0]!));
        return { sid: sidText, username: domainName ? `${domainName}\\${account}` : account };
      } finally {
        k32.CloseHandle(token);
      }
    },
    privileges(pid) {
      const token = openToken(pid);
      if ("error" in token) return token;
      try {
        // Asked with no buffer first: ERROR_INSUFFICIENT_BUFFER and the size needed.
        const needed = new Uint32Array(1);
        adv.GetTokenInformation(
          token,
          tokenApi.tokenPrivileges,
          null,
          0,
          new Uint8Array(needed.buffer),
        );
        const size = needed[0]!;
        if (size === 0 || size > tokenApi.maxTokenPrivilegesBytes) {
          return lastError(`GetTokenInformation(${pid}, TokenPrivileges) size ${size}`);
        }
        const info = new Uint8Array(size);
        if (
          !adv.GetTokenInformation(
            token,
            tokenApi.tokenPrivileges,
            info,
            size,
            new Uint8Array(needed.buffer),
          )
        ) {
          return lastError(`GetTokenInformation(${pid}, TokenPrivileges)`);
        }
        let privileges;
        try {
          privileges = enabledPrivileges(decodeTokenPrivileges(info));
        } catch (error) {
          return { error: `TOKEN_PRIVILEGES of ${pid}: ${messageOf(error)}`, denied: false };
        }
        const names: string[] = [];
        for (const privilege of privileges) {
          const luid = new BigUint64Array([privilege.luid]);
          const name = new Uint16Array(maxPrivilegeNameChars);
          const length = new Uint32Array([maxPrivilegeNameChars]);
          if (
            !adv.LookupPrivilegeNameW(
              null,
              new Uint8Array(luid.buffer),
              new Uint8Array(name.buffer),
              new Uint8Array(length.buffer),
            )
          ) {
            // One unnamed privilege would make the list shorter than the token's: unknown.
            return lastError(`LookupPrivilegeNameW(${pid}, LUID ${privilege.luid})`);
          }
          names.push(String.fromCharCode(...name.subarray(0, length[0]!)));
        }
        return names;
      } finally {
        k32.CloseHandle(token);
      }
    },
    systemHandles() {
      const result = grow(
        "NtQuerySystemInformation(SystemExtendedHandleInformation)",
        processApi.systemExtendedHandleInformation,
        handleBuffer.initialBytes,
        (size) => size + handleBuffer.growBytes,
        handleBuffer.maxBytes,
      );
      return "error" in result ? result : result.bytes;
    },
    openHandles(pid): ApiResult<HandleQuery> {
      const process = open(pid, processApi.processDupHandle);
      if ("error" in process) return process;
      return {
        typeName(value) {
          const handle = duplicate(process, value);
          if ("error" in handle) return handle;
          try {
            const bytes = new Uint8Array(4096);
            const returned = new Uint32Array(1);
            const status = nt.NtQueryObject(
              handle,
              processApi.objectTypeInformation,
              bytes,
              bytes.byteLength,
              new Uint8Array(returned.buffer),
            ) >>> 0;
            if (status !== 0) return ntFailure("NtQueryObject(ObjectTypeInformation)", status);
            const base = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(bytes)));
            return readUnicodeString(bytes, 0, base) ?? "";
          } finally {
            k32.CloseHandle(handle);
          }
        },
        async objectName(value, timeoutMs) {
          const handle = duplicate(process, value);
          if ("error" in handle) return handle;
          workerUrl ??= URL.createObjectURL(
            new Blob([nameWorkerSource], { type: "application/javascript" }),
          );
          worker ??= new Worker(workerUrl, { type: "module" });
          const asked = worker;
          let timer: ReturnType<typeof setTimeout> | undefined;
          const answer = await new Promise<NameWorkerAnswer | "timeout">((resolve) => {
            timer = setTimeout(() => resolve("timeout"), timeoutMs);
            asked.onmessage = (event: MessageEvent<NameWorkerAnswer>) => resolve(event.data);
            asked.postMessage(BigInt(Deno.UnsafePointer.value(handle)));
          });
          clearTimeout(timer);
          if (answer === "timeout") {
            // The blocked thread keeps the duplicate: it is not closed under it. A new worker
            // answers the next question.
            asked.terminate();
            worker = undefined;
            return "timeout";
          }
          k32.CloseHandle(handle);
          return "name" in answer
            ? answer.name
            : ntFailure("NtQueryObject(ObjectNameInformation)", answer.status);
        },
        close() {
          k32.CloseHandle(process);
        },
      };
    },
    close() {
      worker?.terminate();
      if (workerUrl) URL.revokeObjectURL(workerUrl);
      ntdll.close();
      kernel32.close();
      advapi32.close();
    },
  };
}

/** A NUL-terminated UTF-16 string at `pointer` (at most {@linkcode maxNameChars}). */
function readWide(pointer: Deno.PointerObject): string {
  const view = new Deno.UnsafePointerView(pointer);
  let text = "";
  for (let at = 0; at < maxNameChars * 2; at += 2) {
    const code = view.getUint16(at);
    if (code === 0) break;
    text += String.fromCharCode(code);
  }
  return text;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
