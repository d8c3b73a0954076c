/**
 * Test-only PE image builder: headers, a code section, an `.rdata` section
 * with import, delay-import and export tables, an `.rsrc` section with a
 * version resource, an optional certificate table and overlay. It also
 * reports where each structure landed so hostile tests can corrupt it.
 *
 * @module
 */
import { concat } from "./der_builder.ts";

/** A module to import from; numbers are ordinals. */
export type ImportSpec = { name: string; functions: (string | number)[] };

/** One resource leaf. */
export type ResourceSpec = {
  type: number | string;
  name: number | string;
  language: number;
  data: Uint8Array;
};

/** What to build. */
export type PeSpec = {
  bits: 32 | 64;
  dll?: boolean;
  subsystem?: number;
  timeDateStamp?: number;
  imageBase?: bigint;
  checkSum?: number;
  imports?: ImportSpec[];
  delayImports?: ImportSpec[];
  exports?: { dllName: string; names: string[]; timeDateStamp?: number };
  /** StringFileInfo strings, keyed by StringTable key (e.g. `040904B0`). */
  version?: Record<string, Record<string, string>>;
  /** More resources besides the version resource. */
  resources?: ResourceSpec[];
  /** The certificate table (WIN_CERTIFICATE entries), appended at the end. */
  certificateTable?: Uint8Array;
  /** Overlay bytes placed after the sections (before the certificate table). */
  overlay?: number;
  /** Extra sections, appended after the built-in ones. */
  extraSections?: { name: string; characteristics: number; data: Uint8Array }[];
};

/** Where things are in the built file. */
export type PeLayout = {
  peOffset: number;
  optionalHeaderOffset: number;
  sectionTableOffset: number;
  /** File offset of the data directory array. */
  directoriesOffset: number;
  /** File offset and RVA of each named section. */
  sections: Record<string, { rawPointer: number; virtualAddress: number; rawSize: number }>;
  importDescriptorsRva: number;
  exportDirectoryRva: number;
  resourceRva: number;
  certificateOffset: number;
};

const fileAlignment = 0x200;
const sectionAlignment = 0x1000;
const sizeOfHeaders = 0x400;
const peOffset = 0x80;

const scnCode = 0x60000020; // CNT_CODE | MEM_EXECUTE | MEM_READ
const scnRdata = 0x40000040; // CNT_INITIALIZED_DATA | MEM_READ

/** Appends bytes to a section, handing out RVAs. */
class SectionWriter {
  readonly rva: number;
  #chunks: Uint8Array[] = [];
  #size = 0;
  constructor(rva: number) {
    this.rva = rva;
  }
  get size(): number {
    return this.#size;
  }
  /** Appends, aligned to `alignment`, and returns the RVA. */
  put(bytes: Uint8Array, alignment = 1): number {
    const padding = (alignment - (this.#size % alignment)) % alignment;
    if (padding) this.#chunks.push(new Uint8Array(padding));
    this.#size += padding;
    const at = this.rva + this.#size;
    this.#chunks.push(bytes);
    this.#size += bytes.length;
    return at;
  }
  /** Appends a NUL-terminated ASCII string. */
  putString(text: string): number {
    return this.put(concat(new TextEncoder().encode(text), Uint8Array.of(0)));
  }
  bytes(): Uint8Array {
    return concat(...this.#chunks);
  }
}

function u16(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff, (value >> 8) & 0xff);
}
function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0, true);
  return out;
}
function u64(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value, true);
  return out;
}
function align(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}

/** Encodes a UTF-16LE string with a NUL terminator. */
export function utf16z(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2 + 2);
  for (let index = 0; index < text.length; index++) {
    out[index * 2] = text.charCodeAt(index) & 0xff;
    out[index * 2 + 1] = text.charCodeAt(index) >> 8;
  }
  return out;
}

/** One VS_VERSIONINFO-style block: header, key, padding, value, padding, children. */
function versionBlock(
  key: string,
  value: Uint8Array,
  valueLength: number,
  type: number,
  children: Uint8Array[],
) {
  const keyBytes = utf16z(key);
  let body = concat(keyBytes);
  const headerAndKey = 6 + body.length;
  body = concat(body, new Uint8Array(align(headerAndKey, 4) - headerAndKey), value);
  for (const child of children) {
    const used = 6 + body.length;
    body = concat(body, new Uint8Array(align(used, 4) - used), child);
  }
  return concat(u16(6 + body.length), u16(valueLength), u16(type), body);
}

/** Builds a VS_VERSIONINFO resource with one StringTable per key of `tables`. */
export function versionResource(tables: Record<string, Record<string, string>>): Uint8Array {
  const fixed = concat(u32(0xfeef04bd), u32(0x00010000), new Uint8Array(44));
  const stringTables = Object.entries(tables).map(([language, strings]) =>
    versionBlock(
      language,
      new Uint8Array(0),
      0,
      1,
      Object.entries(strings).map(([key, value]) =>
        versionBlock(key, utf16z(value), value.length + 1, 1, [])
      ),
    )
  );
  return versionBlock("VS_VERSION_INFO", fixed, fixed.length, 0, [
    versionBlock("StringFileInfo", new Uint8Array(0), 0, 1, stringTables),
    versionBlock("VarFileInfo", new Uint8Array(0), 0, 1, [
      versionBlock("Translation", concat(u16(0x0409), u16(0x04b0)), 4, 0, []),
    ]),
  ]);
}

/** Builds the resource section contents for `leaves` at `rva`. */
function resourceSection(rva: number, leaves: ResourceSpec[]): Uint8Array {
  type Node = Map<string, { key: number | string; children?: Node; leaf?: ResourceSpec }>;
  const root: Node = new Map();
  const keyOf = (key: number | string) => typeof key === "number" ? `#${key}` : `$${key}`;
  for (const leaf of leaves) {
    let level = root;
    for (const key of [leaf.type, leaf.name]) {
      const slot = level.get(keyOf(key)) ?? { key, children: new Map() };
      level.set(keyOf(key), slot);
      level = slot.children!;
    }
    level.set(keyOf(leaf.language), { key: leaf.language, leaf });
  }
  // Directories first (breadth-first), then names, data entries and data.
  const directories: Node[] = [];
  const queue: Node[] = [root];
  while (queue.length) {
    const node = queue.shift()!;
    directories.push(node);
    for (const slot of node.values()) if (slot.children) queue.push(slot.children);
  }
  const directoryOffset = new Map<Node, number>();
  let offset = 0;
  for (const node of directories) {
    directoryOffset.set(node, offset);
    offset += 16 + 8 * node.size;
  }
  const names = new Map<string, number>();
  const nameBytes: Uint8Array[] = [];
  for (const node of directories) {
    for (const slot of node.values()) {
      if (typeof slot.key === "string" && !names.has(slot.key)) {
        names.set(slot.key, offset);
        const encoded = concat(
          u16(slot.key.length),
          utf16z(slot.key).subarray(0, slot.key.length * 2),
        );
        nameBytes.push(encoded);
        offset += encoded.length;
      }
    }
  }
  offset = align(offset, 4);
  const dataEntryOffset = new Map<ResourceSpec, number>();
  for (const leaf of leaves) {
    dataEntryOffset.set(leaf, offset);
    offset += 16;
  }
  const dataOffset = new Map<ResourceSpec, number>();
  for (const leaf of leaves) {
    offset = align(offset, 8);
    dataOffset.set(leaf, offset);
    offset += leaf.data.length;
  }
  const out = new Uint8Array(offset);
  const view = new DataView(out.buffer);
  for (const node of directories) {
    const at = directoryOffset.get(node)!;
    const entries = [...node.values()].sort((left, right) =>
      typeof left.key === typeof right.key ? 0 : typeof left.key === "string" ? -1 : 1
    );
    view.setUint16(at + 12, entries.filter((entry) => typeof entry.key === "string").length, true);
    view.setUint16(at + 14, entries.filter((entry) => typeof entry.key === "number").length, true);
    entries.forEach((entry, index) => {
      const entryAt = at + 16 + index * 8;
      view.setUint32(
        entryAt,
        typeof entry.key === "string" ? (0x80000000 | names.get(entry.key)!) >>> 0 : entry.key,
        true,
      );
      view.setUint32(
        entryAt + 4,
        entry.children
          ? (0x80000000 | directoryOffset.get(entry.children)!) >>> 0
          : dataEntryOffset.get(entry.leaf!)!,
        true,
      );
    });
  }
  let nameAt = 0;
  for (const encoded of nameBytes) {
    const at = [...names.values()][nameAt++]!;
    out.set(encoded, at);
  }
  for (const leaf of leaves) {
    const at = dataEntryOffset.get(leaf)!;
    view.setUint32(at, rva + dataOffset.get(leaf)!, true);
    view.setUint32(at + 4, leaf.data.length, true);
    out.set(leaf.data, dataOffset.get(leaf)!);
  }
  return out;
}

/** Builds the image. */
export function buildPe(spec: PeSpec): { bytes: Uint8Array; layout: PeLayout } {
  const is64 = spec.bits === 64;
  const textRva = 0x1000;
  const text = new Uint8Array(0x200).fill(0xcc);
  const rdataRva = 0x2000;
  const rdata = new SectionWriter(rdataRva);
  const thunk = (value: bigint | number) => is64 ? u64(BigInt(value)) : u32(Number(value));
  const ordinalFlag = is64 ? 1n << 63n : 0x80000000n;

  const writeThunks = (functions: (string | number)[]): number => {
    const entries = functions.map((fn) =>
      typeof fn === "number"
        ? thunk(ordinalFlag | BigInt(fn))
        : thunk(rdata.put(concat(u16(0), new TextEncoder().encode(fn), Uint8Array.of(0)), 2))
    );
    return rdata.put(concat(...entries, thunk(0)), is64 ? 8 : 4);
  };

  let importDescriptorsRva = 0;
  let importSize = 0;
  if (spec.imports?.length) {
    const descriptors = spec.imports.map((module) => {
      const nameRva = rdata.putString(module.name);
      const lookup = writeThunks(module.functions);
      const iat = writeThunks(module.functions);
      return concat(u32(lookup), u32(0), u32(0), u32(nameRva), u32(iat));
    });
    importDescriptorsRva = rdata.put(concat(...descriptors, new Uint8Array(20)), 4);
    importSize = (descriptors.length + 1) * 20;
  }
  let delayRva = 0;
  let delaySize = 0;
  if (spec.delayImports?.length) {
    const descriptors = spec.delayImports.map((module) => {
      const nameRva = rdata.putString(module.name);
      const handle = rdata.put(new Uint8Array(8), 8);
      const lookup = writeThunks(module.functions);
      const iat = writeThunks(module.functions);
      return concat(
        u32(1),
        u32(nameRva),
        u32(handle),
        u32(iat),
        u32(lookup),
        u32(0),
        u32(0),
        u32(0),
      );
    });
    delayRva = rdata.put(concat(...descriptors, new Uint8Array(32)), 4);
    delaySize = (descriptors.length + 1) * 32;
  }
  let exportRva = 0;
  let exportSize = 0;
  if (spec.exports) {
    const { names, dllName } = spec.exports;
    const nameRva = rdata.putString(dllName);
    const nameRvas = names.map((entry) => rdata.putString(entry));
    const functions = rdata.put(concat(...names.map((_, index) => u32(textRva + index))), 4);
    const namePointers = rdata.put(concat(...nameRvas.map(u32)), 4);
    const ordinals = rdata.put(concat(...names.map((_, index) => u16(index))), 2);
    exportRva = rdata.put(
      concat(
        u32(0),
        u32(spec.exports.timeDateStamp ?? 0),
        u32(0),
        u32(nameRva),
        u32(1),
        u32(names.length),
        u32(names.length),
        u32(functions),
        u32(namePointers),
        u32(ordinals),
      ),
      4,
    );
    exportSize = 40;
  }
  if (rdata.size === 0) rdata.put(new Uint8Array(16));

  const leaves: ResourceSpec[] = [...(spec.resources ?? [])];
  if (spec.version) {
    leaves.push({ type: 16, name: 1, language: 0x0409, data: versionResource(spec.version) });
  }
  const rsrcRva = 0x2000 + align(rdata.size, sectionAlignment);
  const rsrc = leaves.length ? resourceSection(rsrcRva, leaves) : undefined;

  type Built = { name: string; rva: number; data: Uint8Array; characteristics: number };
  const built: Built[] = [
    { name: ".text", rva: textRva, data: text, characteristics: scnCode },
    { name: ".rdata", rva: rdataRva, data: rdata.bytes(), characteristics: scnRdata },
  ];
  if (rsrc) built.push({ name: ".rsrc", rva: rsrcRva, data: rsrc, characteristics: scnRdata });
  for (const extra of spec.extraSections ?? []) {
    const last = built.at(-1)!;
    built.push({
      ...extra,
      rva: last.rva + align(Math.max(last.data.length, 1), sectionAlignment),
    });
  }

  const layout: PeLayout = {
    peOffset,
    optionalHeaderOffset: peOffset + 24,
    sectionTableOffset: peOffset + 24 + (is64 ? 240 : 224),
    directoriesOffset: peOffset + 24 + (is64 ? 112 : 96),
    sections: {},
    importDescriptorsRva,
    exportDirectoryRva: exportRva,
    resourceRva: rsrc ? rsrcRva : 0,
    certificateOffset: 0,
  };
  let rawPointer = sizeOfHeaders;
  const sectionTable: Uint8Array[] = [];
  const raw: Uint8Array[] = [];
  for (const section of built) {
    const rawSize = align(section.data.length, fileAlignment);
    layout.sections[section.name] = { rawPointer, virtualAddress: section.rva, rawSize };
    const nameBytes = new Uint8Array(8);
    nameBytes.set(new TextEncoder().encode(section.name).subarray(0, 8));
    sectionTable.push(concat(
      nameBytes,
      u32(section.data.length),
      u32(section.rva),
      u32(rawSize),
      u32(rawPointer),
      new Uint8Array(12),
      u32(section.characteristics),
    ));
    const padded = new Uint8Array(rawSize);
    padded.set(section.data);
    raw.push(padded);
    rawPointer += rawSize;
  }
  const last = built.at(-1)!;
  const sizeOfImage = align(last.rva + Math.max(last.data.length, 1), sectionAlignment);
  const overlay = new Uint8Array(spec.overlay ?? 0).fill(0x5a);
  const certificateOffset = rawPointer + overlay.length;
  if (spec.certificateTable) layout.certificateOffset = certificateOffset;

  const directories = new Array<[number, number]>(16).fill([0, 0]);
  directories[0] = [exportRva, exportSize];
  directories[1] = [importDescriptorsRva, importSize];
  if (rsrc) directories[2] = [rsrcRva, rsrc.length];
  if (spec.certificateTable) directories[4] = [certificateOffset, spec.certificateTable.length];
  directories[13] = [delayRva, delaySize];

  const imageBase = spec.imageBase ?? (is64 ? 0x140000000n : 0x400000n);
  const optional = concat(
    u16(is64 ? 0x20b : 0x10b),
    Uint8Array.of(14, 0),
    u32(align(text.length, fileAlignment)),
    u32(0),
    u32(0),
    u32(textRva), // AddressOfEntryPoint
    u32(textRva), // BaseOfCode
    is64 ? u64(imageBase) : concat(u32(rdataRva), u32(Number(imageBase))),
    u32(sectionAlignment),
    u32(fileAlignment),
    u16(6),
    u16(0),
    u16(0),
    u16(0),
    u16(6),
    u16(0),
    u32(0),
    u32(sizeOfImage),
    u32(sizeOfHeaders),
    u32(spec.checkSum ?? 0),
    u16(spec.subsystem ?? 2),
    u16(0x8160),
    is64
      ? concat(u64(0x100000n), u64(0x1000n), u64(0x100000n), u64(0x1000n))
      : concat(u32(0x100000), u32(0x1000), u32(0x100000), u32(0x1000)),
    u32(0),
    u32(16),
    ...directories.map(([address, size]) => concat(u32(address), u32(size))),
  );
  const characteristics = 0x0002 | (is64 ? 0x0020 : 0x0100) | (spec.dll ? 0x2000 : 0);
  const coff = concat(
    u16(is64 ? 0x8664 : 0x014c),
    u16(built.length),
    u32(spec.timeDateStamp ?? 0),
    u32(0),
    u32(0),
    u16(optional.length),
    u16(characteristics),
  );
  const dos = new Uint8Array(peOffset);
  dos.set([0x4d, 0x5a]);
  new DataView(dos.buffer).setUint32(0x3c, peOffset, true);
  const headers = new Uint8Array(sizeOfHeaders);
  headers.set(concat(dos, Uint8Array.of(0x50, 0x45, 0, 0), coff, optional, ...sectionTable));
  const bytes = concat(headers, ...raw, overlay, spec.certificateTable ?? new Uint8Array(0));
  return { bytes, layout };
}

/** Little-endian writers for corrupting a built image in place. */
export function setU16(bytes: Uint8Array, offset: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset).setUint16(offset, value, true);
}
/** Writes a little-endian u32. */
export function setU32(bytes: Uint8Array, offset: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(offset, value >>> 0, true);
}

/** The file offset of an RVA inside one of the built sections. */
export function offsetOfRva(layout: PeLayout, rva: number): number {
  for (const section of Object.values(layout.sections)) {
    if (rva >= section.virtualAddress && rva < section.virtualAddress + section.rawSize) {
      return section.rawPointer + rva - section.virtualAddress;
    }
  }
  throw new Error(`RVA 0x${rva.toString(16)} is in no built section`);
}
