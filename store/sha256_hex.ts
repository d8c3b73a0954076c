/**
 * SHA-256 of bytes as lower-case hex: the key of a stored IOC file content.
 *
 * @module
 */

/**
 * Hashes `bytes` with SHA-256.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./sha256_hex.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(
 *   await sha256Hex(new Uint8Array()),
 *   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
 * );
 * ```
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
