/**
 * The three digests of a quarantined file, computed while it streams into the store: SHA-256
 * (the identity the copy is verified and restored against) and MD5 and SHA-1 (for reporting,
 * as IOCs name files by them).
 *
 * @module
 */
import { createHash, type Hash } from "node:crypto";

/** The lower-case hex digests of one file. */
export interface FileDigests {
  readonly sha256: string;
  readonly md5: string;
  readonly sha1: string;
}

/** Streaming MD5, SHA-1 and SHA-256 over the same bytes. */
export class FileHasher {
  private readonly hashes: Record<keyof FileDigests, Hash> = {
    sha256: createHash("sha256"),
    md5: createHash("md5"),
    sha1: createHash("sha1"),
  };

  update(chunk: Uint8Array): void {
    for (const hash of Object.values(this.hashes)) hash.update(chunk);
  }

  digests(): FileDigests {
    return {
      sha256: this.hashes.sha256.digest("hex"),
      md5: this.hashes.md5.digest("hex"),
      sha1: this.hashes.sha1.digest("hex"),
    };
  }
}
