/**
 * A fake native memory holding blocks at made-up addresses, read through
 * {@linkcode NativeMemory} as the WFP FFI reads the BFE's memory: the WFP layout tests place
 * blocks encoded by wfp_encode.ts and decode them back. A test helper.
 *
 * @module
 */
import type { NativeMemory } from "./dns_cache_records.ts";

/** Blocks of bytes at fixed addresses. */
export class BlockMemory implements NativeMemory {
  readonly #blocks = new Map<bigint, Uint8Array>();

  /** Places `bytes` at `address`. */
  place(address: bigint, bytes: Uint8Array): void {
    this.#blocks.set(address, bytes);
  }

  bytes(pointer: bigint, size: number): Uint8Array | undefined {
    if (pointer === 0n) return undefined;
    for (const [start, block] of this.#blocks) {
      const offset = Number(pointer - start);
      if (offset >= 0 && offset + size <= block.byteLength) {
        return block.slice(offset, offset + size);
      }
    }
    throw new Error(`read of unmapped memory at 0x${pointer.toString(16)} (${size} bytes)`);
  }

  wideString(pointer: bigint, maxChars: number): string | undefined {
    if (pointer === 0n) return undefined;
    let text = "";
    for (let index = 0; index < maxChars; index++) {
      const unit = new DataView(this.bytes(pointer + BigInt(2 * index), 2)!.buffer).getUint16(
        0,
        true,
      );
      if (unit === 0) return text;
      text += String.fromCharCode(unit);
    }
    return text;
  }
}
