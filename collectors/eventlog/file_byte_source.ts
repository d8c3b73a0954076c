/**
 * A {@linkcode ByteSource} over an open file: the EVTX reader pulls one chunk
 * at a time, so memory stays bounded whatever the file size.
 *
 * @module
 */
import type { ByteSource } from "../../formats/evtx/mod.ts";

/** A file-backed byte source; close it when done. */
export interface FileByteSource extends ByteSource, Disposable {
  /** Closes the file (idempotent). */
  close(): void;
}

/** Opens `path` for positioned reads. Throws when the file cannot be opened. */
export async function openFileByteSource(path: string): Promise<FileByteSource> {
  const file = await Deno.open(path, { read: true });
  try {
    const { size } = await file.stat();
    let closed = false;
    const close = () => {
      if (!closed) {
        closed = true;
        file.close();
      }
    };
    return {
      size,
      async read(offset: number, length: number): Promise<Uint8Array> {
        const buffer = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
        await file.seek(offset, Deno.SeekMode.Start);
        let filled = 0;
        while (filled < buffer.length) {
          const n = await file.read(buffer.subarray(filled));
          if (n === null || n === 0) break;
          filled += n;
        }
        return filled === buffer.length ? buffer : buffer.subarray(0, filled);
      },
      close,
      [Symbol.dispose]: close,
    };
  } catch (error) {
    file.close();
    throw error;
  }
}
