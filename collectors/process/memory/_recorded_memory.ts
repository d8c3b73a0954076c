/**
 * A {@linkcode ProcessMemorySource} over recorded regions and bytes, for the
 * memory library's tests: no process is read. A test helper.
 *
 * @module
 */
import type { MemoryRegion } from "./memory_region.ts";
import { MemoryAccessError, type ProcessMemorySource, type RegionListing } from "./source.ts";

/** One recorded region: its description and the bytes it holds (those past `readable` fail). */
export interface RecordedRegion {
  readonly region: MemoryRegion;
  readonly bytes?: Uint8Array;
  /** Bytes from the region's start that can be read (default: all of `bytes`). */
  readonly readable?: number;
}

/** What a recorded source does, and counts what was asked of it. */
export interface RecordedSource extends ProcessMemorySource {
  /** The reads asked, as `[address, length]`. */
  readonly reads: [bigint, number][];
}

/** An anonymous private read-write region at `start` holding `bytes`. */
export function heapRegion(start: bigint, bytes: Uint8Array, name = "[heap]"): RecordedRegion {
  return {
    region: {
      start,
      size: BigInt(bytes.byteLength),
      protection: "PAGE_READWRITE",
      readable: true,
      executable: false,
      rawFlags: "rw-p",
      kind: "private",
      name,
      deleted: false,
    },
    bytes,
  };
}

/**
 * A source over `regions`; `failure` makes listing or opening throw (a
 * recorded EACCES, a process gone).
 */
export function recordedMemorySource(
  regions: readonly RecordedRegion[],
  options: { failure?: MemoryAccessError; truncated?: string } = {},
): RecordedSource {
  const reads: [bigint, number][] = [];
  const fail = () => {
    if (options.failure !== undefined) throw options.failure;
  };
  return {
    reads,
    regions(): Promise<RegionListing> {
      fail();
      return Promise.resolve({
        regions: regions.map((recorded) => recorded.region),
        ...(options.truncated === undefined ? {} : { truncated: options.truncated }),
      });
    },
    open() {
      fail();
      return Promise.resolve({
        read(address: bigint, buffer: Uint8Array): Promise<number> {
          reads.push([address, buffer.byteLength]);
          const recorded = regions.find(({ region }) =>
            address >= region.start && address < region.start + region.size
          );
          if (recorded?.bytes === undefined) {
            return Promise.reject(
              new MemoryAccessError("unreadable", "Input/output error (os error 5)"),
            );
          }
          const offset = Number(address - recorded.region.start);
          const readable = recorded.readable ?? recorded.bytes.byteLength;
          if (offset >= readable) {
            return Promise.reject(
              new MemoryAccessError("unreadable", "Input/output error (os error 5)"),
            );
          }
          const part = recorded.bytes.subarray(
            offset,
            Math.min(readable, offset + buffer.byteLength),
          );
          buffer.set(part);
          return Promise.resolve(part.byteLength);
        },
        close() {},
      });
    },
  };
}

/** Bytes made of parts: text as UTF-8, `{ utf16 }` as UTF-16LE, bytes as they are. */
export function memoryWith(
  parts: readonly (string | Uint8Array | { utf16: string })[],
): Uint8Array {
  const chunks = parts.map((part) => {
    if (part instanceof Uint8Array) return part;
    if (typeof part === "string") return new TextEncoder().encode(part);
    const bytes = new Uint8Array(part.utf16.length * 2);
    for (let i = 0; i < part.utf16.length; i++) {
      bytes[2 * i] = part.utf16.charCodeAt(i) & 0xff;
      bytes[2 * i + 1] = part.utf16.charCodeAt(i) >> 8;
    }
    return bytes;
  });
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
