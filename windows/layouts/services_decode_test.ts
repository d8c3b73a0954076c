import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { enumServiceStatusProcess, queryServiceConfig } from "./services.ts";
import { decodeServiceConfig, decodeServiceStatusRows } from "./services_decode.ts";

/** A buffer of fixed-size records followed by their strings, the pointers set against `base`. */
function buffer(
  recordSize: number,
  records: { numbers: [number, number][]; strings: [number, string | null][] }[],
  base: bigint,
): Uint8Array {
  const strings: { record: number; at: number; text: string }[] = [];
  records.forEach((record, index) => {
    for (const [at, text] of record.strings) {
      if (text !== null) strings.push({ record: index, at, text });
    }
  });
  const stringBytes = strings.reduce((sum, s) => sum + (s.text.length + 1) * 2, 0);
  const bytes = new Uint8Array(records.length * recordSize + stringBytes);
  const view = new DataView(bytes.buffer);
  let cursor = records.length * recordSize;
  records.forEach((record, index) => {
    for (const [at, value] of record.numbers) view.setUint32(index * recordSize + at, value, true);
  });
  for (const s of strings) {
    view.setBigUint64(s.record * recordSize + s.at, base + BigInt(cursor), true);
    for (const char of s.text) {
      view.setUint16(cursor, char.charCodeAt(0), true);
      cursor += 2;
    }
    cursor += 2;
  }
  return bytes;
}

Deno.test("decodeServiceStatusRows: names, type, state and pid of each row", () => {
  const base = 0x7ff0_0000_0000n;
  const e = enumServiceStatusProcess;
  const bytes = buffer(e.size, [
    {
      numbers: [[e.serviceType, 0x20], [e.currentState, 4], [e.processId, 1234]],
      strings: [[e.serviceName, "Dnscache"], [e.displayName, "DNS Client"]],
    },
    {
      numbers: [[e.serviceType, 0x1], [e.currentState, 1]],
      strings: [[e.serviceName, "disk"], [e.displayName, null]],
    },
  ], base);
  deepStrictEqual(decodeServiceStatusRows(bytes, base, 2), [
    {
      name: "Dnscache",
      displayName: "DNS Client",
      serviceType: 0x20,
      currentState: 4,
      processId: 1234,
    },
    { name: "disk", serviceType: 1, currentState: 1, processId: 0 },
  ]);
  // A count past the buffer, and pointers outside it, read nothing more.
  strictEqual(decodeServiceStatusRows(bytes, base, 50).length, 2);
  deepStrictEqual(decodeServiceStatusRows(bytes, base + 0x1_0000n, 1)[0]?.name, undefined);
});

Deno.test("decodeServiceConfig: start type, command line, account and display name", () => {
  const base = 0x1000n;
  const q = queryServiceConfig;
  const bytes = buffer(q.size, [{
    numbers: [[q.serviceType, 0x10], [q.startType, 2]],
    strings: [[q.binaryPathName, '"C:\\a b\\s.exe" -x'], [q.serviceStartName, "LocalSystem"], [
      q.displayName,
      "S",
    ]],
  }], base);
  deepStrictEqual(decodeServiceConfig(bytes, base), {
    serviceType: 0x10,
    startType: 2,
    binaryPathName: '"C:\\a b\\s.exe" -x',
    serviceStartName: "LocalSystem",
    displayName: "S",
  });
  strictEqual(decodeServiceConfig(bytes.subarray(0, 10), base), undefined);
});
