import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import {
  buildEvtx,
  element,
  filetime,
  le,
  type RecordSpec,
  type Token,
  utf16,
  type Value,
} from "./_fixtures.ts";
import { byteSourceFromBytes } from "../byte_source.ts";
import { crc32, crc32Portable } from "./crc32.ts";
import { type EvtxReadOptions, type EvtxReadStats, readEvtx } from "./reader.ts";
import type { EvtxRecord } from "./record.ts";
import type { EvtxWarning } from "./warning.ts";

const t0 = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

/** A template shaped like Windows' (System + EventData with named Data). */
function systemTemplate(data: [string, number][]): Token[] {
  return element("Event", [["xmlns", [{
    text: "http://schemas.microsoft.com/win/2004/08/events/event",
  }]]], [
    ...element("System", [], [
      ...element("Provider", [["Name", [{ sub: 0, type: 1, optional: true }]]], []),
      ...element("EventID", [["Qualifiers", [{ sub: 1, type: 6, optional: true }]]], [{
        sub: 2,
        type: 6,
      }]),
      ...element("TimeCreated", [["SystemTime", [{ sub: 3, type: 0x11, optional: true }]]], []),
      ...element("EventRecordID", [], [{ sub: 4, type: 0x0a }]),
      ...element("Channel", [], [{ text: "Test/Operational" }]),
      ...element("Computer", [], [{ text: "HOST" }]),
      ...element("Security", [["UserID", [{ sub: 5, type: 0x13, optional: true }]]], []),
    ]),
    ...element(
      "EventData",
      [],
      data.flatMap(([name, type], i) =>
        element("Data", [["Name", [{ text: name }]]], [{ sub: 6 + i, type }])
      ),
    ),
  ]);
}

const str = (s: string): Value => ({ type: 0x01, bytes: utf16(s + "\0") });
const sid = (): Value => ({
  type: 0x13,
  bytes: new Uint8Array([1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 32, 2, 0, 0]),
});

function systemValues(id: number, ms: number): Value[] {
  return [
    str("Test-Provider"),
    { type: 0x00, bytes: new Uint8Array() },
    { type: 0x06, bytes: le(4688, 2) },
    { type: 0x11, bytes: filetime(ms, 1234) },
    { type: 0x0a, bytes: le(id, 8) },
    sid(),
  ];
}

async function readAll(
  bytes: Uint8Array,
  options: EvtxReadOptions = {},
): Promise<{ records: EvtxRecord[]; warnings: EvtxWarning[]; stats: EvtxReadStats }> {
  const warnings: EvtxWarning[] = [];
  const stats: EvtxReadStats = { chunks: 0, records: 0, outsideWindow: 0, bytesRead: 0 };
  const records: EvtxRecord[] = [];
  for await (
    const r of readEvtx(byteSourceFromBytes(bytes), {
      ...options,
      onWarning: (w) => warnings.push(w),
    }, stats)
  ) {
    records.push(r);
  }
  return { records, warnings, stats };
}

Deno.test("readEvtx decodes System fields and every scalar value type", async () => {
  const types: [string, number, Uint8Array][] = [
    ["Str", 0x01, utf16("héllo <x>\0")],
    ["Ansi", 0x02, new TextEncoder().encode("ansi\0")],
    ["I8", 0x03, new Uint8Array([0xfe])],
    ["U8", 0x04, new Uint8Array([200])],
    ["I16", 0x05, le(0xfffe, 2)],
    ["U16", 0x06, le(65000, 2)],
    ["I32", 0x07, le(0xfffffffe, 4)],
    ["U32", 0x08, le(4000000000, 4)],
    ["I64", 0x09, le(0xfffffffffffffffen, 8)],
    ["U64", 0x0a, le(0xfffffffffffffffen, 8)],
    ["F32", 0x0b, new Uint8Array(new Float32Array([1.5]).buffer)],
    ["F64", 0x0c, new Uint8Array(new Float64Array([-2.25]).buffer)],
    ["Bool", 0x0d, le(2, 4)],
    ["Bin", 0x0e, new Uint8Array([0xde, 0xad, 0x01])],
    [
      "Guid",
      0x0f,
      new Uint8Array([
        0x33,
        0x22,
        0x11,
        0x00,
        0x55,
        0x44,
        0x77,
        0x66,
        0x88,
        0x99,
        0xaa,
        0xbb,
        0xcc,
        0xdd,
        0xee,
        0xff,
      ]),
    ],
    ["Size4", 0x10, le(0x1234, 4)],
    ["Size8", 0x10, le(0x123456789n, 8)],
    ["FileTime", 0x11, filetime(t0, 9)],
    [
      "SysTime",
      0x12,
      new Uint8Array([
        ...le(2019, 2),
        ...le(3, 2),
        ...le(5, 2),
        ...le(8, 2),
        ...le(12, 2),
        ...le(34, 2),
        ...le(56, 2),
        ...le(789, 2),
      ]),
    ],
    ["Sid", 0x13, sid().bytes],
    ["Hex32", 0x14, le(0x3e7, 4)],
    ["Hex64", 0x15, le(0x8020000000000000n, 8)],
  ];
  const file = buildEvtx({
    template: systemTemplate(types.map(([name, type]) => [name, type])),
    records: [{
      id: 42,
      writtenMs: t0,
      values: [...systemValues(42, t0), ...types.map(([, type, bytes]) => ({ type, bytes }))],
    }],
  });
  const { records, warnings } = await readAll(file);
  deepStrictEqual(warnings, []);
  strictEqual(records.length, 1);
  const r = records[0]!;
  strictEqual(r.recordId, 42);
  strictEqual(r.writtenTime, "2024-01-02T03:04:05.6780000Z");
  deepStrictEqual(r.system(), {
    providerName: "Test-Provider",
    eventId: 4688,
    timeCreated: "2024-01-02T03:04:05.6781234Z",
    eventRecordId: 42,
    channel: "Test/Operational",
    computer: "HOST",
    userId: "S-1-5-32-544",
  });
  deepStrictEqual(Object.fromEntries(r.data().map((f) => [f.name, f.value])), {
    Str: "héllo <x>",
    Ansi: "ansi",
    I8: "-2",
    U8: "200",
    I16: "-2",
    U16: "65000",
    I32: "-2",
    U32: "4000000000",
    I64: "-2",
    U64: "18446744073709551614",
    F32: "1.5",
    F64: "-2.25",
    Bool: "true",
    Bin: "DEAD01",
    Guid: "{00112233-4455-6677-8899-AABBCCDDEEFF}",
    Size4: "0x00001234",
    Size8: "0x0000000123456789",
    FileTime: "2024-01-02T03:04:05.6780009Z",
    SysTime: "2019-03-08T12:34:56.7890000Z",
    Sid: "S-1-5-32-544",
    Hex32: "0x000003e7",
    Hex64: "0x8020000000000000",
  });
  const xml = r.toXml();
  ok(xml.includes('<Provider Name="Test-Provider"/>'), xml);
  ok(xml.includes("<EventID>4688</EventID>"), "optional NULL Qualifiers is dropped");
  ok(xml.includes('<Data Name="Str">héllo &lt;x&gt;</Data>'), xml);
});

Deno.test("readEvtx repeats elements for arrays and renders nested BinXML, references and PIs", async () => {
  const template: Token[] = [
    { pi: "xml-stylesheet", data: 'href="a.xsl"' },
    ...element("Event", [], [
      ...element("EventData", [], [
        ...element("Data", [["Name", [{ text: "List" }]]], [{ sub: 0, type: 0x81 }]),
        ...element("Data", [["Name", [{ text: "Refs" }]]], [
          { text: "a" },
          { charRef: 0x41 },
          { entity: "amp" },
          { cdata: "<raw>" },
        ]),
        ...element("Data", [["Name", [{ text: "Ints" }]]], [{ sub: 1, type: 0x88 }]),
      ]),
      ...element("UserData", [], [{ sub: 2, type: 0x21 }]),
    ]),
  ];
  const nested = (names: ReadonlyMap<string, number>): Value[] => {
    // <Inner>text</Inner> without dependency ids, names referring to ones already in the chunk.
    const bytes = [
      0x0f,
      0x01,
      0x01,
      0x00,
      0x01,
      ...le(0, 4),
      ...le(names.get("Data")!, 4),
      0x02,
      0x05,
      0x01,
      ...le(5, 2),
      ...utf16("inner"),
      0x04,
      0x00,
    ];
    return [
      { type: 0x81, bytes: utf16("one\0two\0three\0") },
      { type: 0x88, bytes: new Uint8Array([...le(7, 4), ...le(8, 4)]) },
      { type: 0x21, bytes: new Uint8Array(bytes) },
    ];
  };
  const file = buildEvtx({ template, records: [{ id: 1, writtenMs: t0, values: nested }] });
  const { records, warnings } = await readAll(file);
  deepStrictEqual(warnings, []);
  const r = records[0]!;
  deepStrictEqual(r.data(), [
    { name: "List", value: "one" },
    { name: "List", value: "two" },
    { name: "List", value: "three" },
    { name: "Refs", value: "aA&<raw>" },
    { name: "Ints", value: "7" },
    { name: "Ints", value: "8" },
    { name: "Data", value: "inner" },
  ]);
  const xml = r.toXml();
  ok(xml.startsWith('<?xml-stylesheet href="a.xsl"?>'), xml);
  ok(xml.includes("<Data>inner</Data>"), xml);
});

Deno.test("readEvtx reports a data checksum mismatch and still reads the records", async () => {
  const file = buildEvtx({
    template: systemTemplate([["A", 1]]),
    records: [{ id: 1, writtenMs: t0, values: [...systemValues(1, t0), str("x")] }],
  });
  // Damage one byte of the value "x" → "y": data CRC no longer matches.
  const at = file.findLastIndex((b, i) => b === 0x78 && file[i + 1] === 0);
  file[at] = 0x79;
  const { records, warnings } = await readAll(file);
  deepStrictEqual(warnings.map((w) => [w.code, w.offset]), [["evtx-chunk-data-crc", 4096]]);
  strictEqual(records[0]!.data()[0]!.value, "y");
});

Deno.test("readEvtx skips checksum checks when flag 0x4 says there are none", async () => {
  const file = buildEvtx({
    template: systemTemplate([]),
    records: [{ id: 1, writtenMs: t0, values: systemValues(1, t0) }],
    fileFlags: 0x4,
    chunkFlags: 0x4,
  });
  new DataView(file.buffer).setUint32(124, 0, true); // file header CRC zeroed
  new DataView(file.buffer).setUint32(4096 + 52, 0, true); // chunk data CRC zeroed
  new DataView(file.buffer).setUint32(4096 + 124, 0, true); // chunk header CRC zeroed
  const { records, warnings } = await readAll(file);
  deepStrictEqual(warnings, []);
  strictEqual(records.length, 1);
});

Deno.test("readEvtx skips bad and zero-filled chunks, truncation and junk with warnings", async () => {
  const one = buildEvtx({
    template: systemTemplate([]),
    records: [{ id: 1, writtenMs: t0, values: systemValues(1, t0) }],
  });
  // [header][zero chunk][junk chunk][real chunk][half chunk]
  const file = new Uint8Array(4096 + 4 * 65536 - 1000);
  file.set(one.subarray(0, 4096), 0);
  file.fill(0x55, 4096 + 65536, 4096 + 2 * 65536);
  file.set(one.subarray(4096), 4096 + 2 * 65536);
  file.set(one.subarray(4096, 4096 + 65536 - 1000), 4096 + 3 * 65536);
  const { records, warnings } = await readAll(file);
  strictEqual(records.length, 1);
  deepStrictEqual(warnings.map((w) => [w.code, w.offset]), [
    ["evtx-chunk-signature", 4096 + 65536],
    ["evtx-chunk-zero", 4096],
    ["evtx-truncated", 4096 + 3 * 65536],
  ]);
  const junk = await readAll(crypto.getRandomValues(new Uint8Array(10000)));
  deepStrictEqual(junk.warnings.map((w) => w.code), ["evtx-not-evtx"]);
  deepStrictEqual((await readAll(new Uint8Array(0))).warnings.map((w) => w.code), [
    "evtx-not-evtx",
  ]);
});

Deno.test("readEvtx stops a chunk at a damaged record header and decodes bad BinXML lazily", async () => {
  const records: RecordSpec[] = [
    { id: 1, writtenMs: t0, values: systemValues(1, t0) },
    {
      id: 2,
      writtenMs: t0 + 1000,
      values: [],
      body: new Uint8Array([0x0f, 0x01, 0x01, 0x00, 0x7e, 0, 0, 0]),
    },
    { id: 3, writtenMs: t0 + 2000, values: systemValues(3, t0 + 2000) },
  ];
  const file = buildEvtx({ template: systemTemplate([]), records });
  const { records: got } = await readAll(file);
  strictEqual(got.length, 3);
  throws(() => got[1]!.system(), /invalid BinXML token 0x7e/);
  strictEqual(got[2]!.system().eventRecordId, 3);
  // Break the size of record 2: record 3 is no longer reachable.
  const second = got[1]!.fileOffset;
  new DataView(file.buffer).setUint32(second + 4, 0, true);
  const damaged = await readAll(file);
  strictEqual(damaged.records.length, 1);
  ok(damaged.warnings.some((w) => w.code === "evtx-record-corrupt" && w.offset === second));
});

Deno.test("readEvtx skips records outside the time window without decoding them", async () => {
  const records: RecordSpec[] = [
    { id: 1, writtenMs: t0, values: systemValues(1, t0) },
    // Undecodable body, outside the window: must never be decoded.
    { id: 2, writtenMs: t0 + 60_000, values: [], body: new Uint8Array([0xff, 0xff, 0xff, 0xff]) },
    { id: 3, writtenMs: t0 + 120_000, values: systemValues(3, t0 + 120_000) },
  ];
  const file = buildEvtx({ template: systemTemplate([]), records });
  const { records: got, stats } = await readAll(file, {
    since: new Date(t0 + 90_000),
    until: new Date(t0 + 200_000),
  });
  deepStrictEqual(got.map((r) => r.system().eventRecordId), [3]);
  strictEqual(stats.outsideWindow, 2);
  const all = await readAll(file);
  throws(() => all.records[1]!.content());
});

Deno.test("crc32 matches the standard check value, natively and portably", () => {
  const b = new TextEncoder().encode("123456789");
  for (const f of [crc32, crc32Portable]) {
    strictEqual(f(b), 0xcbf43926);
    strictEqual(f(b, 3, 9, f(b, 0, 3)), 0xcbf43926);
    strictEqual(f(b, 4, 4), 0);
  }
  const random = new Uint8Array(70001).map((_, i) => (i * 2654435761) >>> 24);
  strictEqual(crc32(random, 5, 70000), crc32Portable(random, 5, 70000));
});

Deno.test("readEvtx offers stale records in chunk slack only on request, flagged", async () => {
  const records: RecordSpec[] = [1, 2, 3].map((id) => ({
    id,
    writtenMs: t0 + id,
    values: systemValues(id, t0 + id),
  }));
  const file = buildEvtx({ template: systemTemplate([]), records });
  const view = new DataView(file.buffer);
  const chunk = 4096;
  // Move the free-space offset back to the end of record 1: records 2 and 3 become slack.
  const end1 = 512 + view.getUint32(chunk + 512 + 4, true);
  view.setUint32(chunk + 48, end1, true);
  view.setUint32(chunk + 52, crc32(file, chunk + 512, chunk + end1), true);
  view.setUint32(
    chunk + 124,
    crc32(file, chunk + 128, chunk + 512, crc32(file, chunk, chunk + 120)),
    true,
  );
  const plain = await readAll(file);
  deepStrictEqual(plain.records.map((r) => r.recordId), [1]);
  deepStrictEqual(plain.warnings, []);
  const carved = await readAll(file, { recovered: true });
  deepStrictEqual(carved.records.map((r) => [r.recordId, r.recovered]), [[1, false], [2, true], [
    3,
    true,
  ]]);
  strictEqual(carved.stats.records, 1);
  strictEqual(carved.stats.recovered, 2);
  // Record 3 is a template reference into record 2's inline definition: it still decodes.
  strictEqual(carved.records[2]!.system().eventRecordId, 3);
});

Deno.test("readEvtx keeps entity references named like Object.prototype members by name", async () => {
  const template: Token[] = element("Event", [], [
    ...element("EventData", [], [
      ...element("Data", [["Name", [{ text: "Refs" }]]], [
        { text: "a" },
        { entity: "constructor" },
        { entity: "lt" },
        { entity: "toString" },
      ]),
    ]),
  ]);
  const file = buildEvtx({ template, records: [{ id: 1, writtenMs: t0, values: [] }] });
  const { records, warnings } = await readAll(file);
  deepStrictEqual(warnings, []);
  deepStrictEqual(records[0]!.data(), [{ name: "Refs", value: "a&constructor;<&toString;" }]);
});
