import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { buildHive, utf16z, ValueType } from "../../formats/regf/mod.ts";
import type { BuildValue } from "../../formats/regf/mod.ts";
import {
  createRegistryCollector,
  keyItem,
  type RegistryCollectorOptions,
  registryKeyFieldNames,
  type RegistryMount,
  registryValueFieldNames,
  valueItem,
} from "../../collectors/registry/mod.ts";
import { buildRoot } from "../../collectors/registry/_registry_fixtures.ts";
import { corpusDir } from "../../tests/corpus.ts";
import { RegistryNdjsonWriter } from "./registry_ndjson.ts";

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

Deno.test("RegistryNdjsonWriter writes exactly what JSON.stringify writes", () => {
  const chunks: Uint8Array[] = [];
  // A tiny block size forces flushes in the middle of items.
  const writer = new RegistryNdjsonWriter(
    { writeSync: (b) => (chunks.push(b.slice()), b.length) },
    64,
  );
  const expected: string[] = [];
  for (let round = 0; round < 3; round++) {
    for (const item of items()) {
      writer.writeItem(item);
      expected.push(
        JSON.stringify({ type: "item", document: item.document, key: item.key, ...item.fields }),
      );
    }
  }
  writer.event({ type: "summary", keys: 1 });
  expected.push('{"type":"summary","keys":1}');
  writer.flush();
  const text = new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
  const lines = text.trimEnd().split("\n");
  // Byte for byte what JSON.stringify writes (same field order, same escapes).
  deepStrictEqual(lines, expected);
});

const registry = corpusDir("registry");

Deno.test("RegistryNdjsonWriter writes the fields in registry_item.ts's order, by both paths", async () => {
  const declared: readonly string[] = [...registryKeyFieldNames, ...registryValueFieldNames];
  const inOrder = (names: string[]) => {
    const positions = names.map((name) => declared.indexOf(name));
    return positions.every((position, i) =>
      position >= 0 && (i === 0 || position > positions[i - 1]!)
    );
  };
  const root = await buildRoot();
  try {
    const [items, keys] = await bothWays({ roots: [root], registryFull: true });
    for (const output of [items, keys]) {
      const lines = output.trimEnd().split("\n").map((line) => JSON.parse(line));
      ok(lines.length > 20, String(lines.length));
      for (const line of lines) {
        const [type, document, key, ...fields] = Object.keys(line);
        deepStrictEqual([type, document, key], ["type", "document", "key"]);
        ok(inOrder(fields), fields.join());
        deepStrictEqual(fields.slice(0, 4), registryKeyFieldNames.slice(0, 4));
      }
      ok(lines.some((line) => "SecurityID" in line && "Modified" in line && "Type" in line));
      ok(lines.some((line) => !("Type" in line)));
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

async function bothWays(options: RegistryCollectorOptions): Promise<[string, string]> {
  const reporter = { skipped() {}, warning() {}, progress() {} };
  const outputs: string[] = [];
  for (const mode of ["items", "keys"] as const) {
    const chunks: Uint8Array[] = [];
    const writer = new RegistryNdjsonWriter(
      { writeSync: (b) => (chunks.push(b.slice()), b.length) },
      4096,
    );
    const collector = createRegistryCollector({ live: false, ...options });
    if (mode === "items") {
      for await (const item of collector.collect({ needs: new Map(), reporter })) {
        writer.writeItem(item);
      }
    } else {
      for await (const key of collector.collectKeys({ needs: new Map(), reporter })) {
        writer.writeKey(key);
      }
    }
    writer.flush();
    let text = "";
    const decoder = new TextDecoder();
    for (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
    outputs.push(text + decoder.decode());
  }
  return [outputs[0]!, outputs[1]!];
}

Deno.test("RegistryNdjsonWriter.writeKey writes the same bytes as writeItem on the items", async () => {
  const root = await buildRoot();
  try {
    const [items, keys] = await bothWays({ roots: [root], registryFull: true });
    ok(items.length > 1000);
    deepStrictEqual(keys, items);
    const lines = keys.trimEnd().split("\n").map((l) => JSON.parse(l));
    ok(lines.some((l) => l.Type === "REG_EXPAND_SZ" && l.Value !== l.Text));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
  if (registry === undefined) return;
  const hives = [
    "plaso/NTUSER.DAT",
    "dfwinreg/SAM",
    "yarp/MultiSzHive",
    "yarp/UnicodeHive",
    "ericzimmerman-registry/SAM_hasBigEndianDWord",
    "plaso/winreg/win10-Amcache.hve",
    "python-registry/UNICODE_TESTS",
  ].map((f) => join(registry, f));
  const [items, keys] = await bothWays({ hives, registryFull: true });
  ok(items.length > 1_000_000);
  deepStrictEqual(keys, items);
});

Deno.test("RegistryNdjsonWriter.writeKey writes string data as writeItem does, whatever its code units", async () => {
  const utf16 = (text: string) => utf16z(text).subarray(0, -2);
  const join16 = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));
  const long = "x".repeat(70);
  const strings: [string, Uint8Array][] = [
    ["Ascii", utf16z("C:\\Windows\\x.exe")],
    ["Escapes", utf16z('a"b\\c\nd\te\u0001f\u007fg\r\b\f')],
    ["Latin1", utf16z("café ÿ \u0080\u009f")],
    ["Wide", utf16z("日本 😀")],
    ["LoneSurrogate", utf16z("a\ud800b")],
    ["LongLoneSurrogate", utf16z(`${long}\udc00`)],
    ["LongBom", utf16z(`\ufeff${long}`)],
    ["JunkAfterNul", join16(utf16z("abc"), utf16("junk"))],
    ["OddLength", join16(utf16("abc"), new Uint8Array([0x41]))],
    ["Empty", new Uint8Array(0)],
    ["OneByte", new Uint8Array([0x41])],
  ];
  const values: BuildValue[] = [];
  for (const [name, data] of strings) {
    values.push({ name: `sz${name}`, type: ValueType.REG_SZ, data });
    values.push({ name: `link${name}`, type: ValueType.REG_LINK, data });
    values.push({ name: `expand${name}`, type: ValueType.REG_EXPAND_SZ, data });
  }
  values.push({
    name: "expandVar",
    type: ValueType.REG_EXPAND_SZ,
    data: utf16z("%SystemRoot%\\é"),
  });
  values.push({ name: "unknownType", type: 0xffff0012, data: new Uint8Array([1, 2, 255]) });
  const dir = await Deno.makeTempDir({ prefix: "iocscan-registry-strings-" });
  try {
    const file = join(dir, "STRINGS");
    await Deno.writeFile(file, buildHive({ name: "ROOT", subkeys: [{ name: "k", values }] }).bytes);
    const [items, keys] = await bothWays({ hives: [file], registryFull: true });
    deepStrictEqual(keys, items);
    const lines = keys.trimEnd().split("\n").map((l) => JSON.parse(l));
    const text = (name: string) => lines.find((l) => l.ValueName === name)?.Text;
    deepStrictEqual(text("szLatin1"), "café ÿ \u0080\u009f");
    deepStrictEqual(text("szWide"), "日本 😀");
    deepStrictEqual(text("szJunkAfterNul"), "abc");
    deepStrictEqual(text("linkOddLength"), "abc");
    deepStrictEqual(text("unknownType"), "0102ff");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
