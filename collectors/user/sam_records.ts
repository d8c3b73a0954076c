/**
 * Pure decoders of the SAM hive's account records: the `F` value of
 * `SAM\Domains\Account\Users\<RID>` (times, RID, account control flags) and
 * its `V` value (a table of offset/length pairs into UTF-16 strings: user
 * name, full name, comment, home directory, script path), and the machine
 * SID in `SAM\Domains\Account`'s `V`. Layouts as documented by the forensic
 * tools that read them (RegRipper's samparse, Velociraptor's SAM parser);
 * every offset is checked against the value's length.
 *
 * @module
 */

/** The user's fixed record (`F`). */
export interface SamUserFixed {
  /** Last logon, ISO 8601 UTC; undefined when never. */
  readonly lastLogin?: string;
  /** When the password was last set, as FILETIME seconds since the epoch; undefined when never. */
  readonly passwordLastSetSeconds?: number;
  readonly rid: number;
  /** The account control bits (`ACB_*`). */
  readonly flags: number;
}

/** The user's variable record (`V`). */
export interface SamUserVariable {
  readonly username: string;
  /** Undefined (here and below) when its entry points outside the value: not read, not empty. */
  readonly fullName?: string;
  readonly comment?: string;
  readonly homeDirectory?: string;
  readonly scriptPath?: string;
}

/** The account control bits iocscan reads. */
export const accountControl = {
  disabled: 0x0001,
  passwordNotRequired: 0x0004,
  autoLocked: 0x0400,
} as const;

/** The length an `F` value has. */
export const samFixedLength = 0x50;
const fixedOffsets = { lastLogin: 0x08, passwordLastSet: 0x18, rid: 0x30, flags: 0x38 } as const;
/** The `V` value's table of entries (offset, length, unknown), then the data at `0xCC`. */
const variableDataStart = 0xcc;
const variableEntrySize = 12;
const variableEntries = {
  username: 1,
  fullName: 2,
  comment: 3,
  homeDirectory: 6,
  scriptPath: 8,
} as const;
/** FILETIME ticks between 1601-01-01 and 1970-01-01. */
const epochDifference = 116_444_736_000_000_000n;
const ticksPerSecond = 10_000_000n;
/** The largest FILETIME taken as a time (`0x7FFF…` means never/not set). */
const neverFiletime = 0x7fff_ffff_ffff_ffffn;

/** A FILETIME as seconds since the epoch, or undefined for 0 and "never". */
export function filetimeSeconds(ticks: bigint): number | undefined {
  if (ticks <= epochDifference || ticks >= neverFiletime) return undefined;
  return Number((ticks - epochDifference) / ticksPerSecond);
}

/** Decodes `F`; undefined when it is shorter than the record. */
export function decodeSamFixed(bytes: Uint8Array): SamUserFixed | undefined {
  if (bytes.byteLength < samFixedLength) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lastLogin = filetimeSeconds(view.getBigUint64(fixedOffsets.lastLogin, true));
  const passwordLastSetSeconds = filetimeSeconds(
    view.getBigUint64(fixedOffsets.passwordLastSet, true),
  );
  return {
    ...(lastLogin === undefined ? {} : { lastLogin: new Date(lastLogin * 1000).toISOString() }),
    ...(passwordLastSetSeconds === undefined ? {} : { passwordLastSetSeconds }),
    rid: view.getUint32(fixedOffsets.rid, true),
    flags: view.getUint16(fixedOffsets.flags, true),
  };
}

/**
 * Decodes `V`; undefined when its table or the user name lies outside it.
 * Another entry that lies outside it is left out of the result.
 */
export function decodeSamVariable(bytes: Uint8Array): SamUserVariable | undefined {
  if (bytes.byteLength < variableDataStart) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder("utf-16le");
  const field = (index: number): string | undefined => {
    const offset = view.getUint32(index * variableEntrySize, true);
    const length = view.getUint32(index * variableEntrySize + 4, true);
    const start = variableDataStart + offset;
    if (length === 0) return "";
    if (length % 2 !== 0 || start + length > bytes.byteLength) return undefined;
    return decoder.decode(bytes.subarray(start, start + length));
  };
  const username = field(variableEntries.username);
  if (username === undefined || username === "") return undefined;
  const fullName = field(variableEntries.fullName);
  const comment = field(variableEntries.comment);
  const homeDirectory = field(variableEntries.homeDirectory);
  const scriptPath = field(variableEntries.scriptPath);
  return {
    username,
    ...(fullName === undefined ? {} : { fullName }),
    ...(comment === undefined ? {} : { comment }),
    ...(homeDirectory === undefined ? {} : { homeDirectory }),
    ...(scriptPath === undefined ? {} : { scriptPath }),
  };
}

/** The head of a machine SID (`S-1-5-21-…`, four sub-authorities) in binary. */
const machineSidHead = [1, 4, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0];

/**
 * The machine SID (`S-1-5-21-a-b-c`) held in `SAM\Domains\Account`'s `V`:
 * the last binary SID of that form in the value; undefined when none.
 */
export function machineSidOf(bytes: Uint8Array): string | undefined {
  const size = machineSidHead.length + 12;
  for (let at = bytes.byteLength - size; at >= 0; at--) {
    if (!machineSidHead.every((byte, i) => bytes[at + i] === byte)) continue;
    const view = new DataView(bytes.buffer, bytes.byteOffset + at + machineSidHead.length, 12);
    const parts = [0, 4, 8].map((offset) => view.getUint32(offset, true));
    return `S-1-5-21-${parts.join("-")}`;
  }
  return undefined;
}
