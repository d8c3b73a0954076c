/**
 * A {@linkcode ByteSource} over an open file: the EVTX reader pulls one chunk
 * at a time, so memory stays bounded whatever the file size.
 *
 * @module
 */
import type { ByteSource } from "../../formats/byte_source.ts";
import { type EvidenceRefusal, openEvidenceFile } from "../evidence_file.ts";

/** A file-backed byte source; close it when done. */
export interface FileByteSource extends ByteSource, Disposable {
  /** Closes the file (idempotent). */
  close(): void;
}

/** Why a file was not opened as a byte source: its skip reason and detail. */
export class EvidenceRefusedError extends Error {
  /** The refusal, naming the file. */
  readonly refusal: EvidenceRefusal;
  /** Wraps a refusal. */
  constructor(refusal: EvidenceRefusal) {
    super(`${refusal.file}: ${refusal.detail}`);
    this.name = "EvidenceRefusedError";
    this.refusal = refusal;
  }
}

/**
 * Opens `path` for positioned reads: regular files only, checked on the
 * opened descriptor, opened without blocking (a FIFO swapped in cannot hang
 * the reader), reads bounded by the size at open (see `openEvidenceFile`).
 *
 * @throws {EvidenceRefusedError} when the file is refused or cannot be opened.
 */
export function openFileByteSource(path: string): Promise<FileByteSource> {
  const opened = openEvidenceFile(path, { kind: "event log" });
  if (!("readAt" in opened)) return Promise.reject(new EvidenceRefusedError(opened));
  const { size } = opened;
  const close = () => opened.close();
  return Promise.resolve({
    size,
    read(offset: number, length: number): Promise<Uint8Array> {
      try {
        const start = Math.max(0, Math.min(size, Math.floor(offset)));
        const buffer = new Uint8Array(Math.max(0, Math.min(size - start, Math.floor(length))));
        return Promise.resolve(buffer.subarray(0, opened.readAt(buffer, start)));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    close,
    [Symbol.dispose]: close,
  });
}
