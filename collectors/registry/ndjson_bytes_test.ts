import { deepStrictEqual as assertEquals } from "node:assert/strict";
import type { ObservedItem } from "../../engine/observed_item.ts";
import { NdjsonByteWriter } from "./ndjson_bytes.ts";
import { keyItem, valueItem } from "./registry_item.ts";
import type { RegistryMount } from "./source.ts";

const mount = {
  root: "HKEY_USERS",
  mountPath: "S-1-5-21-1",
  role: "NTUSER",
  username: 'we"ird\\user',
  sid: "S-1-5-21-1",
} as unknown as RegistryMount;

const key = {
  name: "Run",
  numSubKeys: 1,
  numValues: 3,
  modified: new Date("2024-05-06T07:08:09.123Z"),
};
const env = new Map([["WINDIR", "C:\\Windows"]]);
const bytes = (text: string) => new TextEncoder().encode(text);

function items(): ObservedItem[] {
  const keyPath = 'S-1-5-21-1\\Software\\"Quoted"\\Run';
  const utf16 = (text: string) => {
    const out = new Uint8Array(text.length * 2 + 2);
    for (let i = 0; i < text.length; i++) out[i * 2] = text.charCodeAt(i);
    return out;
  };
  return [
    valueItem(mount, keyPath, key, {
      name: 'a"b\\c',
      type: 1,
      reportedLength: 8,
      data: utf16("x\ty"),
    }, env),
    valueItem(mount, keyPath, key, {
      name: "",
      type: 2,
      reportedLength: 20,
      data: utf16("%windir%\\x"),
    }, env),
    valueItem(mount, keyPath, key, {
      name: "bin",
      type: 3,
      reportedLength: 3,
      data: bytes("\u0001AB"),
    }, env),
    valueItem(mount, keyPath, key, {
      name: "multi",
      type: 7,
      reportedLength: 8,
      decoded: ["a", 'b"c'],
    }, env),
    valueItem(mount, keyPath, key, {
      name: "n",
      type: 4,
      reportedLength: 4,
      data: new Uint8Array([1, 0, 0, 0]),
    }, env),
    valueItem(mount, keyPath, key, {
      name: "odd",
      type: 0x99,
      reportedLength: 2,
      data: new Uint8Array([255, 0]),
    }, env),
    valueItem(
      mount,
      keyPath,
      key,
      {
        name: '\u0001\u001f\b\f\n\r\t"\\é中\ud83d\ude00\ud800x',
        type: 1,
        reportedLength: 2,
        decoded: "\udc00\u2028\u007f\u0000z",
      },
      env,
    ),
    valueItem(mount, "S-1-5-21-1\\Ünï\\\ud83d\ude00", key, {
      name: "é",
      type: 2,
      reportedLength: 2,
      decoded: "%WINDIR%é",
    }, env),
    keyItem(mount, "S-1-5-21-1\\Ünï\\\ud83d\ude00", key),
    keyItem(mount, keyPath, { name: "Run", numSubKeys: 0, numValues: 0 }),
    keyItem(mount, "S-1-5-21-1\\Other", { ...key, numValues: 0 }),
    { document: "RegistryItem", key: "k", fields: { Hive: "HKEY_USERS", Extra: "field" } },
  ];
}

Deno.test("NdjsonByteWriter writes exactly what JSON.stringify writes", () => {
  const chunks: Uint8Array[] = [];
  // A tiny block size forces flushes in the middle of items.
  const writer = new NdjsonByteWriter({ writeSync: (b) => (chunks.push(b.slice()), b.length) }, 64);
  const expected: string[] = [];
  for (let round = 0; round < 3; round++) {
    for (const item of items()) {
      writer.writeItem(item);
      expected.push(
        JSON.stringify({ type: "item", document: item.document, key: item.key, ...item.fields }),
      );
    }
  }
  writer.writeEvent({ type: "summary", keys: 1 });
  expected.push('{"type":"summary","keys":1}');
  writer.flush();
  const text = new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
  const lines = text.trimEnd().split("\n");
  // Byte for byte what JSON.stringify writes (same field order, same escapes).
  assertEquals(lines, expected);
});
