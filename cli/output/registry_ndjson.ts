/**
 * RegistryItem `item` lines, fast: an {@linkcode OutputWriter} that writes
 * NDJSON straight into its byte buffer. The key-level part of a line is
 * encoded once per key, strings are JSON-escaped and UTF-8-encoded in one
 * pass without intermediate strings, and repeated parts (the value name three
 * times, equal `Text` and `Value`) are copied as bytes. On large hives this is
 * several times faster than `JSON.stringify` + `TextEncoder`, and its output
 * is byte for byte what `JSON.stringify` writes of the items
 * `collectors/registry/registry_item.ts` builds (registry_ndjson_test.ts),
 * with the field names and order that file declares.
 *
 * @module
 */
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { decodeValue, valueTypeName } from "../../formats/regf/mod.ts";
import {
  expandEnvironment,
  type RegistryItemField,
  registryItemFields,
  registryKeyFieldNames,
  type SelectedKey,
} from "../../collectors/registry/mod.ts";
import { stdout, type SyncWritable } from "./command_output.ts";
import { OutputWriter } from "./output_writer.ts";

const encoder = new TextEncoder();
const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const QUOTE = 0x22;
const NEWLINE = 0x0a;
/** `,"Name":` of a field declared in registry_item.ts. */
const field = (name: RegistryItemField) => `,"${name}":`;
const ITEM_START_TEXT = '{"type":"item","document":"RegistryItem","key":"';
const ITEM_START = ascii(ITEM_START_TEXT);
const PATH = ascii(`${field("Path")}"`);
const VALUE_NAME = ascii(`"${field("ValueName")}"`);
const TYPE = ascii(`"${field("Type")}"`);
const TEXT = ascii(`"${field("Text")}`);
const VALUE = ascii(field("Value"));
const LENGTH = ascii(field("ReportedLengthInBytes"));
const KEY_END = ascii(`"${field("ValueName")}""}\n`);
const HEX = ascii("0123456789abcdef");
/** `,"Hive":`, `,"KeyPath":`… in registryKeyFieldNames' order. */
const KEY_FIELD_HEADS = registryKeyFieldNames.map(field);
const SUB_KEYS_FIELD = ascii(`"${field("NumSubKeys")}`);
const NUM_VALUES_FIELD = ascii(field("NumValues"));
const MODIFIED_FIELD = ascii(`${field("Modified")}"`);
const USERNAME_FIELD = ascii(`${field("Username")}"`);
const SID_FIELD = ascii(`${field("SecurityID")}"`);
/** `","Type":"REG_…","Text":` as bytes, by type number. */
const TYPE_TEXT = Array.from(
  { length: 12 },
  (_, type) => ascii(`"${field("Type")}"${valueTypeName(type)}"${field("Text")}`),
);
// deno-lint-ignore no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Whether UTF-16LE data holds a `%` (REG_EXPAND_SZ without one expands to itself). */
function hasUtf16Percent(data: Uint8Array): boolean {
  const end = data.length - 1;
  for (let i = 0; i < end; i += 2) {
    if (data[i] === 0x25 && data[i + 1] === 0) return true;
  }
  return false;
}

/** Value types whose Text/Value are hex or decimal digits: nothing to escape. */
function plainText(type: unknown): boolean {
  return type !== "REG_SZ" && type !== "REG_EXPAND_SZ" && type !== "REG_LINK" &&
    type !== "REG_MULTI_SZ";
}

/** Block size of registry output: a full hive walk writes hundreds of megabytes. */
const registryBlockBytes = 1 << 20;

/** An {@linkcode OutputWriter} with fast paths for RegistryItem lines. */
export class RegistryNdjsonWriter extends OutputWriter {
  // Per-key cache of writeItem, keyed by the identity of the key-level fields.
  #keyValues: unknown[] = [];
  #prefix = new Uint8Array(0);
  #valueBase = "";
  #valueBaseBytes = new Uint8Array(0);
  // writeKey's per-key line parts (see #keyParts).
  #head = new Uint8Array(0);
  #middle = new Uint8Array(0);
  #parts = new Uint8Array(4096);
  #unknownTypes = new Map<number, Uint8Array>();
  #root = "";
  #rootHead = new Uint8Array(0);
  #rootFields = new Uint8Array(0);
  #modifiedTime = NaN;
  #modifiedText = "";

  /** Creates a writer flushing to `out` (stdout by default) every `blockBytes` bytes. */
  constructor(out: SyncWritable = stdout, blockBytes = registryBlockBytes) {
    // Registry items hold strings, numbers, arrays of strings and Dates: plain JSON.
    super(out, { blockBytes, plainJson: true });
  }

  // The raw writers below assume the room was made. Copying from another
  // array with set() costs the same whatever the length; a copy within the
  // buffer (copyWithin) costs more than a loop over a few bytes.
  #bytes(bytes: Uint8Array): void {
    this.buffer.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  #copy(start: number, end: number): void {
    const length = end - start;
    if (length > 32) this.buffer.copyWithin(this.pos, start, end);
    else {
      const buffer = this.buffer;
      const pos = this.pos;
      for (let i = 0; i < length; i++) buffer[pos + i] = buffer[start + i]!;
    }
    this.pos += length;
  }

  /** Writes a string's JSON-escaped UTF-8 (without quotes); at most 6 bytes per code unit. */
  #json(text: string): void {
    const length = text.length;
    if (length > 1024) {
      // Long strings: the runtime's encoder beats a JS loop only past about a
      // kilobyte (a call costs ~150 ns, and key paths of ~100 characters are
      // written once per key); escaping goes through JSON.stringify.
      const plain = NEEDS_ESCAPE.test(text) ? JSON.stringify(text).slice(1, -1) : text;
      this.pos += encoder.encodeInto(plain, this.buffer.subarray(this.pos)).written;
      return;
    }
    const buffer = this.buffer;
    let pos = this.pos;
    // Printable ASCII needs neither escaping nor encoding: the common case.
    let i = 0;
    for (; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) break;
      buffer[pos++] = c;
    }
    if (i === length) {
      this.pos = pos;
      return;
    }
    for (; i < length; i++) {
      let c = text.charCodeAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c !== 0x22 && c !== 0x5c) buffer[pos++] = c;
        else if (c === 0x22 || c === 0x5c) {
          buffer[pos++] = 0x5c;
          buffer[pos++] = c;
        } else if (c === 0x0a) (buffer[pos++] = 0x5c, buffer[pos++] = 0x6e);
        else if (c === 0x0d) (buffer[pos++] = 0x5c, buffer[pos++] = 0x72);
        else if (c === 0x09) (buffer[pos++] = 0x5c, buffer[pos++] = 0x74);
        else if (c === 0x08) (buffer[pos++] = 0x5c, buffer[pos++] = 0x62);
        else if (c === 0x0c) (buffer[pos++] = 0x5c, buffer[pos++] = 0x66);
        else pos = this.#unicodeEscape(pos, c);
      } else if (c < 0x800) {
        buffer[pos++] = 0xc0 | (c >> 6);
        buffer[pos++] = 0x80 | (c & 0x3f);
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const next = text.charCodeAt(i + 1);
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          buffer[pos++] = 0xf0 | (c >> 18);
          buffer[pos++] = 0x80 | ((c >> 12) & 0x3f);
          buffer[pos++] = 0x80 | ((c >> 6) & 0x3f);
          buffer[pos++] = 0x80 | (c & 0x3f);
        } else pos = this.#unicodeEscape(pos, c); // a lone surrogate, as JSON.stringify writes it
      } else {
        buffer[pos++] = 0xe0 | (c >> 12);
        buffer[pos++] = 0x80 | ((c >> 6) & 0x3f);
        buffer[pos++] = 0x80 | (c & 0x3f);
      }
    }
    this.pos = pos;
  }

  #unicodeEscape(pos: number, c: number): number {
    const buffer = this.buffer;
    buffer[pos++] = 0x5c;
    buffer[pos++] = 0x75;
    buffer[pos++] = HEX[(c >> 12) & 15]!;
    buffer[pos++] = HEX[(c >> 8) & 15]!;
    buffer[pos++] = HEX[(c >> 4) & 15]!;
    buffer[pos++] = HEX[c & 15]!;
    return pos;
  }

  /** Writes an ASCII string that needs no escaping (hex, digits, type names). */
  #plain(text: string): void {
    const length = text.length;
    if (length > 64) {
      this.pos += encoder.encodeInto(text, this.buffer.subarray(this.pos)).written;
      return;
    }
    const buffer = this.buffer;
    let pos = this.pos;
    for (let i = 0; i < length; i++) buffer[pos++] = text.charCodeAt(i);
    this.pos = pos;
  }

  #generic(item: ObservedItem): void {
    this.event({ type: "item", document: item.document, key: item.key, ...item.fields });
  }

  /** Writes an `item` event for a collected object (fast for RegistryItem). */
  writeItem(item: ObservedItem): void {
    const f = item.fields;
    const name = f.ValueName;
    if (!registryItemFields.has(f) || typeof name !== "string" || f.Path !== item.key) {
      return this.#generic(item);
    }
    if (!this.#sameKey(f)) this.#encodeKey(f);
    const base = this.#valueBase;
    const baseBytes = this.#valueBaseBytes;
    const fixed = ITEM_START.length + 2 * baseBytes.length + this.#prefix.length + 96;
    if (f.Type === undefined) {
      // A key without values: key and Path are Hive\KeyPath, the cached base minus its `\`.
      if (name !== "" || item.key.length !== base.length - 1 || !base.startsWith(item.key)) {
        return this.#generic(item);
      }
      const key = baseBytes.subarray(0, baseBytes.length - 2);
      this.room(fixed);
      this.#bytes(ITEM_START);
      this.#bytes(key);
      this.buffer[this.pos++] = QUOTE;
      this.#bytes(this.#prefix);
      this.#bytes(PATH);
      this.#bytes(key);
      this.#bytes(KEY_END);
      return;
    }
    if (item.key.length !== base.length + name.length || !item.key.startsWith(base)) {
      return this.#generic(item);
    }
    const type = String(f.Type);
    const text = f.Text;
    const value = f.Value;
    const plain = plainText(type) && typeof text === "string";
    const stringText = typeof text === "string";
    const textJson = stringText ? undefined : JSON.stringify(text);
    const textRoom = stringText ? (plain ? text.length : 6 * text.length) : 3 * textJson!.length;
    const valueRoom = value === text
      ? textRoom
      : typeof value === "string"
      ? 6 * value.length
      : 3 * JSON.stringify(value).length;
    this.room(fixed + 18 * name.length + type.length + textRoom + valueRoom + 32);
    const buffer = this.buffer;
    this.#bytes(ITEM_START);
    this.#bytes(baseBytes);
    const nameStart = this.pos;
    this.#json(name);
    const nameEnd = this.pos;
    buffer[this.pos++] = QUOTE;
    this.#bytes(this.#prefix);
    this.#bytes(PATH);
    this.#bytes(baseBytes);
    this.#copy(nameStart, nameEnd);
    this.#bytes(VALUE_NAME);
    this.#copy(nameStart, nameEnd);
    this.#bytes(TYPE);
    this.#plain(type);
    this.#bytes(TEXT);
    const textStart = this.pos;
    if (stringText) {
      buffer[this.pos++] = QUOTE;
      if (plain) this.#plain(text);
      else this.#json(text);
      buffer[this.pos++] = QUOTE;
    } else this.pos += encoder.encodeInto(textJson!, buffer.subarray(this.pos)).written;
    const textEnd = this.pos;
    this.#bytes(VALUE);
    if (value === text) this.#copy(textStart, textEnd);
    else if (typeof value === "string") {
      buffer[this.pos++] = QUOTE;
      this.#json(value);
      buffer[this.pos++] = QUOTE;
    } else this.pos += encoder.encodeInto(JSON.stringify(value), buffer.subarray(this.pos)).written;
    this.#bytes(LENGTH);
    this.#plain(String(f.ReportedLengthInBytes));
    buffer[this.pos++] = 0x7d;
    buffer[this.pos++] = NEWLINE;
  }

  /** Whether `f` has the key-level fields of the last item written. */
  #sameKey(f: ObservedItem["fields"]): boolean {
    const cached = this.#keyValues;
    for (let i = 0; i < registryKeyFieldNames.length; i++) {
      if (f[registryKeyFieldNames[i]!] !== cached[i]) return false;
    }
    return true;
  }

  /** Encodes the key-level part of the lines: the key fields, in registry_item.ts's order. */
  #encodeKey(f: ObservedItem["fields"]): void {
    this.#keyValues = registryKeyFieldNames.map((name) => f[name]);
    const hive = String(f.Hive);
    const keyPath = String(f.KeyPath);
    let textLength = hive.length + keyPath.length;
    for (const value of this.#keyValues) {
      if (typeof value === "string") textLength += value.length;
    }
    // Encode the prefix in the free part of the buffer, keep a copy, and give the room back.
    this.room(6 * textLength + 256);
    const start = this.pos;
    for (let i = 0; i < registryKeyFieldNames.length; i++) {
      const value = this.#keyValues[i];
      // JSON.stringify leaves out the fields an item does not have (Modified, Username…).
      if (value === undefined) continue;
      this.#plain(KEY_FIELD_HEADS[i]!);
      if (typeof value !== "string") this.#plain(JSON.stringify(value) ?? "null");
      else {
        this.buffer[this.pos++] = QUOTE;
        this.#json(value);
        this.buffer[this.pos++] = QUOTE;
      }
    }
    this.#prefix = this.buffer.slice(start, this.pos);
    this.pos = start;
    this.#json(hive);
    this.#plain("\\\\");
    this.#json(keyPath);
    this.#plain("\\\\");
    this.#valueBaseBytes = this.buffer.slice(start, this.pos);
    this.pos = start;
    this.#valueBase = `${hive}\\${keyPath}\\`;
  }

  /** Writes the key-level fields (baseFields' order) for writeKey. */
  #keyFields(selected: SelectedKey, keyPathStart: number, keyPathEnd: number): void {
    const { mount, key } = selected;
    this.#bytes(this.#rootFields); // set by #keyParts for this root
    // The escaped key path is already in the buffer (the line's `key`).
    this.buffer.copyWithin(this.pos, keyPathStart, keyPathEnd);
    this.pos += keyPathEnd - keyPathStart;
    this.#bytes(SUB_KEYS_FIELD);
    this.#integer(key.numSubKeys);
    this.#bytes(NUM_VALUES_FIELD);
    this.#integer(key.numValues);
    if (key.modified !== undefined) {
      const time = key.modified.getTime();
      if (Number.isNaN(time)) this.#plain(`${field("Modified")}null`);
      else {
        this.#bytes(MODIFIED_FIELD);
        // Keys written together share their time: most keys repeat the previous one's.
        if (time !== this.#modifiedTime) {
          this.#modifiedTime = time;
          this.#modifiedText = key.modified.toISOString();
        }
        this.#plain(this.#modifiedText);
        this.buffer[this.pos++] = QUOTE;
      }
    }
    if (mount.username !== undefined) {
      this.#bytes(USERNAME_FIELD);
      this.#json(mount.username);
      this.buffer[this.pos++] = QUOTE;
    }
    if (mount.sid !== undefined) {
      this.#bytes(SID_FIELD);
      this.#json(mount.sid);
      this.buffer[this.pos++] = QUOTE;
    }
  }

  /**
   * Sets the constant runs for keys under a root (roots are ASCII names):
   * the line start up to the key path (`{"type":"item",…,"key":"HKEY_…\\`)
   * and `,"Hive":"HKEY_…","KeyPath":"`.
   */
  #useRoot(root: string): void {
    if (root === this.#root) return;
    this.#root = root;
    const escaped = JSON.stringify(root).slice(1, -1);
    this.#rootHead = ascii(`${ITEM_START_TEXT}${escaped}\\\\`);
    this.#rootFields = ascii(`${field("Hive")}"${escaped}"${field("KeyPath")}"`);
  }

  /**
   * Encodes the key-level parts of a key's lines once, as two byte runs
   * that every value line of the key copies: `head` is the line start up to
   * the value name (`{"type":"item",…,"key":"Hive\\KeyPath\\`), `middle`
   * runs from the quote closing `key` to the value name in `Path` (the
   * key-level fields, `,"Path":"` and `Hive\\KeyPath\\` again).
   */
  #keyParts(selected: SelectedKey): void {
    const { mount, keyPath } = selected;
    const extra = 6 * (keyPath.length + (mount.username?.length ?? 0) + (mount.sid?.length ?? 0));
    const size = 3 * extra + 512;
    if (this.#parts.length < size) this.#parts = new Uint8Array(2 * size);
    // Encode into the parts buffer with the usual writers, then switch back.
    const out = this.buffer;
    const outPos = this.pos;
    const parts = this.#parts;
    this.buffer = parts;
    this.#useRoot(mount.root);
    parts.set(this.#rootHead);
    this.pos = this.#rootHead.length;
    const keyPathStart = this.pos;
    this.#json(keyPath);
    const keyPathEnd = this.pos;
    parts[this.pos++] = 0x5c;
    parts[this.pos++] = 0x5c;
    const headEnd = this.pos;
    parts[this.pos++] = QUOTE;
    this.#keyFields(selected, keyPathStart, keyPathEnd);
    this.#bytes(PATH);
    parts.copyWithin(this.pos, ITEM_START.length, headEnd);
    this.pos += headEnd - ITEM_START.length;
    // Views, not copies: a fresh backing store per key costs more than the copies save.
    this.#head = parts.subarray(0, headEnd);
    this.#middle = parts.subarray(headEnd, this.pos);
    this.buffer = out;
    this.pos = outPos;
  }

  /**
   * Writes the items of one selected key (one per value, or one for a key
   * without values) straight from its records: the same lines as
   * {@linkcode writeItem} on `valueItem`/`keyItem`, without building them.
   * The key-level parts are encoded once per key and copied into each line.
   */
  writeKey(selected: SelectedKey): void {
    const { records, env } = selected;
    this.#keyValues = []; // writeItem's cache no longer describes the buffer
    this.#keyParts(selected);
    const head = this.#head;
    const middle = this.#middle;
    const fixed = head.length + middle.length + 160;
    if (records.length === 0) {
      // The key is Hive\KeyPath: the parts without their escaped trailing backslash.
      this.room(fixed);
      this.buffer.set(head.subarray(0, head.length - 2), this.pos);
      this.pos += head.length - 2;
      this.buffer.set(middle.subarray(0, middle.length - 2), this.pos);
      this.pos += middle.length - 2;
      this.#bytes(KEY_END);
      return;
    }
    for (const record of records) {
      const name = record.name;
      const data = record.data;
      const type = record.type;
      // REG_SZ/REG_LINK (and REG_EXPAND_SZ without `%`) data is written straight
      // from its UTF-16 bytes when every code unit is below 0x100; else it is decoded.
      const direct = record.decoded === undefined && data !== undefined &&
        (type === 1 || type === 6 || (type === 2 && !hasUtf16Percent(data)));
      const decoded = direct
        ? undefined
        : record.decoded ?? decodeValue(type, data ?? new Uint8Array(0));
      let text: string | undefined;
      let value: string | undefined;
      let other: string | undefined;
      let textRoom: number;
      if (direct) textRoom = 6 * data.length;
      else if (typeof decoded === "string") {
        text = decoded;
        value = type === 2 ? expandEnvironment(decoded, env) : decoded;
        textRoom = 6 * text.length + (value === text ? 6 * text.length : 6 * value.length);
      } else if (typeof decoded === "number") textRoom = 48;
      else if (typeof decoded === "bigint") {
        other = `"${decoded}"`;
        textRoom = 2 * other.length;
      } else if (Array.isArray(decoded)) {
        other = JSON.stringify(decoded);
        textRoom = 6 * other.length;
      } else textRoom = 4 * (decoded as Uint8Array).length + 8;
      this.room(fixed + 18 * name.length + textRoom + 64);
      const buffer = this.buffer;
      buffer.set(head, this.pos);
      this.pos += head.length;
      const nameStart = this.pos;
      this.#json(name);
      const nameEnd = this.pos;
      buffer.set(middle, this.pos);
      this.pos += middle.length;
      this.#copy(nameStart, nameEnd);
      this.#bytes(VALUE_NAME);
      this.#copy(nameStart, nameEnd);
      // Test the range first: indexing with a number above 2^31 (0xffff0012…) is a slow path.
      this.#bytes(type < TYPE_TEXT.length ? TYPE_TEXT[type]! : this.#unknownTypeText(type));
      const textStart = this.pos;
      if (direct) {
        buffer[this.pos++] = QUOTE;
        if (!this.#latin1Utf16(data)) {
          // Wider code units (surrogates, BOM): decode, as the other types are.
          this.pos = textStart + 1;
          this.#json(decodeValue(type, data) as string);
        }
        buffer[this.pos++] = QUOTE;
      } else if (text !== undefined) {
        buffer[this.pos++] = QUOTE;
        this.#json(text);
        buffer[this.pos++] = QUOTE;
      } else if (other !== undefined) {
        this.pos += encoder.encodeInto(other, buffer.subarray(this.pos)).written;
      } else if (typeof decoded === "number") {
        buffer[this.pos++] = QUOTE;
        this.#integer(decoded);
        buffer[this.pos++] = QUOTE;
      } else {
        buffer[this.pos++] = QUOTE;
        this.#hex(decoded as Uint8Array);
        buffer[this.pos++] = QUOTE;
      }
      const textEnd = this.pos;
      this.#bytes(VALUE);
      if (value !== undefined && value !== text) {
        buffer[this.pos++] = QUOTE;
        this.#json(value);
        buffer[this.pos++] = QUOTE;
      } else this.#copy(textStart, textEnd);
      this.#bytes(LENGTH);
      this.#integer(record.reportedLength);
      buffer[this.pos++] = 0x7d;
      buffer[this.pos++] = NEWLINE;
    }
  }

  /**
   * Writes UTF-16LE text up to its first NUL as escaped JSON UTF-8 when every
   * code unit is below 0x100 (what decoding and {@linkcode #json} would
   * write); returns false, having written part of it, at a wider code unit.
   */
  #latin1Utf16(data: Uint8Array): boolean {
    const buffer = this.buffer;
    let pos = this.pos;
    const end = data.length - 1;
    for (let i = 0; i < end; i += 2) {
      const c = data[i]!;
      if (data[i + 1] !== 0) return false;
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c) {
        if (c < 0x80) buffer[pos++] = c;
        else (buffer[pos++] = 0xc0 | (c >> 6), buffer[pos++] = 0x80 | (c & 0x3f));
      } else if (c === 0) break;
      else if (c === 0x22 || c === 0x5c) (buffer[pos++] = 0x5c, buffer[pos++] = c);
      else if (c === 0x0a) (buffer[pos++] = 0x5c, buffer[pos++] = 0x6e);
      else if (c === 0x0d) (buffer[pos++] = 0x5c, buffer[pos++] = 0x72);
      else if (c === 0x09) (buffer[pos++] = 0x5c, buffer[pos++] = 0x74);
      else if (c === 0x08) (buffer[pos++] = 0x5c, buffer[pos++] = 0x62);
      else if (c === 0x0c) (buffer[pos++] = 0x5c, buffer[pos++] = 0x66);
      else pos = this.#unicodeEscape(pos, c);
    }
    this.pos = pos;
    return true;
  }

  /** `","Type":"REG_UNKNOWN_0x…","Text":` as bytes (device property types recur by the thousand). */
  #unknownTypeText(type: number): Uint8Array {
    let bytes = this.#unknownTypes.get(type);
    if (bytes === undefined) {
      bytes = ascii(`"${field("Type")}"${valueTypeName(type)}"${field("Text")}`);
      // A hostile hive may use millions of distinct types: keep the cache small.
      if (this.#unknownTypes.size < 1024) this.#unknownTypes.set(type, bytes);
    }
    return bytes;
  }

  /** Writes a non-negative integer in decimal (the room was made). */
  #integer(n: number): void {
    if (n < 10) {
      this.buffer[this.pos++] = 0x30 + n;
      return;
    }
    this.#plain(String(n));
  }

  /** Writes bytes as lower-case hex (the room was made). */
  #hex(data: Uint8Array): void {
    const buffer = this.buffer;
    let pos = this.pos;
    for (let i = 0; i < data.length; i++) {
      const byte = data[i]!;
      buffer[pos++] = HEX[byte >> 4]!;
      buffer[pos++] = HEX[byte & 15]!;
    }
    this.pos = pos;
  }
}
