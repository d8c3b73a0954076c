/**
 * The Win32 error codes (`GetLastError`, a registry call's status) that
 * iocscan acts on, by name, and how a code is written in words. One
 * definition: the quarantine's Windows platform branches on these.
 *
 * @module
 */

/** The Win32 error codes acted on. */
export const win32Error = {
  ERROR_SUCCESS: 0,
  ERROR_FILE_NOT_FOUND: 2,
  ERROR_PATH_NOT_FOUND: 3,
  ERROR_ACCESS_DENIED: 5,
  ERROR_INVALID_HANDLE: 6,
  ERROR_SHARING_VIOLATION: 32,
  ERROR_LOCK_VIOLATION: 33,
  /** `FindNextStreamW`: no more streams (also `FindFirstStreamW` on an object without any). */
  ERROR_HANDLE_EOF: 38,
  ERROR_NOT_SUPPORTED: 50,
  ERROR_BAD_NETPATH: 53,
  ERROR_INVALID_PARAMETER: 87,
  ERROR_INSUFFICIENT_BUFFER: 122,
  ERROR_MORE_DATA: 234,
  ERROR_DELETE_PENDING: 303,
  /** `AdjustTokenPrivileges` succeeded but the token does not hold the privilege. */
  ERROR_NOT_ALL_ASSIGNED: 1300,
  /** The SID cannot be a file's owner (without SeRestorePrivilege). */
  ERROR_INVALID_OWNER: 1307,
  ERROR_PRIVILEGE_NOT_HELD: 1314,
  ERROR_INVALID_SID: 1337,
  ERROR_INVALID_SECURITY_DESCR: 1338,
} as const;

const names: ReadonlyMap<number, string> = new Map(
  Object.entries(win32Error).map(([name, code]) => [code, name]),
);

/**
 * A Win32 error in words: `Win32 error 32 (ERROR_SHARING_VIOLATION)`, the
 * number alone for a code not in {@linkcode win32Error}.
 *
 * @example
 * ```ts
 * import { win32ErrorText } from "./win32_errors.ts";
 * win32ErrorText(5); // "Win32 error 5 (ERROR_ACCESS_DENIED)"
 * ```
 */
export function win32ErrorText(code: number): string {
  const name = names.get(code);
  return name === undefined ? `Win32 error ${code}` : `Win32 error ${code} (${name})`;
}
