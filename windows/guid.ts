/**
 * GUIDs as Windows and GPT store them (`GUID`: a u32, two u16 little-endian,
 * then eight bytes as they are; "mixed endian"), one definition for the
 * partition-table parser and the Windows disk layouts.
 *
 * @module
 */

/** Bytes of a GUID. */
export const guidBytes = 16;

const hex = (byte: number) => byte.toString(16).padStart(2, "0");

/**
 * The lower-case text form of the 16-byte GUID at `offset`.
 *
 * @example
 * ```ts
 * import { decodeGuid } from "./guid.ts";
 * const bytes = new Uint8Array([0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,
 *   0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b]);
 * decodeGuid(bytes, 0); // "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"
 * ```
 */
export function decodeGuid(bytes: Uint8Array, offset: number): string {
  const b = (i: number) => bytes[offset + i] ?? 0;
  const order = [3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15];
  return order.map((i) => i < 0 ? "-" : hex(b(i))).join("");
}

/** The 16 bytes of a GUID's text form (the inverse of {@linkcode decodeGuid}). */
export function encodeGuid(text: string): Uint8Array {
  const digits = text.replaceAll("-", "");
  if (!/^[0-9a-fA-F]{32}$/.test(digits)) throw new Error(`not a GUID: ${text}`);
  const raw = Array.from(
    { length: guidBytes },
    (_, i) => parseInt(digits.slice(i * 2, i * 2 + 2), 16),
  );
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return Uint8Array.from(order.map((i) => raw[i]!));
}

/** Whether the 16 bytes at `offset` are all zero (an unused GPT entry). */
export function isZeroGuid(bytes: Uint8Array, offset: number): boolean {
  for (let i = 0; i < guidBytes; i++) if ((bytes[offset + i] ?? 0) !== 0) return false;
  return true;
}
