/**
 * Addresses an allow-list entry must not name, and the prefix arithmetic behind it: an
 * unspecified address (`0.0.0.0/8`, `::`), loopback (`127.0.0.0/8`, `::1`: always open, and a
 * self-test probe to it is answered by this host), multicast, the broadcast address, and
 * IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1` reaches the IPv4 address). A name an attacker's
 * DNS answers with one of these must not widen the isolation or fool the self-test; a prefix that
 * overlaps one of them (`0.0.0.0/0`, `::/0`) would open everything.
 *
 * @example
 * ```ts
 * import { inPrefix, specialRange } from "./special_addresses.ts";
 * specialRange("127.0.0.1"); // "loopback (127.0.0.0/8)"
 * specialRange("0.0.0.0/0"); // "unspecified (0.0.0.0/8)"
 * specialRange("10.0.0.0/8"); // undefined
 * inPrefix("10.1.2.3", "10.0.0.0/8"); // true
 * ```
 *
 * @module
 */
import { isIP } from "node:net";

/** The ranges refused, each with what it is. */
const SPECIAL_RANGES = [
  { prefix: "0.0.0.0/8", kind: "unspecified" },
  { prefix: "127.0.0.0/8", kind: "loopback" },
  { prefix: "224.0.0.0/4", kind: "multicast" },
  { prefix: "255.255.255.255/32", kind: "broadcast" },
  { prefix: "::/128", kind: "unspecified" },
  { prefix: "::1/128", kind: "loopback" },
  { prefix: "ff00::/8", kind: "multicast" },
  { prefix: "::ffff:0:0/96", kind: "IPv4-mapped" },
] as const;

/**
 * What special range an address or prefix is in or overlaps (`"loopback (127.0.0.0/8)"`);
 * undefined for an ordinary one.
 */
export function specialRange(addressOrPrefix: string): string | undefined {
  const found = SPECIAL_RANGES.find((range) => overlaps(addressOrPrefix, range.prefix));
  return found === undefined ? undefined : `${found.kind} (${found.prefix})`;
}

/** Whether `address` lies in `prefix` (an address alone is a prefix of its full length). */
export function inPrefix(address: string, prefix: string): boolean {
  const [base = "", lengthText] = prefix.split("/");
  if (isIP(base) !== isIP(address) || isIP(base) === 0) return false;
  const length = lengthText === undefined ? bitsOf(base).length : Number(lengthText);
  return bitsOf(base).slice(0, length) === bitsOf(address).slice(0, length);
}

/** Whether two prefixes (or addresses) share an address. */
function overlaps(first: string, second: string): boolean {
  const [firstBase = ""] = first.split("/");
  const [secondBase = ""] = second.split("/");
  return inPrefix(firstBase, second) || inPrefix(secondBase, first);
}

/** An address as its bits, `0`/`1` characters (32 for IPv4, 128 for IPv6). */
function bitsOf(address: string): string {
  if (isIP(address) === 4) {
    return address.split(".").map((part) => Number(part).toString(2).padStart(8, "0")).join("");
  }
  return groupsOf6(address).map((group) => parseInt(group, 16).toString(2).padStart(16, "0"))
    .join("");
}

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail becomes two). */
function groupsOf6(address: string): string[] {
  let text = address.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4 !== null) {
    const [a = 0, b = 0, c = 0, d = 0] = (v4[1] ?? "").split(".").map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${
      ((c << 8) | d).toString(16)
    }`;
  }
  const [head = "", tail] = text.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const fill = Array(Math.max(0, 8 - left.length - right.length)).fill("0");
  return [...left, ...(tail === undefined ? [] : fill), ...right];
}
