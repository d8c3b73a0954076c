/**
 * What the Windows process source asks of the operating system, as an
 * interface: the FFI implementation (windows_source.ts) answers on Windows,
 * and tests answer with recorded bytes and strings (windows_records_test.ts).
 *
 * @module
 */

/** A call that failed: the Win32 or NTSTATUS error in words, and whether access was denied. */
export interface ApiFailure {
  readonly error: string;
  readonly denied: boolean;
}

/** The answer of a call: its value or its failure. */
export type ApiResult<T> = T | ApiFailure;

/** Whether a result is a failure. */
export function isFailure<T>(result: ApiResult<T>): result is ApiFailure {
  return typeof result === "object" && result !== null && "error" in result && "denied" in result;
}

/** The handles of one process, opened for duplication. */
export interface HandleQuery {
  /** The type name of a handle's object (`Mutant`, `File`, `Key`…); cached by type index by the caller. */
  typeName(handleValue: bigint): ApiResult<string>;
  /**
   * The object's name, asked on a worker that is abandoned after
   * `timeoutMs` (`NtQueryObject` can block for ever): `timeout` then.
   */
  objectName(handleValue: bigint, timeoutMs: number): Promise<ApiResult<string> | "timeout">;
  close(): void;
}

/** The calls of the Windows process source. */
export interface WindowsProcessApi {
  /** `NtQuerySystemInformation(SystemProcessInformation)`: the buffer and its address. */
  systemProcesses(): ApiResult<{ bytes: Uint8Array; base: bigint }>;
  /** `QueryFullProcessImageNameW` with `PROCESS_QUERY_LIMITED_INFORMATION`. */
  imagePath(pid: number): ApiResult<string>;
  /** `NtQueryInformationProcess(ProcessCommandLineInformation)`. */
  commandLine(pid: number): ApiResult<string>;
  /** `OpenProcessToken` + `GetTokenInformation(TokenUser)` + `LookupAccountSidW`. */
  user(pid: number): ApiResult<{ username?: string; sid: string }>;
  /**
   * `OpenProcessToken` + `GetTokenInformation(TokenPrivileges)` +
   * `LookupPrivilegeNameW`: the names of the privileges enabled in the token
   * (`SE_PRIVILEGE_ENABLED`), in the token's order.
   */
  privileges(pid: number): ApiResult<string[]>;
  /** `NtQuerySystemInformation(SystemExtendedHandleInformation)`, grown to its cap. */
  systemHandles(): ApiResult<Uint8Array>;
  /** Opens a process with `PROCESS_DUP_HANDLE` to query its handles. */
  openHandles(pid: number): ApiResult<HandleQuery>;
  /** Releases what the API holds (the name worker, the libraries). */
  close(): void;
}
