/**
 * Writes NDJSON straight into a byte buffer, with a fast path for
 * RegistryItem `item` events: the key-level part of the line is encoded once
 * per key, the value name once per value, and repeated parts (the path in
 * `key` and `Path`, equal `Text` and `Value`) are copied as bytes. On large
 * hives this avoids building and re-encoding hundreds of megabytes of
 * strings; the output is the same JSON as {@linkcode RegistryItemSerializer}.
 *
 * @module
 */
import type { ObservedItem } from "../../engine/observed_item.ts";
import { registryItemFields } from "./registry_item.ts";

/** A sink that takes bytes synchronously (Deno.stdout, a file). */
export interface ByteSink {
  writeSync(bytes: Uint8Array): number;
}

const encoder = new TextEncoder();
const bytesOf = (text: string) => encoder.encode(text);
const QUOTE = 0x22;
const NEWLINE = 0x0a;
const ITEM_START = bytesOf('{"type":"item","document":"RegistryItem","key":"');
const PATH = bytesOf(',"Path":"');
const VALUE_NAME = bytesOf('","ValueName":"');
const TYPE = bytesOf('","Type":"');
const TEXT = bytesOf('","Text":');
const VALUE = bytesOf(',"Value":');
const LENGTH = bytesOf(',"ReportedLengthInBytes":');
const KEY_END = bytesOf('","ValueName":""}\n');

/** Value types whose Text/Value are hex or decimal digits: nothing to escape. */
function plainText(type: unknown): boolean {
  return type !== "REG_SZ" && type !== "REG_EXPAND_SZ" && type !== "REG_LINK" &&
    type !== "REG_MULTI_SZ";
}

/** JSON string content (escaped, without quotes). */
function escaped(text: string): string {
  const quoted = JSON.stringify(text);
  return quoted.slice(1, quoted.length - 1);
}

/** Buffers NDJSON lines as bytes and writes them to a sink in large blocks. */
export class NdjsonByteWriter {
  readonly #out: ByteSink;
  #buffer: Uint8Array;
  #pos = 0;
  // Per-key cache, keyed by the identity of the key-level fields.
  #hive: unknown;
  #keyPath: unknown;
  #subKeys: unknown;
  #values: unknown;
  #modified: unknown;
  #username: unknown;
  #sid: unknown;
  #prefix = new Uint8Array(0);
  #valueBase = "";
  #valueBaseBytes = new Uint8Array(0);

  /** Creates a writer flushing to `out` every `blockSize` bytes. */
  constructor(out: ByteSink, blockSize = 1 << 20) {
    this.#out = out;
    this.#buffer = new Uint8Array(blockSize);
  }

  #room(size: number): void {
    if (this.#pos + size <= this.#buffer.length) return;
    this.flush();
    if (size > this.#buffer.length) this.#buffer = new Uint8Array(size * 2);
  }

  #bytes(bytes: Uint8Array): void {
    this.#room(bytes.length);
    this.#buffer.set(bytes, this.#pos);
    this.#pos += bytes.length;
  }

  #text(text: string): void {
    this.#room(text.length * 3);
    this.#pos += encoder.encodeInto(text, this.#buffer.subarray(this.#pos)).written;
  }

  #byte(byte: number): void {
    this.#room(1);
    this.#buffer[this.#pos++] = byte;
  }

  /** Writes any event as one JSON line. */
  writeEvent(event: unknown): void {
    this.#text(JSON.stringify(event));
    this.#byte(NEWLINE);
  }

  /** Writes an `item` event for a collected object (fast for RegistryItem). */
  writeItem(item: ObservedItem): void {
    const f = item.fields;
    const name = f.ValueName;
    if (!registryItemFields.has(f) || typeof name !== "string") {
      this.writeEvent({ type: "item", document: item.document, key: item.key, ...f });
      return;
    }
    if (
      f.KeyPath !== this.#keyPath || f.Hive !== this.#hive || f.Modified !== this.#modified ||
      f.NumSubKeys !== this.#subKeys || f.NumValues !== this.#values ||
      f.Username !== this.#username || f.SecurityID !== this.#sid
    ) this.#cacheKey(f);
    if (f.Type === undefined) {
      // A key without values: its key and Path are Hive\KeyPath (the cached base minus `\`).
      if (
        name !== "" || f.Path !== item.key || item.key.length !== this.#valueBase.length - 1 ||
        !this.#valueBase.startsWith(item.key)
      ) {
        this.writeEvent({ type: "item", document: item.document, key: item.key, ...f });
        return;
      }
      const keyBytes = this.#valueBaseBytes.subarray(0, this.#valueBaseBytes.length - 2);
      this.#bytes(ITEM_START);
      this.#bytes(keyBytes);
      this.#byte(QUOTE);
      this.#bytes(this.#prefix);
      this.#bytes(PATH);
      this.#bytes(keyBytes);
      this.#bytes(KEY_END);
      return;
    }
    if (
      item.key.length !== this.#valueBase.length + name.length || f.Path !== item.key ||
      !item.key.startsWith(this.#valueBase)
    ) {
      this.writeEvent({ type: "item", document: item.document, key: item.key, ...f });
      return;
    }
    const nameBytes = bytesOf(escaped(name));
    this.#bytes(ITEM_START);
    this.#bytes(this.#valueBaseBytes);
    this.#bytes(nameBytes);
    this.#byte(QUOTE);
    this.#bytes(this.#prefix);
    this.#bytes(PATH);
    this.#bytes(this.#valueBaseBytes);
    this.#bytes(nameBytes);
    this.#bytes(VALUE_NAME);
    this.#bytes(nameBytes);
    this.#bytes(TYPE);
    this.#text(String(f.Type));
    this.#bytes(TEXT);
    const plain = plainText(f.Type) && typeof f.Text === "string";
    const textJson = plain ? undefined : JSON.stringify(f.Text);
    const textLength = plain ? (f.Text as string).length + 2 : textJson!.length;
    const same = f.Value === f.Text;
    // Reserve room for Text (and its copy) so that no flush moves it before the copy.
    this.#room(textLength * 3 * (same ? 2 : 1) + VALUE.length);
    const textStart = this.#pos;
    if (plain) {
      this.#byte(QUOTE);
      this.#text(f.Text as string);
      this.#byte(QUOTE);
    } else this.#text(textJson!);
    const textEnd = this.#pos;
    this.#bytes(VALUE);
    if (same) {
      this.#buffer.copyWithin(this.#pos, textStart, textEnd);
      this.#pos += textEnd - textStart;
    } else this.#text(JSON.stringify(f.Value));
    this.#bytes(LENGTH);
    this.#text(String(f.ReportedLengthInBytes));
    this.#byte(0x7d);
    this.#byte(NEWLINE);
  }

  #cacheKey(f: ObservedItem["fields"]): void {
    this.#hive = f.Hive;
    this.#keyPath = f.KeyPath;
    this.#subKeys = f.NumSubKeys;
    this.#values = f.NumValues;
    this.#modified = f.Modified;
    this.#username = f.Username;
    this.#sid = f.SecurityID;
    let prefix = `,"Hive":${JSON.stringify(f.Hive)},"KeyPath":${JSON.stringify(f.KeyPath)}` +
      `,"NumSubKeys":${JSON.stringify(f.NumSubKeys)},"NumValues":${JSON.stringify(f.NumValues)}`;
    if (f.Modified !== undefined) prefix += `,"Modified":${JSON.stringify(f.Modified)}`;
    if (f.Username !== undefined) prefix += `,"Username":${JSON.stringify(f.Username)}`;
    if (f.SecurityID !== undefined) prefix += `,"SecurityID":${JSON.stringify(f.SecurityID)}`;
    this.#prefix = bytesOf(prefix);
    this.#valueBase = `${f.Hive}\\${f.KeyPath}\\`;
    this.#valueBaseBytes = bytesOf(escaped(this.#valueBase));
  }

  /** Writes what is buffered. */
  flush(): void {
    let bytes = this.#buffer.subarray(0, this.#pos);
    while (bytes.length > 0) bytes = bytes.subarray(this.#out.writeSync(bytes));
    this.#pos = 0;
  }
}
