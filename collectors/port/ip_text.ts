/**
 * Addresses of the connection tables as text: bytes in network order (Windows
 * tables) or the hex words of `/proc/net/tcp` (host byte order per 32-bit
 * word, IPv6 too) to the engine's canonical spelling (RFC 5952 for IPv6).
 * An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, a dual-stack socket talking
 * IPv4) is written as the IPv4 address, as the engine compares it, so that
 * `remoteIP contains "103.41.124."` finds a peer reached over an IPv6 socket.
 *
 * @example
 * ```ts
 * import { procNetAddress } from "./ip_text.ts";
 * procNetAddress("0100007F", true); // "127.0.0.1"
 * ```
 *
 * @module
 */
import { canonicalIp } from "../../engine/value_types.ts";

/** Whether this machine stores integers little-endian (how /proc/net prints its words). */
export const hostLittleEndian: boolean = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The text of an address given as 4 or 16 bytes in network order. */
export function addressText(bytes: Uint8Array): string {
  if (bytes.byteLength === 4) return [...bytes].join(".");
  const groups: string[] = [];
  for (let at = 0; at + 1 < bytes.byteLength; at += 2) {
    groups.push(((bytes[at]! << 8) | bytes[at + 1]!).toString(16));
  }
  const joined = groups.join(":");
  return canonicalIp(joined) ?? joined;
}

/**
 * The address of a `/proc/net/{tcp,udp}[6]` column (`0100007F`, or 32 hex
 * digits for IPv6): each 32-bit word is printed in host byte order.
 * Undefined when the text is not 8 or 32 hex digits.
 */
export function procNetAddress(
  hex: string,
  littleEndian: boolean = hostLittleEndian,
): string | undefined {
  if (!/^(?:[0-9A-Fa-f]{8}|[0-9A-Fa-f]{32})$/.test(hex)) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let word = 0; word < hex.length / 8; word++) {
    for (let index = 0; index < 4; index++) {
      const value = parseInt(hex.slice(word * 8 + index * 2, word * 8 + index * 2 + 2), 16);
      bytes[word * 4 + (littleEndian ? 3 - index : index)] = value;
    }
  }
  return addressText(bytes);
}
