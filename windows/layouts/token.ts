/**
 * The byte layout of `TOKEN_PRIVILEGES`, the answer of
 * `GetTokenInformation(TokenPrivileges)`: a `DWORD PrivilegeCount`, then that
 * many `LUID_AND_ATTRIBUTES` (`LUID { DWORD LowPart; LONG HighPart; }`, then
 * `DWORD Attributes`: 12 bytes, 4-aligned, so the array starts at 4 on x86 and
 * x64 alike). A pure decoder, tested on bytes built by code; the FFI source
 * (collectors/process/windows_source.ts) names each LUID with
 * `LookupPrivilegeNameW`.
 *
 * @module
 */

/** `TOKEN_PRIVILEGES`, the offsets read. */
export const tokenPrivileges = {
  privilegeCount: 0x00,
  /** The first `LUID_AND_ATTRIBUTES`. */
  privileges: 0x04,
} as const;

/** `LUID_AND_ATTRIBUTES`. */
export const luidAndAttributes = {
  size: 12,
  lowPart: 0x00,
  highPart: 0x04,
  attributes: 0x08,
} as const;

/** The calls' constants. */
export const tokenApi = {
  /** `TOKEN_INFORMATION_CLASS` TokenPrivileges. */
  tokenPrivileges: 3,
  /** `SE_PRIVILEGE_ENABLED`: the privilege is on (not merely held). */
  sePrivilegeEnabled: 0x00000002,
  /** `SE_PRIVILEGE_ENABLED_BY_DEFAULT`. */
  sePrivilegeEnabledByDefault: 0x00000001,
  /** A token holds about 35 privileges at most; 64 KiB is far more than any answer. */
  maxTokenPrivilegesBytes: 64 * 1024,
} as const;

/** One privilege of a token: its LUID (`HighPart << 32 | LowPart`) and attributes. */
export interface TokenPrivilege {
  readonly luid: bigint;
  readonly attributes: number;
}

/**
 * Decodes `TOKEN_PRIVILEGES`. Throws `RangeError` when the count claims more
 * entries than the bytes hold (a short or damaged answer is never read as a
 * shorter list).
 *
 * @example
 * ```ts
 * import { decodeTokenPrivileges } from "./token.ts";
 * const bytes = new Uint8Array(16);
 * const view = new DataView(bytes.buffer);
 * view.setUint32(0, 1, true); // one privilege
 * view.setUint32(4, 20, true); // LUID 20: SeDebugPrivilege
 * view.setUint32(12, 2, true); // SE_PRIVILEGE_ENABLED
 * decodeTokenPrivileges(bytes); // [{ luid: 20n, attributes: 2 }]
 * ```
 */
export function decodeTokenPrivileges(bytes: Uint8Array): TokenPrivilege[] {
  if (bytes.byteLength < tokenPrivileges.privileges) {
    throw new RangeError(`TOKEN_PRIVILEGES of ${bytes.byteLength} bytes has no count`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(tokenPrivileges.privilegeCount, true);
  const end = tokenPrivileges.privileges + count * luidAndAttributes.size;
  if (end > bytes.byteLength) {
    throw new RangeError(
      `TOKEN_PRIVILEGES claims ${count} privileges: ${end} bytes, ${bytes.byteLength} given`,
    );
  }
  const out: TokenPrivilege[] = [];
  for (let i = 0; i < count; i++) {
    const at = tokenPrivileges.privileges + i * luidAndAttributes.size;
    const low = BigInt(view.getUint32(at + luidAndAttributes.lowPart, true));
    const high = BigInt(view.getInt32(at + luidAndAttributes.highPart, true));
    out.push({
      luid: BigInt.asUintN(64, (high << 32n) | low),
      attributes: view.getUint32(at + luidAndAttributes.attributes, true),
    });
  }
  return out;
}

/** The privileges that are enabled (`SE_PRIVILEGE_ENABLED`), not merely held. */
export function enabledPrivileges(privileges: readonly TokenPrivilege[]): TokenPrivilege[] {
  return privileges.filter((privilege) =>
    (privilege.attributes & tokenApi.sePrivilegeEnabled) !== 0
  );
}
