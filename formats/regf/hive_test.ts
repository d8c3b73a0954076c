import { deepStrictEqual, ok, throws } from "node:assert/strict";
import { buildHive, fixChecksum, utf16z } from "./hive_builder.ts";
import type { BuildKey } from "./hive_builder.ts";
import { RegfError } from "./errors.ts";
import { RegistryHive } from "./hive.ts";
import type { KeyNode } from "./hive.ts";
import { decodeValue, ValueType } from "./value_data.ts";
import { filetimeToDate } from "./base_block.ts";

const bigData = Uint8Array.from({ length: 40000 }, (_, i) => (i * 7) & 0xff);

function sampleTree(): BuildKey {
  return {
    name: "ROOT",
    values: [{ name: "", type: ValueType.REG_SZ, data: utf16z("root default") }],
    subkeys: [
      {
        name: "Types",
        className: "MyClass",
        lastWritten: 133000000000000000,
        values: [
          { name: "none", type: ValueType.REG_NONE, data: new Uint8Array(0) },
          {
            name: "sz",
            type: ValueType.REG_SZ,
            // Junk after the NUL, as in real hives.
            data: new Uint8Array([...utf16z("Eastern"), 0x41, 0, 0x42, 0]),
          },
          { name: "expand", type: ValueType.REG_EXPAND_SZ, data: utf16z("%SystemRoot%\\x.dll") },
          { name: "binary2", type: ValueType.REG_BINARY, data: new Uint8Array([0xfe, 0x0f]) },
          { name: "binary", type: ValueType.REG_BINARY, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) },
          {
            name: "dword",
            type: ValueType.REG_DWORD,
            data: new Uint8Array([0x78, 0x56, 0x34, 0x12]),
          },
          {
            name: "dwordbe",
            type: ValueType.REG_DWORD_BIG_ENDIAN,
            data: new Uint8Array([0x12, 0x34, 0x56, 0x78]),
          },
          { name: "link", type: ValueType.REG_LINK, data: utf16z("\\Registry\\Machine\\X") },
          {
            name: "multi",
            type: ValueType.REG_MULTI_SZ,
            data: new Uint8Array([...utf16z("a"), ...utf16z("bc"), 0, 0, 0x58, 0]),
          },
          {
            name: "qword",
            type: ValueType.REG_QWORD,
            data: new Uint8Array([1, 0, 0, 0, 1, 0, 0, 0]),
          },
          {
            name: "resource",
            type: ValueType.REG_RESOURCE_LIST,
            data: Uint8Array.from([9, 9, 9, 9, 9]),
          },
          { name: "odd", type: 0x20001, data: Uint8Array.from([7, 7, 7, 7, 7]) },
          { name: "big", type: ValueType.REG_BINARY, data: bigData },
          { name: "ünï", type: ValueType.REG_SZ, data: utf16z("x") },
          { name: "\u4e2d\u6587", type: ValueType.REG_SZ, data: utf16z("\u4e2d") },
        ],
      },
      { name: "Empty" },
      { name: "Many", subkeys: Array.from({ length: 7 }, (_, i) => ({ name: `k${i}` })) },
    ],
  };
}

function valuesByName(hive: RegistryHive, key: KeyNode) {
  return new Map(hive.values(key).map((v) => [v.name, v]));
}

Deno.test("RegistryHive.open decodes every value type from a built hive", () => {
  const hive = RegistryHive.open(buildHive(sampleTree()).bytes);
  deepStrictEqual(hive.dirty, false);
  deepStrictEqual(hive.warningCount, 0);
  const types = hive.findKey("types")!;
  const values = valuesByName(hive, types);
  const decoded = (name: string) => {
    const v = values.get(name)!;
    return decodeValue(v.type, hive.valueData(v));
  };
  deepStrictEqual(decoded("none"), new Uint8Array(0));
  deepStrictEqual(decoded("sz"), "Eastern");
  deepStrictEqual(decoded("expand"), "%SystemRoot%\\x.dll");
  deepStrictEqual(decoded("binary2"), new Uint8Array([0xfe, 0x0f]));
  deepStrictEqual(values.get("binary2")!.inline, true);
  deepStrictEqual(decoded("binary"), Uint8Array.from([1, 2, 3, 4, 5, 6]));
  deepStrictEqual(decoded("dword"), 0x12345678);
  deepStrictEqual(decoded("dwordbe"), 0x12345678);
  deepStrictEqual(decoded("link"), "\\Registry\\Machine\\X");
  deepStrictEqual(decoded("multi"), ["a", "bc"]);
  deepStrictEqual(decoded("qword"), 0x100000001n);
  deepStrictEqual(decoded("resource"), Uint8Array.from([9, 9, 9, 9, 9]));
  deepStrictEqual(decoded("odd"), Uint8Array.from([7, 7, 7, 7, 7]));
  deepStrictEqual(decoded("big"), bigData);
  deepStrictEqual(decoded("ünï"), "x");
  deepStrictEqual(decoded("\u4e2d\u6587"), "\u4e2d");
  deepStrictEqual(hive.className(types), "MyClass");
  deepStrictEqual(
    filetimeToDate(types.lastWritten)?.getTime(),
    133000000000000000 / 10000 - 11644473600000,
  );
  ok(hive.securityDescriptor(types)!.length === 20);
});

Deno.test("RegistryHive.countTree counts the root key and default values", () => {
  for (const listKind of ["lh", "lf", "li", "ri"] as const) {
    const hive = RegistryHive.open(buildHive(sampleTree(), { listKind }).bytes);
    deepStrictEqual(hive.countTree(), { keys: 11, values: 16 }, listKind);
  }
});

Deno.test("RegistryHive.open keeps big data in one cell for version 1.3 hives", () => {
  const hive = RegistryHive.open(buildHive(sampleTree(), { minorVersion: 3 }).bytes);
  const big = valuesByName(hive, hive.findKey("Types")!).get("big")!;
  deepStrictEqual(hive.valueData(big), bigData);
});

Deno.test("RegistryHive.walk stops at a subkey list that points back to the root", () => {
  const built = buildHive(sampleTree(), { listKind: "li" });
  const view = new DataView(built.bytes.buffer);
  // Make Many's first subkey entry point at the root key: a cycle.
  const list = built.listOffsets.get("Many")!;
  view.setUint32(4096 + list + 4 + 4, built.keyOffsets.get("")!, true);
  const hive = RegistryHive.open(built.bytes);
  const counts = hive.countTree();
  deepStrictEqual(counts.keys, 10);
  ok(hive.warnings.some((w) => w.code === "key-loop"));
  deepStrictEqual([...hive.iterateKeys()].length, 10);
});

Deno.test("RegistryHive.walk bounds an ri list that contains itself", () => {
  const built = buildHive(sampleTree(), { listKind: "ri" });
  const view = new DataView(built.bytes.buffer);
  const list = built.listOffsets.get("Many")!;
  view.setUint32(4096 + list + 4 + 4, list, true); // ri entry 0 → the ri itself
  const hive = RegistryHive.open(built.bytes);
  const counts = hive.countTree();
  ok(counts.keys < 11 && counts.keys >= 4);
  ok(hive.warningCount > 0);
});

Deno.test("RegistryHive.open reads what a truncated hive still holds, with warnings", () => {
  const built = buildHive(sampleTree());
  for (const cut of [4096 + 32, 4096 + 4096, built.bytes.length - 4096, built.bytes.length - 7]) {
    const bytes = built.bytes.slice(0, cut);
    const hive = RegistryHive.open(bytes);
    const counts = hive.countTree();
    ok(counts.keys <= 11);
    ok(hive.warningCount > 0, `cut at ${cut}`);
  }
});

Deno.test("RegistryHive.open survives garbage in every cell", () => {
  const built = buildHive(sampleTree());
  let seed = 12345;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  for (let round = 0; round < 200; round++) {
    const bytes = built.bytes.slice();
    for (let i = 0; i < 40; i++) {
      bytes[4096 + 32 + Math.floor(random() * (bytes.length - 4128))] = Math.floor(random() * 256);
    }
    const hive = RegistryHive.open(bytes);
    hive.walk((key) => {
      for (const value of hive.values(key)) decodeValue(value.type, hive.valueData(value));
      hive.className(key);
    });
  }
});

Deno.test("RegistryHive.open rejects non-hives and Windows 9x registries", () => {
  const creg = new Uint8Array(8192);
  creg.set([0x43, 0x52, 0x45, 0x47]);
  throws(() => RegistryHive.open(creg), (e) => e instanceof RegfError && e.code === "creg");
  throws(
    () => RegistryHive.open(new Uint8Array([0x4d, 0x5a, 0, 0])),
    (e) => e instanceof RegfError && e.code === "not-regf",
  );
  throws(
    () => RegistryHive.open(new Uint8Array(0)),
    (e) => e instanceof RegfError && e.code === "not-regf",
  );
  const short = buildHive(sampleTree()).bytes.slice(0, 600);
  throws(() => RegistryHive.open(short), (e) => e instanceof RegfError && e.code === "too-short");
  const log = buildHive(sampleTree()).bytes;
  new DataView(log.buffer).setUint32(28, 6, true);
  fixChecksum(log);
  throws(() => RegistryHive.open(log), (e) => e instanceof RegfError && e.code === "not-primary");
});

Deno.test("RegistryHive.open treats a bad checksum or unequal sequence numbers as dirty", () => {
  const bad = buildHive(sampleTree()).bytes;
  bad[100] = bad[100]! ^ 0xff;
  const hive = RegistryHive.open(bad);
  deepStrictEqual(hive.dirty, true);
  deepStrictEqual(hive.countTree(), { keys: 11, values: 16 });
  ok(hive.warnings.some((w) => w.code === "bad-checksum"));
  ok(hive.warnings.some((w) => w.code === "not-recovered"));
  const unequal = RegistryHive.open(buildHive(sampleTree(), { sequence: [5, 4] }).bytes);
  deepStrictEqual(unequal.dirty, true);
  deepStrictEqual(unequal.recovery?.recovered, false);
});

Deno.test("RegistryHive.subkeys stops at a list entry that is not a key node", () => {
  const built = buildHive(sampleTree(), { listKind: "li" });
  const view = new DataView(built.bytes.buffer);
  const list = built.listOffsets.get("Many")!;
  view.setUint32(4096 + list + 4 + 4 + 3 * 4, 0x7ffffff8, true);
  const hive = RegistryHive.open(built.bytes);
  deepStrictEqual(hive.subkeys(hive.findKey("Many")!).map((k) => k.name), ["k0", "k1", "k2"]);
  ok(hive.warnings.some((w) => w.code === "bad-key" && w.offset !== undefined));
});

Deno.test("RegistryHive.open reads the NT 3.x cell format of version 1.1 hives", () => {
  const hive = RegistryHive.open(buildHive(sampleTree(), { minorVersion: 1 }).bytes);
  deepStrictEqual(hive.countTree(), { keys: 11, values: 16 });
  const values = valuesByName(hive, hive.findKey("Types")!);
  const binary2 = values.get("binary2")!;
  deepStrictEqual(hive.valueData(binary2), new Uint8Array([0xfe, 0x0f]));
  deepStrictEqual(decodeValue(1, hive.valueData(values.get("sz")!)), "Eastern");
  deepStrictEqual(hive.warningCount, 0);
});
