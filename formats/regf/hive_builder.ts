/**
 * Builds small, valid hives in memory. Tests use it to make synthetic
 * fixtures (every value type, inline and big data, split subkey lists) and
 * then damage them on purpose; nothing is checked in as a binary.
 *
 * @example
 * ```ts
 * import { buildHive, utf16z } from "./hive_builder.ts";
 * const { bytes } = buildHive({
 *   name: "ROOT",
 *   subkeys: [{ name: "Run", values: [{ name: "x", type: 1, data: utf16z("c:\\x.exe") }] }],
 * });
 * ```
 *
 * @module
 */
import { BASE_BLOCK_SIZE, baseBlockChecksum } from "./base_block.ts";

/** A value to build. */
export interface BuildValue {
  /** The name. */
  name: string;
  /** The value type number (REG_SZ = 1…). */
  type: number;
  /** The data bytes. */
  data: Uint8Array;
}

/** A key to build, with its values and subkeys. */
export interface BuildKey {
  /** The name. */
  name: string;
  /** The values of the key. */
  values?: BuildValue[];
  /** The subkeys. */
  subkeys?: BuildKey[];
  /** FILETIME ticks; default 2020-01-01. */
  lastWritten?: number;
  /** The class name. */
  className?: string;
}

/** Options of {@linkcode buildHive}. */
export interface BuildOptions {
  /** Minor version (default 5; big data uses db records from 4 on). */
  minorVersion?: number;
  /** Primary and secondary sequence numbers (default 1 and 1: clean). */
  sequence?: [number, number];
  /** Subkey list kind (default `lh`); `ri` splits lists of more than 2 into `li` parts. */
  listKind?: "lh" | "lf" | "li" | "ri";
}

/** A built hive and where its records are. */
export interface BuiltHive {
  /** The hive file content. */
  bytes: Uint8Array;
  /** Cell offset of each key's nk, by path below the root (root: ""). */
  keyOffsets: Map<string, number>;
  /** Cell offset of each key's subkey list, by path. */
  listOffsets: Map<string, number>;
  /** Cell offset of each vk, by `path:valueName`. */
  valueOffsets: Map<string, number>;
}

/** UTF-16LE bytes of a string followed by a NUL. */
export function utf16z(text: string): Uint8Array {
  const out = new Uint8Array((text.length + 1) * 2);
  for (let i = 0; i < text.length; i++) {
    out[i * 2] = text.charCodeAt(i) & 0xff;
    out[i * 2 + 1] = text.charCodeAt(i) >> 8;
  }
  return out;
}

const DEFAULT_TIME = 132223104000000000; // 2020-01-01T00:00:00Z

function nameBytes(name: string): { bytes: Uint8Array; compressed: boolean } {
  if ([...name].every((c) => c.charCodeAt(0) < 256)) {
    return { bytes: Uint8Array.from(name, (c) => c.charCodeAt(0)), compressed: true };
  }
  return { bytes: utf16z(name).subarray(0, name.length * 2), compressed: false };
}

function lhHash(name: string): number {
  let hash = 0;
  for (const c of name.toUpperCase()) hash = (Math.imul(hash, 37) + c.charCodeAt(0)) >>> 0;
  return hash;
}

/** Builds a hive whose root key is `root`. */
export function buildHive(root: BuildKey, options: BuildOptions = {}): BuiltHive {
  const minor = options.minorVersion ?? 5;
  const listKind = options.listKind ?? "lh";
  let data = new Uint8Array(1 << 16);
  let used = 32; // cells start after the bin header (16-aligned, as 1.1 needs)
  // Version 1.1 (NT 3.x) cells have an 8-byte header (size, then a link to the previous
  // cell of the bin) and 16-byte alignment.
  const header = minor === 1 ? 8 : 4;
  const align = minor === 1 ? 15 : 7;
  const alloc = (size: number): number => {
    const total = (size + header + align) & ~align;
    while (BASE_BLOCK_SIZE + used + total + 8 > data.length) {
      const grown = new Uint8Array(data.length * 2);
      grown.set(data);
      data = grown;
    }
    const offset = used;
    new DataView(data.buffer).setInt32(BASE_BLOCK_SIZE + offset, -total, true);
    used += total;
    return offset;
  };
  const view = () => new DataView(data.buffer);
  const at = (offset: number) => BASE_BLOCK_SIZE + offset + header;
  const put = (offset: number, bytes: Uint8Array, skip = 0) => data.set(bytes, at(offset) + skip);
  const keyOffsets = new Map<string, number>();
  const listOffsets = new Map<string, number>();
  const valueOffsets = new Map<string, number>();

  const sk = alloc(20 + 20);
  {
    const v = view();
    const p = at(sk);
    data[p] = 0x73;
    data[p + 1] = 0x6b;
    v.setUint32(p + 4, sk, true);
    v.setUint32(p + 8, sk, true);
    v.setUint32(p + 12, 1, true);
    v.setUint32(p + 16, 20, true);
    data[p + 20] = 1; // SECURITY_DESCRIPTOR revision
  }

  const writeList = (sig: string, entries: number[], names: string[], stride: 4 | 8): number => {
    const offset = alloc(4 + entries.length * stride);
    const p = at(offset);
    data[p] = sig.charCodeAt(0);
    data[p + 1] = sig.charCodeAt(1);
    const v = view();
    v.setUint16(p + 2, entries.length, true);
    entries.forEach((entry, i) => {
      v.setUint32(p + 4 + i * stride, entry, true);
      if (stride === 8) {
        const name = names[i]!;
        if (sig === "lh") v.setUint32(p + 8 + i * 8, lhHash(name), true);
        else {for (let c = 0; c < 4 && c < name.length; c++) {
            data[p + 8 + i * 8 + c] = name.charCodeAt(c) & 0xff;
          }}
      }
    });
    return offset;
  };

  const buildKey = (key: BuildKey, parent: number, path: string): number => {
    const name = nameBytes(key.name);
    const nk = alloc(76 + name.bytes.length);
    keyOffsets.set(path, nk);
    const values = key.values ?? [];
    const valueCells: number[] = [];
    for (const value of values) {
      const vname = nameBytes(value.name);
      const vk = alloc(20 + vname.bytes.length);
      valueOffsets.set(`${path}:${value.name}`, vk);
      const p = at(vk);
      data[p] = 0x76;
      data[p + 1] = 0x6b;
      let v = view();
      v.setUint16(p + 2, vname.bytes.length, true);
      v.setUint32(p + 12, value.type, true);
      v.setUint16(p + 16, vname.compressed ? 1 : 0, true);
      put(vk, vname.bytes, 20);
      const size = value.data.length;
      if (size <= 4) {
        v.setUint32(p + 4, (0x80000000 | size) >>> 0, true);
        data.set(value.data, p + 8);
      } else if (size > 16344 && minor >= 4) {
        const segments: number[] = [];
        for (let i = 0; i < size; i += 16344) {
          const chunk = value.data.subarray(i, Math.min(size, i + 16344));
          const cell = alloc(chunk.length);
          put(cell, chunk);
          segments.push(cell);
        }
        const list = alloc(segments.length * 4);
        segments.forEach((s, i) => view().setUint32(at(list) + i * 4, s, true));
        const db = alloc(8);
        data[at(db)] = 0x64;
        data[at(db) + 1] = 0x62;
        view().setUint16(at(db) + 2, segments.length, true);
        view().setUint32(at(db) + 4, list, true);
        v = view();
        v.setUint32(p + 4, size, true);
        v.setUint32(p + 8, db, true);
      } else {
        const cell = alloc(size);
        put(cell, value.data);
        v = view();
        v.setUint32(p + 4, size, true);
        v.setUint32(p + 8, cell, true);
      }
      valueCells.push(vk);
    }
    let valueList = 0xffffffff;
    if (valueCells.length > 0) {
      valueList = alloc(valueCells.length * 4);
      valueCells.forEach((c, i) => view().setUint32(at(valueList) + i * 4, c, true));
    }
    const children = [...(key.subkeys ?? [])].sort((a, b) =>
      a.name.toUpperCase() < b.name.toUpperCase() ? -1 : 1
    );
    const childOffsets = children.map((child) =>
      buildKey(child, nk, path === "" ? child.name : `${path}\\${child.name}`)
    );
    let list = 0xffffffff;
    if (children.length > 0) {
      const names = children.map((c) => c.name);
      if (listKind === "ri" && children.length > 2) {
        const parts: number[] = [];
        for (let i = 0; i < childOffsets.length; i += 2) {
          parts.push(writeList("li", childOffsets.slice(i, i + 2), names.slice(i, i + 2), 4));
        }
        list = writeList("ri", parts, [], 4);
      } else if (listKind === "li" || listKind === "ri") {
        list = writeList("li", childOffsets, names, 4);
      } else list = writeList(listKind, childOffsets, names, 8);
      listOffsets.set(path, list);
    }
    let classOffset = 0xffffffff;
    let classLength = 0;
    if (key.className !== undefined) {
      const bytes = utf16z(key.className).subarray(0, key.className.length * 2);
      classOffset = alloc(bytes.length);
      put(classOffset, bytes);
      classLength = bytes.length;
    }
    const p = at(nk);
    const v = view();
    data[p] = 0x6e;
    data[p + 1] = 0x6b;
    v.setUint16(p + 2, (path === "" ? 0x0c : 0) | (name.compressed ? 0x20 : 0), true);
    const time = key.lastWritten ?? DEFAULT_TIME;
    v.setUint32(p + 4, time % 4294967296, true);
    v.setUint32(p + 8, Math.floor(time / 4294967296), true);
    v.setUint32(p + 16, parent, true);
    v.setUint32(p + 20, children.length, true);
    v.setUint32(p + 28, list, true);
    v.setUint32(p + 32, 0xffffffff, true);
    v.setUint32(p + 36, values.length, true);
    v.setUint32(p + 40, valueList, true);
    v.setUint32(p + 44, sk, true);
    v.setUint32(p + 48, classOffset, true);
    v.setUint16(p + 72, name.bytes.length, true);
    v.setUint16(p + 74, classLength, true);
    put(nk, name.bytes, 76);
    return nk;
  };

  const rootOffset = buildKey(root, 0xffffffff, "");
  const binSize = Math.ceil((used + 8) / 4096) * 4096;
  const bytes = new Uint8Array(BASE_BLOCK_SIZE + binSize);
  bytes.set(data.subarray(0, BASE_BLOCK_SIZE + used));
  const v = new DataView(bytes.buffer);
  // The rest of the bin is one free cell.
  v.setInt32(BASE_BLOCK_SIZE + used, binSize - used, true);
  bytes.set([0x68, 0x62, 0x69, 0x6e], BASE_BLOCK_SIZE);
  v.setUint32(BASE_BLOCK_SIZE + 4, 0, true);
  v.setUint32(BASE_BLOCK_SIZE + 8, binSize, true);
  bytes.set([0x72, 0x65, 0x67, 0x66], 0);
  const [primary, secondary] = options.sequence ?? [1, 1];
  v.setUint32(4, primary, true);
  v.setUint32(8, secondary, true);
  v.setUint32(20, 1, true);
  v.setUint32(24, minor, true);
  v.setUint32(28, 0, true);
  v.setUint32(32, 1, true);
  v.setUint32(36, rootOffset, true);
  v.setUint32(40, binSize, true);
  v.setUint32(44, 1, true);
  v.setUint32(508, baseBlockChecksum(bytes, 0), true);
  return { bytes, keyOffsets, listOffsets, valueOffsets };
}

/** Rewrites the base block checksum after a test changed base block fields. */
export function fixChecksum(bytes: Uint8Array): void {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(508, baseBlockChecksum(bytes, 0), true);
}
