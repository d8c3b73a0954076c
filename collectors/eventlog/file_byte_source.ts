/**
 * A {@linkcode ByteSource} over an open file: the EVTX reader pulls one chunk
 * at a time, so memory stays bounded whatever the file size.
 *
 * @module
 */
import { type ByteSource, byteSourceFromSeekable } from "../../formats/byte_source.ts";

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
    return { ...byteSourceFromSeekable(file, size), close, [Symbol.dispose]: close };
  } catch (error) {
    file.close();
    throw error;
  }
}
