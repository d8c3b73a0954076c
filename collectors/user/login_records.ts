/**
 * Pure decoders of the Linux login records: `/var/log/lastlog` (struct
 * lastlog, one 292-byte slot per uid: a 4-byte time, a 32-byte line, a
 * 256-byte host) and `wtmp` (struct utmp, 384-byte records, lastlog(8),
 * utmp(5); glibc's layout on x86-64 and aarch64, with 32-bit times).
 *
 * @module
 */

/** The size of one lastlog slot. */
export const lastlogRecordSize = 292;
/** The size of one utmp record. */
export const utmpRecordSize = 384;
/** `ut_type` of a user's login. */
export const utmpUserProcess = 7;

const utmpTypeOffset = 0;
const utmpUserOffset = 44;
const utmpUserSize = 32;
const utmpSecondsOffset = 340;
const lastlogLineOffset = 4;
const lastlogLineSize = 32;
const lastlogHostOffset = 36;
const lastlogHostSize = 256;

/** One lastlog slot. */
export interface LastlogEntry {
  /** Seconds since the epoch; 0 means never. */
  readonly time: number;
  readonly line: string;
  readonly host: string;
}

function cString(bytes: Uint8Array, offset: number, size: number): string {
  const field = bytes.subarray(offset, offset + size);
  const end = field.indexOf(0);
  return new TextDecoder().decode(end < 0 ? field : field.subarray(0, end));
}

/** Decodes one lastlog slot; undefined when `bytes` is shorter than a slot. */
export function decodeLastlogEntry(bytes: Uint8Array): LastlogEntry | undefined {
  if (bytes.byteLength < lastlogRecordSize) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    time: view.getUint32(0, true),
    line: cString(bytes, lastlogLineOffset, lastlogLineSize),
    host: cString(bytes, lastlogHostOffset, lastlogHostSize),
  };
}

/**
 * The latest login of each user name in whole utmp records (a partial
 * record at the end is ignored): user-process records only, their time in
 * seconds since the epoch.
 */
export function latestLogins(bytes: Uint8Array): Map<string, number> {
  const latest = new Map<string, number>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + utmpRecordSize <= bytes.byteLength; at += utmpRecordSize) {
    if (view.getInt16(at + utmpTypeOffset, true) !== utmpUserProcess) continue;
    const user = cString(bytes, at + utmpUserOffset, utmpUserSize);
    const seconds = view.getUint32(at + utmpSecondsOffset, true);
    if (user === "" || seconds === 0) continue;
    if ((latest.get(user) ?? 0) < seconds) latest.set(user, seconds);
  }
  return latest;
}
