/**
 * What the quarantine's Windows platform asks of the operating system, as an
 * interface: the FFI implementation (windows_ffi.ts: kernel32 and advapi32
 * over `Deno.dlopen`) answers on Windows, and tests answer with recorded
 * results and bytes built by code (`_recorded_windows_api.ts`). Each method
 * is one call, or the few calls that only make sense together (open, ask,
 * free); structures come back as their bytes, decoded by
 * windows/layouts/, so the layouts are exercised by every test.
 *
 * @module
 */

/** A call's answer: its value, or the Win32 error it failed with. */
export type Win32Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: number; readonly error: string };

/**
 * A file opened with `CreateFileW(READ_CONTROL | FILE_READ_ATTRIBUTES [|
 * ACCESS_SYSTEM_SECURITY], every share mode, OPEN_EXISTING,
 * FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS)`: the link or
 * reparse point itself, never what it points to.
 */
export interface MetadataHandle {
  /** `GetFileInformationByHandle`: the `BY_HANDLE_FILE_INFORMATION` bytes. */
  fileInformation(): Win32Result<Uint8Array>;
  /**
   * `GetSecurityInfo(SE_FILE_OBJECT, info)` +
   * `ConvertSecurityDescriptorToStringSecurityDescriptorW(SDDL_REVISION_1, info)`
   * + `LocalFree`: the descriptor's parts named by `info` as SDDL.
   */
  securityDescriptor(info: number): Win32Result<string>;
  /** `CloseHandle`. */
  close(): void;
}

/** A process opened with `OpenProcess(PROCESS_TERMINATE | PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE)`. */
export interface ProcessHandle {
  /** `QueryFullProcessImageNameW(0)`: the image's Win32 path. */
  imagePath(): Win32Result<string>;
  /** `TerminateProcess`. */
  terminate(exitCode: number): Win32Result<void>;
  /** `WaitForSingleObject`: true when the process has ended within `ms`. */
  waitForExit(ms: number): Win32Result<boolean>;
  /** `CloseHandle`. */
  close(): void;
}

/** The calls of the Windows quarantine platform. Paths are given as win32ApiPath() makes them. */
export interface WindowsQuarantineApi {
  /** `CreateFileW` for metadata (see {@linkcode MetadataHandle}); `withSacl` adds `ACCESS_SYSTEM_SECURITY`. */
  openForMetadata(path: string, withSacl: boolean): Win32Result<MetadataHandle>;
  /**
   * `FindFirstStreamW(FindStreamInfoStandard)` + `FindNextStreamW` until
   * `ERROR_HANDLE_EOF` + `FindClose`: each `WIN32_FIND_STREAM_DATA`, the main
   * stream's too, at most `maxRecords` (a longer list is cut there: the
   * caller asks for one more than it keeps to know).
   */
  findStreams(path: string, maxRecords: number): Win32Result<Uint8Array[]>;
  /**
   * `CreateFileW(path:name:$DATA, GENERIC_READ, FILE_SHARE_READ)` + `ReadFile`
   * until the end or `maxBytes + 1` bytes (one more than allowed tells the
   * stream is larger) + `CloseHandle`.
   */
  readStream(streamPath: string, maxBytes: number): Win32Result<Uint8Array>;
  /** `CreateFileW(path:name:$DATA, GENERIC_WRITE, CREATE_ALWAYS)` + `WriteFile` + `CloseHandle`. */
  writeStream(streamPath: string, bytes: Uint8Array): Win32Result<void>;
  /** `LookupPrivilegeValueW(NULL, name)`: the privilege's `LUID`, 8 bytes. */
  lookupPrivilegeValue(name: string): Win32Result<Uint8Array>;
  /**
   * `OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY)`
   * + `AdjustTokenPrivileges(tokenPrivileges)` + `GetLastError`: success, with
   * `notAllAssigned` when the token does not hold a privilege
   * (`ERROR_NOT_ALL_ASSIGNED`).
   */
  adjustTokenPrivileges(tokenPrivileges: Uint8Array): Win32Result<{ notAllAssigned: boolean }>;
  /**
   * `ConvertStringSecurityDescriptorToSecurityDescriptorW(SDDL_REVISION_1)` +
   * `SetFileSecurityW(path, info)` + `LocalFree`: the parts named by `info`.
   */
  setFileSecurity(path: string, sddl: string, info: number): Win32Result<void>;
  /**
   * `CreateFileW(FILE_WRITE_ATTRIBUTES, FILE_FLAG_BACKUP_SEMANTICS)` +
   * `SetFileTime(creation, access, write)` (three `FILETIME`s, 8 bytes each) +
   * `CloseHandle`.
   */
  setFileTime(
    path: string,
    creation: Uint8Array,
    access: Uint8Array,
    write: Uint8Array,
  ): Win32Result<void>;
  /**
   * `CreateFileW(FILE_READ_ATTRIBUTES, FILE_FLAG_BACKUP_SEMANTICS)` +
   * `GetFileInformationByHandleEx(FileBasicInfo)` + `CloseHandle`: the
   * `FILE_BASIC_INFO` bytes.
   */
  basicInfo(path: string): Win32Result<Uint8Array>;
  /** `GetFileAttributesW`: `ERROR_FILE_NOT_FOUND` / `ERROR_PATH_NOT_FOUND` when there is no such file. */
  getFileAttributes(path: string): Win32Result<number>;
  /** `SetFileAttributesW`. */
  setFileAttributes(path: string, attributes: number): Win32Result<void>;
  /** `DeleteFileW`. */
  deleteFile(path: string): Win32Result<void>;
  /** `MoveFileExW(path, NULL, MOVEFILE_DELAY_UNTIL_REBOOT)`. */
  moveFileDelayUntilReboot(path: string): Win32Result<void>;
  /**
   * `RegGetValueW(HKEY_LOCAL_MACHINE, Session Manager,
   * PendingFileRenameOperations, RRF_RT_REG_MULTI_SZ)`: the value's bytes,
   * undefined when there is no such value.
   */
  pendingFileRenameOperations(): Win32Result<Uint8Array | undefined>;
  /** `GetDriveTypeW(root)`: `DRIVE_REMOTE` (4) for a network drive. */
  driveType(root: string): number;
  /** `OpenProcess(PROCESS_TERMINATE | PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE, FALSE, pid)`. */
  openProcess(pid: number): Win32Result<ProcessHandle>;
  /** Closes the libraries. */
  close(): void;
}
