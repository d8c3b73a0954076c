/**
 * {@linkcode WindowsQuarantineApi} over FFI: kernel32 and advapi32 opened with
 * `Deno.dlopen`, each method the documented call(s) with the layouts of
 * windows/layouts/ (file_info.ts, streams.ts, security.ts,
 * pending_renames.ts).
 *
 * NOT YET RUN ON WINDOWS: written against the documented signatures (x64),
 * type-checked; the logic above it is tested with a recorded API
 * (`_recorded_windows_api.ts`). docs/quarantine_windows.md says so too.
 *
 * @module
 */
import {
  byHandleFileInformation,
  encodeUtf16z,
  fileApi,
  fileBasicInfo,
  fileBasicInfoClass,
  findStreamInfoStandard,
  maxPendingRenameBytes,
  pendingFileRenameOperations,
  rrfRtRegMultiSz,
  securityApi,
  sessionManagerKey,
  win32FindStreamData,
} from "../../windows/layouts/mod.ts";
import { win32Error, win32ErrorText } from "../../windows/mod.ts";
import type {
  MetadataHandle,
  ProcessHandle,
  Win32Result,
  WindowsQuarantineApi,
} from "./windows_api.ts";

const kernel32Symbols = {
  CreateFileW: {
    parameters: ["buffer", "u32", "u32", "pointer", "u32", "u32", "pointer"],
    result: "pointer",
  },
  CloseHandle: { parameters: ["pointer"], result: "i32" },
  GetFileInformationByHandle: { parameters: ["pointer", "buffer"], result: "i32" },
  GetFileInformationByHandleEx: { parameters: ["pointer", "u32", "buffer", "u32"], result: "i32" },
  FindFirstStreamW: { parameters: ["buffer", "u32", "buffer", "u32"], result: "pointer" },
  FindNextStreamW: { parameters: ["pointer", "buffer"], result: "i32" },
  FindClose: { parameters: ["pointer"], result: "i32" },
  ReadFile: { parameters: ["pointer", "buffer", "u32", "buffer", "pointer"], result: "i32" },
  WriteFile: { parameters: ["pointer", "buffer", "u32", "buffer", "pointer"], result: "i32" },
  SetFileTime: { parameters: ["pointer", "buffer", "buffer", "buffer"], result: "i32" },
  GetFileAttributesW: { parameters: ["buffer"], result: "u32" },
  SetFileAttributesW: { parameters: ["buffer", "u32"], result: "i32" },
  DeleteFileW: { parameters: ["buffer"], result: "i32" },
  MoveFileExW: { parameters: ["buffer", "pointer", "u32"], result: "i32" },
  GetDriveTypeW: { parameters: ["buffer"], result: "u32" },
  OpenProcess: { parameters: ["u32", "i32", "u32"], result: "pointer" },
  QueryFullProcessImageNameW: { parameters: ["pointer", "u32", "buffer", "buffer"], result: "i32" },
  TerminateProcess: { parameters: ["pointer", "u32"], result: "i32" },
  WaitForSingleObject: { parameters: ["pointer", "u32"], result: "u32" },
  GetCurrentProcess: { parameters: [], result: "pointer" },
  GetLastError: { parameters: [], result: "u32" },
  LocalFree: { parameters: ["pointer"], result: "pointer" },
} as const;

const advapi32Symbols = {
  GetSecurityInfo: {
    parameters: ["pointer", "u32", "u32", "pointer", "pointer", "pointer", "pointer", "buffer"],
    result: "u32",
  },
  ConvertSecurityDescriptorToStringSecurityDescriptorW: {
    parameters: ["pointer", "u32", "u32", "buffer", "buffer"],
    result: "i32",
  },
  ConvertStringSecurityDescriptorToSecurityDescriptorW: {
    parameters: ["buffer", "u32", "buffer", "pointer"],
    result: "i32",
  },
  SetFileSecurityW: { parameters: ["buffer", "u32", "pointer"], result: "i32" },
  LookupPrivilegeValueW: { parameters: ["pointer", "buffer", "buffer"], result: "i32" },
  OpenProcessToken: { parameters: ["pointer", "u32", "buffer"], result: "i32" },
  AdjustTokenPrivileges: {
    parameters: ["pointer", "i32", "buffer", "u32", "pointer", "pointer"],
    result: "i32",
  },
  RegGetValueW: {
    parameters: ["pointer", "buffer", "buffer", "u32", "pointer", "buffer", "buffer"],
    result: "i32",
  },
} as const;

/** `PROCESS_TERMINATE | PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE`. */
const processAccess = 0x0001 | 0x1000 | 0x0010_0000;
/** `WaitForSingleObject`'s answers. */
const waitObject0 = 0;
const waitTimeout = 0x102;
/** `HKEY_LOCAL_MACHINE`, sign-extended as a 64-bit handle. */
const hkeyLocalMachine = 0xffff_ffff_8000_0002n;
/** `INVALID_HANDLE_VALUE`. */
const invalidHandle = 0xffff_ffff_ffff_ffffn;
/** Characters of a process image path asked at most. */
const maxImagePathChars = 32_768;
/** Bytes read from a stream per `ReadFile`. */
const readChunkBytes = 1 << 20;
const utf16 = new TextDecoder("utf-16le");
const everyShare = fileApi.FILE_SHARE_READ | fileApi.FILE_SHARE_WRITE | fileApi.FILE_SHARE_DELETE;

function fail<T>(what: string, code: number): Win32Result<T> {
  return { ok: false, code, error: `${what}: ${win32ErrorText(code)}` };
}

function ok<T>(value: T): Win32Result<T> {
  return { ok: true, value };
}

/** A pointer-sized out parameter. */
function pointerOut(): { bytes: Uint8Array; read(): Deno.PointerValue } {
  const cell = new BigUint64Array(1);
  return {
    bytes: new Uint8Array(cell.buffer),
    read: () => Deno.UnsafePointer.create(cell[0]!),
  };
}

/** The handle, or undefined for NULL and `INVALID_HANDLE_VALUE`. */
function validHandle(handle: Deno.PointerValue): Deno.PointerObject | undefined {
  if (handle === null || BigInt(Deno.UnsafePointer.value(handle)) === invalidHandle) {
    return undefined;
  }
  return handle;
}

/** Opens kernel32 and advapi32. Throws when FFI is refused or a library is missing. */
export function openWindowsQuarantineApi(): WindowsQuarantineApi {
  const kernel32 = Deno.dlopen("kernel32.dll", kernel32Symbols);
  let advapi32;
  try {
    advapi32 = Deno.dlopen("advapi32.dll", advapi32Symbols);
  } catch (error) {
    kernel32.close();
    throw error;
  }
  const k32 = kernel32.symbols;
  const adv = advapi32.symbols;
  const lastError = <T>(what: string): Win32Result<T> => fail(what, k32.GetLastError());

  const createFile = (
    path: string,
    access: number,
    share: number,
    disposition: number,
    flags: number,
  ): Win32Result<Deno.PointerObject> => {
    const handle = validHandle(
      k32.CreateFileW(encodeUtf16z(path), access, share, null, disposition, flags, null),
    );
    return handle === undefined ? lastError(`CreateFileW(${path})`) : ok(handle);
  };

  /** Runs `use` on a file opened with `access`, closing it after. */
  const withFile = <T>(
    path: string,
    access: number,
    disposition: number,
    flags: number,
    use: (handle: Deno.PointerObject) => Win32Result<T>,
  ): Win32Result<T> => {
    const opened = createFile(path, access, everyShare, disposition, flags);
    if (!opened.ok) return opened;
    try {
      return use(opened.value);
    } finally {
      k32.CloseHandle(opened.value);
    }
  };

  const metadataHandle = (handle: Deno.PointerObject): MetadataHandle => ({
    fileInformation() {
      const bytes = new Uint8Array(byHandleFileInformation.size);
      if (!k32.GetFileInformationByHandle(handle, bytes)) {
        return lastError("GetFileInformationByHandle");
      }
      return ok(bytes);
    },
    securityDescriptor(info) {
      const descriptor = pointerOut();
      const status = adv.GetSecurityInfo(
        handle,
        securityApi.SE_FILE_OBJECT,
        info,
        null,
        null,
        null,
        null,
        descriptor.bytes,
      );
      if (status !== 0) return fail("GetSecurityInfo", status);
      const sd = descriptor.read();
      try {
        const text = pointerOut();
        const length = new Uint32Array(1);
        if (
          !adv.ConvertSecurityDescriptorToStringSecurityDescriptorW(
            sd,
            securityApi.SDDL_REVISION_1,
            info,
            text.bytes,
            new Uint8Array(length.buffer),
          )
        ) return lastError("ConvertSecurityDescriptorToStringSecurityDescriptorW");
        const pointer = text.read();
        if (pointer === null) return ok("");
        try {
          const bytes = new Deno.UnsafePointerView(pointer).getArrayBuffer(length[0]! * 2);
          return ok(utf16.decode(bytes).replace(/\0+$/, ""));
        } finally {
          k32.LocalFree(pointer);
        }
      } finally {
        if (sd !== null) k32.LocalFree(sd);
      }
    },
    close() {
      k32.CloseHandle(handle);
    },
  });

  const processHandle = (handle: Deno.PointerObject): ProcessHandle => ({
    imagePath() {
      const chars = new Uint16Array(maxImagePathChars);
      const size = new Uint32Array([maxImagePathChars]);
      if (
        !k32.QueryFullProcessImageNameW(
          handle,
          0,
          new Uint8Array(chars.buffer),
          new Uint8Array(size.buffer),
        )
      ) return lastError("QueryFullProcessImageNameW");
      return ok(utf16.decode(chars.subarray(0, size[0]!)));
    },
    terminate(exitCode) {
      return k32.TerminateProcess(handle, exitCode) ? ok(undefined) : lastError("TerminateProcess");
    },
    waitForExit(ms) {
      const result = k32.WaitForSingleObject(handle, ms);
      if (result === waitObject0) return ok(true);
      if (result === waitTimeout) return ok(false);
      return lastError("WaitForSingleObject");
    },
    close() {
      k32.CloseHandle(handle);
    },
  });

  return {
    openForMetadata(path, withSacl) {
      const access = fileApi.READ_CONTROL | fileApi.FILE_READ_ATTRIBUTES |
        (withSacl ? fileApi.ACCESS_SYSTEM_SECURITY : 0);
      const opened = createFile(
        path,
        access,
        everyShare,
        fileApi.OPEN_EXISTING,
        fileApi.FILE_FLAG_OPEN_REPARSE_POINT | fileApi.FILE_FLAG_BACKUP_SEMANTICS,
      );
      return opened.ok ? ok(metadataHandle(opened.value)) : opened;
    },
    findStreams(path, maxRecords) {
      const first = new Uint8Array(win32FindStreamData.size);
      const find = validHandle(
        k32.FindFirstStreamW(encodeUtf16z(path), findStreamInfoStandard, first, 0),
      );
      if (find === undefined) return lastError(`FindFirstStreamW(${path})`);
      try {
        const records = [first];
        while (records.length < maxRecords) {
          const next = new Uint8Array(win32FindStreamData.size);
          if (!k32.FindNextStreamW(find, next)) {
            const code = k32.GetLastError();
            if (code === win32Error.ERROR_HANDLE_EOF) break;
            return fail(`FindNextStreamW(${path})`, code);
          }
          records.push(next);
        }
        return ok(records);
      } finally {
        k32.FindClose(find);
      }
    },
    readStream(streamPath, maxBytes) {
      return withFile(
        streamPath,
        fileApi.GENERIC_READ,
        fileApi.OPEN_EXISTING,
        fileApi.FILE_FLAG_BACKUP_SEMANTICS,
        (handle) => {
          const chunks: Uint8Array[] = [];
          let total = 0;
          const read = new Uint32Array(1);
          while (total <= maxBytes) {
            const chunk = new Uint8Array(Math.min(readChunkBytes, maxBytes + 1 - total));
            if (!k32.ReadFile(handle, chunk, chunk.length, new Uint8Array(read.buffer), null)) {
              return lastError(`ReadFile(${streamPath})`);
            }
            if (read[0] === 0) break;
            chunks.push(chunk.subarray(0, read[0]!));
            total += read[0]!;
          }
          const bytes = new Uint8Array(total);
          let at = 0;
          for (const chunk of chunks) {
            bytes.set(chunk, at);
            at += chunk.length;
          }
          return ok(bytes);
        },
      );
    },
    writeStream(streamPath, bytes) {
      return withFile(
        streamPath,
        fileApi.GENERIC_WRITE,
        fileApi.CREATE_ALWAYS,
        fileApi.FILE_FLAG_BACKUP_SEMANTICS,
        (handle) => {
          const written = new Uint32Array(1);
          let at = 0;
          while (at < bytes.length) {
            const part = bytes.subarray(at, at + readChunkBytes);
            if (!k32.WriteFile(handle, part, part.length, new Uint8Array(written.buffer), null)) {
              return lastError(`WriteFile(${streamPath})`);
            }
            if (written[0] === 0) return fail(`WriteFile(${streamPath}) wrote nothing`, 0);
            at += written[0]!;
          }
          return ok(undefined);
        },
      );
    },
    lookupPrivilegeValue(name) {
      const luid = new Uint8Array(8);
      if (!adv.LookupPrivilegeValueW(null, encodeUtf16z(name), luid)) {
        return lastError(`LookupPrivilegeValueW(${name})`);
      }
      return ok(luid);
    },
    adjustTokenPrivileges(tokenPrivileges) {
      const token = pointerOut();
      if (
        !adv.OpenProcessToken(
          k32.GetCurrentProcess(),
          securityApi.TOKEN_ADJUST_PRIVILEGES | securityApi.TOKEN_QUERY,
          token.bytes,
        )
      ) return lastError("OpenProcessToken");
      const handle = token.read();
      try {
        if (
          !adv.AdjustTokenPrivileges(
            handle,
            0,
            tokenPrivileges,
            tokenPrivileges.byteLength,
            null,
            null,
          )
        ) return lastError("AdjustTokenPrivileges");
        return ok({ notAllAssigned: k32.GetLastError() === win32Error.ERROR_NOT_ALL_ASSIGNED });
      } finally {
        if (handle !== null) k32.CloseHandle(handle);
      }
    },
    setFileSecurity(path, sddl, info) {
      const descriptor = pointerOut();
      if (
        !adv.ConvertStringSecurityDescriptorToSecurityDescriptorW(
          encodeUtf16z(sddl),
          securityApi.SDDL_REVISION_1,
          descriptor.bytes,
          null,
        )
      ) return lastError("ConvertStringSecurityDescriptorToSecurityDescriptorW");
      const sd = descriptor.read();
      try {
        return adv.SetFileSecurityW(encodeUtf16z(path), info, sd)
          ? ok(undefined)
          : lastError(`SetFileSecurityW(${path})`);
      } finally {
        if (sd !== null) k32.LocalFree(sd);
      }
    },
    setFileTime(path, creation, access, write) {
      return withFile(
        path,
        fileApi.FILE_WRITE_ATTRIBUTES,
        fileApi.OPEN_EXISTING,
        fileApi.FILE_FLAG_BACKUP_SEMANTICS | fileApi.FILE_FLAG_OPEN_REPARSE_POINT,
        (handle) =>
          k32.SetFileTime(handle, creation, access, write)
            ? ok(undefined)
            : lastError(`SetFileTime(${path})`),
      );
    },
    basicInfo(path) {
      return withFile(
        path,
        fileApi.FILE_READ_ATTRIBUTES,
        fileApi.OPEN_EXISTING,
        fileApi.FILE_FLAG_BACKUP_SEMANTICS | fileApi.FILE_FLAG_OPEN_REPARSE_POINT,
        (handle) => {
          const bytes = new Uint8Array(fileBasicInfo.size);
          return k32.GetFileInformationByHandleEx(handle, fileBasicInfoClass, bytes, bytes.length)
            ? ok(bytes)
            : lastError(`GetFileInformationByHandleEx(${path})`);
        },
      );
    },
    getFileAttributes(path) {
      const attributes = k32.GetFileAttributesW(encodeUtf16z(path));
      return attributes === fileApi.INVALID_FILE_ATTRIBUTES
        ? lastError(`GetFileAttributesW(${path})`)
        : ok(attributes);
    },
    setFileAttributes(path, attributes) {
      return k32.SetFileAttributesW(encodeUtf16z(path), attributes)
        ? ok(undefined)
        : lastError(`SetFileAttributesW(${path})`);
    },
    deleteFile(path) {
      return k32.DeleteFileW(encodeUtf16z(path))
        ? ok(undefined)
        : lastError(`DeleteFileW(${path})`);
    },
    moveFileDelayUntilReboot(path) {
      return k32.MoveFileExW(encodeUtf16z(path), null, fileApi.MOVEFILE_DELAY_UNTIL_REBOOT)
        ? ok(undefined)
        : lastError(`MoveFileExW(${path})`);
    },
    pendingFileRenameOperations() {
      let size = 64 * 1024;
      while (size <= maxPendingRenameBytes) {
        const bytes = new Uint8Array(size);
        const length = new Uint32Array([size]);
        const status = adv.RegGetValueW(
          Deno.UnsafePointer.create(hkeyLocalMachine),
          encodeUtf16z(sessionManagerKey),
          encodeUtf16z(pendingFileRenameOperations),
          rrfRtRegMultiSz,
          null,
          bytes,
          new Uint8Array(length.buffer),
        );
        if (status === win32Error.ERROR_FILE_NOT_FOUND) return ok(undefined);
        if (status === win32Error.ERROR_MORE_DATA) {
          size = Math.max(size * 2, length[0]!);
          continue;
        }
        if (status !== 0) return fail(`RegGetValueW(${pendingFileRenameOperations})`, status);
        return ok(bytes.subarray(0, length[0]!));
      }
      return fail(
        `RegGetValueW(${pendingFileRenameOperations}) needs more than ${maxPendingRenameBytes} bytes`,
        win32Error.ERROR_MORE_DATA,
      );
    },
    driveType(root) {
      return k32.GetDriveTypeW(encodeUtf16z(root));
    },
    openProcess(pid) {
      const handle = k32.OpenProcess(processAccess, 0, pid);
      return handle === null ? lastError(`OpenProcess(${pid})`) : ok(processHandle(handle));
    },
    close() {
      advapi32.close();
      kernel32.close();
    },
  };
}
