/**
 * The `ss -K` filter that names every connection the isolation cuts: every socket whose peer is
 * neither loopback nor an allowed peer (with its port, when the rule has one; ss cannot pair a
 * prefix with a port, so connections to an allowed prefix are kept on every port).
 *
 * @example
 * ```ts
 * import { severFilter } from "./ss_filter.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(
 *   severFilter([{ address: "10.9.0.10", port: 8443, why: "" }, { address: "fd00::/8", why: "" }]),
 *   "not ( dst 127.0.0.0/8 or dst [::1] or dst 10.9.0.10:8443 or dst fd00::/8 )",
 * );
 * ```
 *
 * @module
 */
import { isIP } from "node:net";
import type { AllowRule } from "./contract.ts";

/** Loopback peers, never cut. */
const LOOPBACK = ["127.0.0.0/8", "[::1]"];

/** The filter expression (ss(8) FILTER) of the connections to cut. */
export function severFilter(allow: readonly AllowRule[]): string {
  const kept = [...LOOPBACK, ...allow.map(peerOf)];
  return `not ( ${kept.map((peer) => `dst ${peer}`).join(" or ")} )`;
}

/** ss spells an IPv6 address in brackets, but a prefix bare (`[fd00::1]:443`, `fd00::/8`). */
function peerOf(rule: AllowRule): string {
  if (rule.address.includes("/")) return rule.address;
  const host = isIP(rule.address) === 6 ? `[${rule.address}]` : rule.address;
  return rule.port === undefined ? host : `${host}:${rule.port}`;
}
