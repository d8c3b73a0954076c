/**
 * A fake native memory for the DNS cache decoder tests: structures laid
 * out as dns_cache.ts says, at made-up addresses, read back through
 * {@linkcode NativeMemory} as the FFI source reads the DNS client's memory.
 *
 * @module
 */
import { DnsCacheEntry, DnsRecordData, DnsRecordW } from "./dns_cache.ts";
import type { NativeMemory } from "./dns_cache_records.ts";

/** Memory of allocations at addresses from 0x10000 up, 0x100 apart per 0x100 bytes. */
export class FakeMemory implements NativeMemory {
  readonly #blocks = new Map<bigint, Uint8Array>();
  #next = 0x10000n;

  /** Places bytes; returns their address. */
  place(bytes: Uint8Array): bigint {
    const at = this.#next;
    this.#blocks.set(at, bytes);
    this.#next += BigInt(Math.ceil((bytes.byteLength + 1) / 0x100) * 0x100);
    return at;
  }

  /** Places a NUL-terminated UTF-16LE string. */
  wide(text: string): bigint {
    const bytes = new Uint8Array(2 * (text.length + 1));
    const view = new DataView(bytes.buffer);
    for (let index = 0; index < text.length; index++) {
      view.setUint16(2 * index, text.charCodeAt(index), true);
    }
    return this.place(bytes);
  }

  bytes(pointer: bigint, size: number): Uint8Array | undefined {
    if (pointer === 0n) return undefined;
    for (const [start, block] of this.#blocks) {
      const offset = Number(pointer - start);
      if (offset >= 0 && offset < block.byteLength) {
        const out = new Uint8Array(size);
        out.set(block.subarray(offset, offset + size));
        return out;
      }
    }
    throw new Error(`read of unmapped memory at 0x${pointer.toString(16)}`);
  }

  wideString(pointer: bigint, maxChars: number): string | undefined {
    if (pointer === 0n) return undefined;
    const bytes = this.bytes(pointer, 2 * maxChars)!;
    const view = new DataView(bytes.buffer);
    let text = "";
    for (let index = 0; index < maxChars; index++) {
      const unit = view.getUint16(2 * index, true);
      if (unit === 0) break;
      text += String.fromCharCode(unit);
    }
    return text;
  }

  /** Places a `DNS_CACHE_ENTRY` list; returns the first entry's address. */
  cacheList(entries: readonly { name: string; type: number; flags: number }[]): bigint {
    let next = 0n;
    for (const entry of [...entries].reverse()) {
      const bytes = new Uint8Array(DnsCacheEntry.size);
      const view = new DataView(bytes.buffer);
      view.setBigUint64(DnsCacheEntry.next, next, true);
      view.setBigUint64(DnsCacheEntry.name, this.wide(entry.name), true);
      view.setUint16(DnsCacheEntry.type, entry.type, true);
      view.setUint16(DnsCacheEntry.dataLength, entry.type === 28 ? 16 : 4, true);
      view.setUint32(DnsCacheEntry.flags, entry.flags, true);
      next = this.place(bytes);
    }
    return next;
  }

  /** Places a `DNS_RECORDW` list; returns the first record's address. */
  recordList(
    records: readonly {
      name: string;
      type: number;
      ttl: number;
      section: number;
      data: { ipv4?: number[]; ipv6?: number[]; host?: string; strings?: string[] };
    }[],
  ): bigint {
    let next = 0n;
    for (const record of [...records].reverse()) {
      const strings = record.data.strings ?? [];
      const bytes = new Uint8Array(DnsRecordW.readSize + 8 * Math.max(0, strings.length - 1));
      const view = new DataView(bytes.buffer);
      view.setBigUint64(DnsRecordW.next, next, true);
      view.setBigUint64(DnsRecordW.name, this.wide(record.name), true);
      view.setUint16(DnsRecordW.type, record.type, true);
      view.setUint32(DnsRecordW.flags, record.section, true);
      view.setUint32(DnsRecordW.ttl, record.ttl, true);
      const data = DnsRecordW.data;
      let length = 8;
      if (record.data.ipv4) {
        record.data.ipv4.forEach((byte, i) => view.setUint8(data + i, byte));
        length = 4;
      } else if (record.data.ipv6) {
        record.data.ipv6.forEach((byte, i) => view.setUint8(data + i, byte));
        length = 16;
      } else if (record.data.host !== undefined) {
        view.setBigUint64(data + DnsRecordData.nameHost, this.wide(record.data.host), true);
      } else if (record.data.strings) {
        view.setUint32(data + DnsRecordData.textCount, strings.length, true);
        strings.forEach((text, i) =>
          view.setBigUint64(data + DnsRecordData.textStrings + 8 * i, this.wide(text), true)
        );
        length = 8 + 8 * strings.length;
      }
      view.setUint16(DnsRecordW.dataLength, length, true);
      next = this.place(bytes);
    }
    return next;
  }
}
