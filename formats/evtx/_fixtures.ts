/**
 * Test-only builder of synthetic EVTX files: a file header, one chunk, and
 * records made of a template (written inline by the first record that uses
 * it) and substitution values. Lets tests exercise every BinXML token and
 * value type, and damage, without checked-in binary files.
 *
 * @module
 */
import { BinXmlToken as T, moreDataFlag } from "./binxml_tokens.ts";
import { crc32 } from "./crc32.ts";

/** A template BinXML token stream under construction. */
export type Token =
  | { open: string; attrs?: [string, Token[]][] }
  | { closeStart: true }
  | { close: true }
  | { empty: true }
  | { text: string }
  | { sub: number; type: number; optional?: boolean }
  | { charRef: number }
  | { entity: string }
  | { pi: string; data: string }
  | { cdata: string };

/** One substitution value: its type and raw bytes. */
export interface Value {
  type: number;
  bytes: Uint8Array;
}

/** A record to build: its id, written time (Unix ms) and values. */
export interface RecordSpec {
  id: number;
  writtenMs: number;
  /** The values, or a function of the chunk offsets of names already written (for nested BinXML). */
  values: Value[] | ((names: ReadonlyMap<string, number>) => Value[]);
  /** Raw bytes to use as the whole BinXML body instead of a template instance. */
  body?: Uint8Array;
}

class Writer {
  bytes = new Uint8Array(65536);
  view = new DataView(this.bytes.buffer);
  pos: number;
  names = new Map<string, number>();
  constructor(start: number) {
    this.pos = start;
  }
  u8(v: number) {
    this.bytes[this.pos++] = v;
  }
  u16(v: number) {
    this.view.setUint16(this.pos, v, true);
    this.pos += 2;
  }
  u32(v: number) {
    this.view.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
  }
  raw(b: Uint8Array) {
    this.bytes.set(b, this.pos);
    this.pos += b.length;
  }
  utf16(s: string) {
    for (let i = 0; i < s.length; i++) this.u16(s.charCodeAt(i));
  }
  /** A name reference: inline the first time, by offset afterwards. */
  name(name: string) {
    const known = this.names.get(name);
    if (known !== undefined) {
      this.u32(known);
      return;
    }
    const at = this.pos + 4;
    this.names.set(name, at);
    this.u32(at);
    this.u32(0);
    this.u16(0);
    this.u16(name.length);
    this.utf16(name);
    this.u16(0);
  }
}

/** UTF-16LE bytes of a string (with no terminator). */
export function utf16(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    out[2 * i] = s.charCodeAt(i) & 0xff;
    out[2 * i + 1] = s.charCodeAt(i) >> 8;
  }
  return out;
}

/** Little-endian bytes of an unsigned integer of `size` bytes. */
export function le(value: number | bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let v = BigInt(value);
  for (let i = 0; i < size; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** FILETIME bytes for Unix milliseconds plus extra 100 ns ticks. */
export function filetime(ms: number, ticks = 0): Uint8Array {
  return le(BigInt(ms + 11644473600000) * 10000n + BigInt(ticks), 8);
}

function writeTokens(w: Writer, tokens: Token[]): void {
  for (const t of tokens) {
    if ("open" in t) {
      const hasAttrs = (t.attrs?.length ?? 0) > 0;
      w.u8(hasAttrs ? T.OpenStartElement | moreDataFlag : T.OpenStartElement);
      w.u16(0xffff);
      w.u32(0);
      w.name(t.open);
      if (hasAttrs) {
        w.u32(0);
        t.attrs!.forEach(([name, value], i) => {
          w.u8(i < t.attrs!.length - 1 ? T.Attribute | moreDataFlag : T.Attribute);
          w.name(name);
          writeTokens(w, value);
        });
      }
    } else if ("closeStart" in t) w.u8(T.CloseStartElement);
    else if ("close" in t) w.u8(T.EndElement);
    else if ("empty" in t) w.u8(T.CloseEmptyElement);
    else if ("text" in t) {
      w.u8(T.Value);
      w.u8(0x01); // string
      w.u16(t.text.length);
      w.utf16(t.text);
    } else if ("sub" in t) {
      w.u8(t.optional ? T.OptionalSubstitution : T.NormalSubstitution);
      w.u16(t.sub);
      w.u8(t.type);
    } else if ("charRef" in t) {
      w.u8(T.CharacterReference);
      w.u16(t.charRef);
    } else if ("entity" in t) {
      w.u8(T.EntityReference);
      w.name(t.entity);
    } else if ("pi" in t) {
      w.u8(T.ProcessingInstructionTarget);
      w.name(t.pi);
      w.u8(T.ProcessingInstructionData);
      w.u16(t.data.length);
      w.utf16(t.data);
    } else {
      w.u8(T.CDataSection);
      w.u16(t.cdata.length);
      w.utf16(t.cdata);
    }
  }
}

/** Tokens of a whole element: `element("Data", [["Name", [{ text: "x" }]]], [{ sub: 0, type: 1 }])`. */
export function element(name: string, attrs: [string, Token[]][], content: Token[]): Token[] {
  if (content.length === 0) return [{ open: name, attrs }, { empty: true }];
  return [{ open: name, attrs }, { closeStart: true }, ...content, { close: true }];
}

/** Options of {@linkcode buildEvtx}. */
export interface BuildOptions {
  template: Token[];
  records: RecordSpec[];
  fileFlags?: number;
  chunkFlags?: number;
  /** Extra bytes of zero-filled chunks after the real one. */
  zeroChunks?: number;
}

/** A fragment header: the token, version 1.1, no flags. */
const fragmentHeader = new Uint8Array([T.FragmentHeader, 0x01, 0x01, 0x00]);

/** Builds a whole EVTX file holding one chunk. */
export function buildEvtx(options: BuildOptions): Uint8Array {
  const w = new Writer(512);
  let templateOffset = -1;
  let first = -1;
  let last = 0;
  for (const record of options.records) {
    const start = w.pos;
    last = start;
    if (first < 0) first = record.id;
    w.u32(0x2a2a);
    w.u32(0); // size, patched below
    w.raw(le(record.id, 8));
    w.raw(filetime(record.writtenMs));
    if (record.body) w.raw(record.body);
    else {
      w.raw(fragmentHeader);
      w.u8(T.TemplateInstance);
      w.u8(0x01);
      w.u32(0x1234);
      if (templateOffset < 0) {
        templateOffset = w.pos + 4;
        w.u32(templateOffset);
        w.u32(0); // next template
        w.raw(new Uint8Array(16)); // GUID
        const sizeAt = w.pos;
        w.u32(0);
        const dataStart = w.pos;
        w.raw(fragmentHeader);
        writeTokens(w, options.template);
        w.u8(T.EndOfFragment);
        w.view.setUint32(sizeAt, w.pos - dataStart, true);
      } else {
        w.u32(templateOffset);
      }
      const values = typeof record.values === "function" ? record.values(w.names) : record.values;
      w.u32(values.length);
      for (const v of values) {
        w.u16(v.bytes.length);
        w.u8(v.type);
        w.u8(0);
      }
      for (const v of values) w.raw(v.bytes);
      w.u8(T.EndOfFragment);
    }
    w.u32(0); // size copy, patched below
    const size = w.pos - start;
    w.view.setUint32(start + 4, size, true);
    w.view.setUint32(w.pos - 4, size, true);
  }
  const chunk = w.bytes;
  const view = w.view;
  chunk.set(new TextEncoder().encode("ElfChnk\0"), 0);
  const lastId = options.records.at(-1)?.id ?? 0;
  view.setBigUint64(8, BigInt(first < 0 ? 0 : first), true);
  view.setBigUint64(16, BigInt(lastId), true);
  view.setBigUint64(24, BigInt(first < 0 ? 0 : first), true);
  view.setBigUint64(32, BigInt(lastId), true);
  view.setUint32(40, 128, true);
  view.setUint32(44, last, true);
  view.setUint32(48, w.pos, true);
  view.setUint32(52, crc32(chunk, 512, w.pos), true);
  view.setUint32(120, options.chunkFlags ?? 0, true);
  view.setUint32(124, crc32(chunk, 128, 512, crc32(chunk, 0, 120)), true);
  const header = new Uint8Array(4096);
  const hv = new DataView(header.buffer);
  header.set(new TextEncoder().encode("ElfFile\0"), 0);
  hv.setBigUint64(24, BigInt(lastId + 1), true);
  hv.setUint32(32, 128, true);
  hv.setUint16(36, 1, true);
  hv.setUint16(38, 3, true);
  hv.setUint16(40, 4096, true);
  hv.setUint16(42, 1, true);
  hv.setUint32(120, options.fileFlags ?? 0, true);
  hv.setUint32(124, crc32(header, 0, 120), true);
  const zero = (options.zeroChunks ?? 0) * 65536;
  const file = new Uint8Array(4096 + 65536 + zero);
  file.set(header, 0);
  file.set(chunk, 4096);
  return file;
}
