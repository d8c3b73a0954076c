/**
 * The value `MoveFileExW(…, MOVEFILE_DELAY_UNTIL_REBOOT)` writes:
 * `HKLM\SYSTEM\CurrentControlSet\Control\Session Manager`
 * `PendingFileRenameOperations`, a `REG_MULTI_SZ` of source and target pairs
 * in NT form (`\??\C:\x.exe`); an EMPTY target means "delete at boot", so
 * the list holds empty strings and a decoder that stops at the first empty
 * string (as a plain `REG_MULTI_SZ` reader does) loses every pair after the
 * first delete. Session Manager reads it after autochk, before the paging
 * files. A pure decoder, tested on bytes built by code.
 *
 * @module
 */

/** Where the value lives, below `HKEY_LOCAL_MACHINE`. */
export const sessionManagerKey = "SYSTEM\\CurrentControlSet\\Control\\Session Manager";

/** The value's name. */
export const pendingFileRenameOperations = "PendingFileRenameOperations";

/** `RegGetValueW`'s `RRF_RT_REG_MULTI_SZ`. */
export const rrfRtRegMultiSz = 0x0000_0020;

/** The most bytes of the value read (installers can leave long lists; 4 MiB is far beyond any). */
export const maxPendingRenameBytes = 4 << 20;

/** One scheduled operation. */
export interface PendingRename {
  /** `\??\C:\dir\file`. */
  readonly source: string;
  /** Empty for a delete; a leading `!` means "replace an existing target". */
  readonly target: string;
}

/**
 * Decodes the value's bytes (UTF-16LE, `byteLength` as the registry gave
 * it) into pairs, empty targets kept. A source without its target at the
 * very end (a damaged value) is kept as a delete.
 *
 * @example
 * ```ts
 * import { decodePendingRenames } from "./pending_renames.ts";
 * const text = "\\??\\C:\\a.exe\0\0\\??\\C:\\b.tmp\0!\\??\\C:\\b.dll\0\0";
 * const bytes = new Uint8Array(new Uint16Array([...text].map((c) => c.charCodeAt(0))).buffer);
 * decodePendingRenames(bytes);
 * // [{ source: "\\??\\C:\\a.exe", target: "" }, { source: "\\??\\C:\\b.tmp", target: "!\\??\\C:\\b.dll" }]
 * ```
 */
export function decodePendingRenames(bytes: Uint8Array): PendingRename[] {
  const units = new Uint16Array(bytes.byteLength >> 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < units.length; i++) units[i] = view.getUint16(i * 2, true);
  const strings: string[] = [];
  let start = 0;
  for (let at = 0; at < units.length; at++) {
    if (units[at] !== 0) continue;
    strings.push(String.fromCharCode(...units.subarray(start, at)));
    start = at + 1;
  }
  if (start < units.length) strings.push(String.fromCharCode(...units.subarray(start)));
  // The list's final NUL leaves one empty string past the last pair; a source never is empty.
  while (strings.length > 0 && strings.length % 2 === 1 && strings.at(-1) === "") strings.pop();
  const pairs: PendingRename[] = [];
  for (let i = 0; i < strings.length; i += 2) {
    const source = strings[i]!;
    if (source === "") continue;
    pairs.push({ source, target: strings[i + 1] ?? "" });
  }
  return pairs;
}
