/**
 * The Authenticode digest of a PE file: every byte of the file except the
 * optional header's CheckSum field, the certificate-table (security) entry of
 * the data directory, and the certificate table itself. Read in bounded
 * chunks, once, linearly.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { ByteSource } from "../byte_source.ts";
import type { DigestName } from "./authenticode_verify.ts";

/** Where the excluded parts of the file lie (file offsets). */
export type AuthenticodeLayout = {
  /** The optional header's 4-byte CheckSum field. */
  checkSumOffset: number;
  /** The 8-byte certificate-table entry of the data directory. */
  securityEntryOffset: number;
  /** The certificate table. */
  certificateTable: { offset: number; size: number };
};

const checkSumBytes = 4;
const directoryEntryBytes = 8;
const chunkBytes = 1024 * 1024;

/**
 * Hashes `source` as Authenticode does. Throws only when the source fails to
 * read (the caller's I/O error).
 *
 * @example
 * ```ts ignore
 * const digest = await authenticodeDigest(source, layout, "sha256");
 * ```
 */
export async function authenticodeDigest(
  source: ByteSource,
  layout: AuthenticodeLayout,
  algorithm: DigestName,
): Promise<Uint8Array> {
  const excluded: [number, number][] = [
    [layout.checkSumOffset, layout.checkSumOffset + checkSumBytes],
    [layout.securityEntryOffset, layout.securityEntryOffset + directoryEntryBytes],
    [layout.certificateTable.offset, layout.certificateTable.offset + layout.certificateTable.size],
  ];
  excluded.sort((left, right) => left[0] - right[0]);
  const hasher = createHash(algorithm);
  let position = 0;
  for (const [start, end] of [...excluded, [source.size, source.size] as [number, number]]) {
    const stop = Math.min(start, source.size);
    for (let offset = position; offset < stop;) {
      const chunk = await source.read(offset, Math.min(chunkBytes, stop - offset));
      if (chunk.length === 0) break;
      hasher.update(chunk);
      offset += chunk.length;
    }
    position = Math.max(position, Math.min(end, source.size));
  }
  return new Uint8Array(hasher.digest());
}
