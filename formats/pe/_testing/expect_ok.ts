/**
 * Test-only helper: unwraps a successful parse or fails with its reason.
 *
 * @module
 */
import { fail } from "node:assert/strict";
import type { PeGap, PeInfo, PeInfoResult } from "../pe_info.ts";

/** The info, warnings and gaps of a successful result; throws with the reason otherwise. */
export function expectOk(
  result: PeInfoResult,
): { info: PeInfo; warnings: string[]; gaps: PeGap[] } {
  if (!result.ok) fail(`expected a parsed PE, got ${result.reason}: ${result.detail}`);
  return result;
}

/** The failure of an unsuccessful result; throws when it parsed. */
export function expectFailure(result: PeInfoResult): { reason: string; detail: string } {
  if (result.ok) {
    fail(`expected a failure, got a parsed PE (${result.warnings.length} warnings)`);
  }
  return result;
}
