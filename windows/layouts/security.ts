/**
 * The constants and layouts of the security calls the quarantine's Windows
 * platform makes: the `SECURITY_INFORMATION` bits (`GetSecurityInfo`,
 * `SetFileSecurityW`, the SDDL conversions), `SE_FILE_OBJECT`,
 * `SDDL_REVISION_1`, the privileges it enables, the well-known SIDs it
 * compares with, and the `TOKEN_PRIVILEGES` that `AdjustTokenPrivileges`
 * reads (the layout of token.ts, one definition of its offsets). Not yet
 * checked against a live Windows.
 *
 * @module
 */
import { luidAndAttributes, tokenApi, tokenPrivileges } from "./token.ts";

/** `SECURITY_INFORMATION` bits. */
export const securityInformation = {
  OWNER: 0x0000_0001,
  GROUP: 0x0000_0002,
  DACL: 0x0000_0004,
  /** Audit ACEs: reading and writing need SeSecurityPrivilege (`ACCESS_SYSTEM_SECURITY`). */
  SACL: 0x0000_0008,
  /** The mandatory integrity label (an `ML` ACE in the SACL): no privilege needed to read it. */
  LABEL: 0x0000_0010,
} as const;

/** The constants of the security calls. */
export const securityApi = {
  /** `SE_OBJECT_TYPE` SE_FILE_OBJECT. */
  SE_FILE_OBJECT: 1,
  /** The only SDDL revision. */
  SDDL_REVISION_1: 1,
  /** `OpenProcessToken` access to enable a privilege. */
  TOKEN_ADJUST_PRIVILEGES: 0x0020,
  TOKEN_QUERY: 0x0008,
} as const;

/** The privileges the platform enables, by their names (`LookupPrivilegeValueW`). */
export const privilegeName = {
  /** Sets any owner, writes past the DACL with backup semantics: restore. */
  restore: "SeRestorePrivilege",
  /** Reads and writes the SACL. */
  security: "SeSecurityPrivilege",
  /** Reads past the DACL with backup semantics. */
  backup: "SeBackupPrivilege",
} as const;

/** The SIDs compared with. */
export const wellKnownSid = {
  /** `NT SERVICE\TrustedInstaller`: owns the files Windows Resource Protection keeps. */
  trustedInstaller: "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464",
} as const;

/**
 * `TOKEN_PRIVILEGES` with one `LUID_AND_ATTRIBUTES`, enabled
 * (`SE_PRIVILEGE_ENABLED`), as `AdjustTokenPrivileges` reads it;
 * `decodeTokenPrivileges` (token.ts) reads it back.
 */
export function encodeEnablePrivilege(luid: bigint): Uint8Array {
  const bytes = new Uint8Array(tokenPrivileges.privileges + luidAndAttributes.size);
  const view = new DataView(bytes.buffer);
  const at = tokenPrivileges.privileges;
  view.setUint32(tokenPrivileges.privilegeCount, 1, true);
  view.setUint32(at + luidAndAttributes.lowPart, Number(luid & 0xffff_ffffn), true);
  view.setInt32(at + luidAndAttributes.highPart, Number(BigInt.asIntN(32, luid >> 32n)), true);
  view.setUint32(at + luidAndAttributes.attributes, tokenApi.sePrivilegeEnabled, true);
  return bytes;
}

/** A `LUID` (`LookupPrivilegeValueW`'s 8 bytes: `LowPart`, `HighPart`) as one number. */
export function decodeLuid(bytes: Uint8Array): bigint {
  if (bytes.byteLength < 8) throw new RangeError(`a LUID needs 8 bytes, ${bytes.byteLength} given`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const low = BigInt(view.getUint32(0, true));
  const high = BigInt(view.getInt32(4, true));
  return BigInt.asUintN(64, (high << 32n) | low);
}
