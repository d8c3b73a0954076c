/**
 * The check every stored allow-list rule passes again before it reaches `nft` or the `ss` filter
 * (the store and the local record are input too).
 *
 * @module
 */
import type { AllowRule } from "./contract.ts";
import { isAddressOrPrefix } from "./allow_spec.ts";
import { specialRange } from "./special_addresses.ts";

const MAX_PORT = 65_535;

/**
 * Whether `value` is an allow rule the plan could have made: an address or prefix that names no
 * special range (`special_addresses.ts`: `0.0.0.0/0`, loopback…), a `why`, an optional port
 * 1–65535 and protocol tcp/udp.
 */
export function isAllowRule(value: unknown): value is AllowRule {
  if (value === null || typeof value !== "object") return false;
  const rule = value as Record<string, unknown>;
  return typeof rule.address === "string" && isAddressOrPrefix(rule.address) &&
    specialRange(rule.address) === undefined &&
    typeof rule.why === "string" &&
    (rule.port === undefined ||
      (Number.isInteger(rule.port) && Number(rule.port) >= 1 && Number(rule.port) <= MAX_PORT)) &&
    (rule.protocol === undefined || rule.protocol === "tcp" || rule.protocol === "udp");
}
