/**
 * The `SHA256SUMS` file of a release package, in the format `sha256sum -c` and
 * `Get-FileHash` users expect: one `<hex>  <path>` line per file, sorted by path.
 *
 * @module
 */
import type { ArchiveEntry } from "./archive_entry.ts";

/** The name of the checksum file at the package root. */
export const SHA256SUMS_NAME = "SHA256SUMS";

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The SHA256SUMS text for `entries` (paths relative to the package root). */
export async function sha256Sums(entries: readonly ArchiveEntry[]): Promise<string> {
  const lines: string[] = [];
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const entry of sorted) lines.push(`${await sha256Hex(entry.data)}  ${entry.path}`);
  return `${lines.join("\n")}\n`;
}

/**
 * The paths whose content does not match `sums`, plus the files `sums` does not list and the
 * listed files that are missing: empty when the package is intact.
 */
export async function verifySha256Sums(
  sums: string,
  entries: readonly ArchiveEntry[],
): Promise<string[]> {
  const expected = new Map<string, string>();
  for (const line of sums.split("\n").filter((line) => line !== "")) {
    const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!match) return [`malformed line: ${line}`];
    expected.set(match[2]!, match[1]!);
  }
  const problems: string[] = [];
  for (const entry of entries) {
    if (entry.path === SHA256SUMS_NAME || entry.path.endsWith(`/${SHA256SUMS_NAME}`)) continue;
    const hash = expected.get(entry.path);
    if (hash === undefined) problems.push(`not listed: ${entry.path}`);
    else if (hash !== await sha256Hex(entry.data)) problems.push(`changed: ${entry.path}`);
    expected.delete(entry.path);
  }
  for (const path of expected.keys()) problems.push(`missing: ${path}`);
  return problems;
}
