import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { parseAppCompatCache } from "./app_compat_cache.ts";
import { buildShimCache, type BuiltEntry, type BuiltFormat } from "./_shimcache_builder.ts";

const entries: BuiltEntry[] = [
  {
    path: "C:\\Windows\\Temp\\evil.exe",
    modified: new Date("2020-05-01T10:20:30.000Z"),
    flags: 0x2,
    data: 8,
    fileSize: 4096,
  },
  {
    path: "\\??\\C:\\Program Files\\Tool\\tool.exe",
    modified: new Date("2019-01-02T03:04:05.000Z"),
    flags: 0x0,
    data: 0,
    fileSize: 10,
  },
];

const expectations: Record<BuiltFormat, { format: string; executed: boolean; data: boolean }> = {
  "xp": { format: "xp", executed: false, data: false },
  "vista-x86": { format: "vista", executed: true, data: false },
  "vista-x64": { format: "vista", executed: true, data: false },
  "win7-x86": { format: "win7", executed: true, data: true },
  "win7-x64": { format: "win7", executed: true, data: true },
  "win8": { format: "win8", executed: true, data: true },
  "win81": { format: "win8", executed: true, data: true },
  "win10": { format: "win10", executed: false, data: true },
};

for (
  const [built, expected] of Object.entries(expectations) as [
    BuiltFormat,
    typeof expectations[BuiltFormat],
  ][]
) {
  Deno.test(`parseAppCompatCache: ${built} entries (path, time, flags, data size)`, () => {
    const cache = parseAppCompatCache(buildShimCache(built, entries));
    strictEqual(cache.format, expected.format);
    deepStrictEqual(cache.problems, []);
    strictEqual(cache.entries.length, 2);
    cache.entries.forEach((entry, i) => {
      strictEqual(entry.position, i + 1);
      strictEqual(entry.path, entries[i]!.path);
      deepStrictEqual(entry.lastModified, entries[i]!.modified);
      strictEqual(entry.executed, expected.executed ? (entries[i]!.flags! & 2) !== 0 : undefined);
      strictEqual(entry.dataSize, expected.data ? entries[i]!.data : undefined);
      if (built === "xp") strictEqual(entry.fileSize, entries[i]!.fileSize);
    });
    if (built.endsWith("x64")) strictEqual(cache.x64, true);
    if (built.endsWith("x86")) strictEqual(cache.x64, false);
  });
}

Deno.test("parseAppCompatCache: an unknown signature and a short value are problems, not throws", () => {
  for (const bytes of [new Uint8Array(0), new Uint8Array(3), new Uint8Array(64).fill(0x41)]) {
    const cache = parseAppCompatCache(bytes);
    strictEqual(cache.format, undefined);
    deepStrictEqual(cache.entries, []);
    strictEqual(cache.problems[0]?.code, "shimcache-unknown-format");
  }
});

Deno.test("parseAppCompatCache: a count past the value's end reads what is there and says so", () => {
  for (const built of ["xp", "vista-x64", "win7-x86", "win7-x64"] as const) {
    const bytes = buildShimCache(built, entries);
    new DataView(bytes.buffer).setUint32(4, 0xffffffff, true);
    const started = performance.now();
    const cache = parseAppCompatCache(bytes);
    ok(performance.now() - started < 1000, built);
    // The fixed records of 7 and Vista overlap the path strings past the real count: the walk
    // stops at the first record that does not fit, or at the value's end.
    ok(
      cache.entries.length >= 2 && cache.entries.length < 100,
      `${built}: ${cache.entries.length}`,
    );
    strictEqual(cache.entries[0]!.path, entries[0]!.path);
    ok(cache.problems.length > 0, built);
    ok(
      ["shimcache-truncated", "shimcache-bad-entry"].includes(cache.problems[0]!.code),
      cache.problems[0]!.code,
    );
  }
});

Deno.test("parseAppCompatCache: a path offset or length past the value is a bad entry", () => {
  const bytes = buildShimCache("win7-x64", entries);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0x80 + 48 + 8, BigInt(bytes.length - 4), true);
  const cache = parseAppCompatCache(bytes);
  strictEqual(cache.entries.length, 1);
  strictEqual(cache.problems[0]?.code, "shimcache-bad-entry");
  strictEqual(cache.problems[0]?.offset, 0x80 + 48);
  const odd = buildShimCache("vista-x86", entries);
  new DataView(odd.buffer).setUint16(8, 7, true);
  strictEqual(parseAppCompatCache(odd).problems[0]?.code, "shimcache-bad-entry");
});

Deno.test("parseAppCompatCache: tagged records cut, oversized or with a wrong tag end the walk", () => {
  for (const built of ["win8", "win81", "win10"] as const) {
    const bytes = buildShimCache(built, entries);
    const start = built === "win10" ? 0x34 : 0x80;
    // Cut inside the second entry.
    const cut = parseAppCompatCache(bytes.subarray(0, bytes.length - 3));
    strictEqual(cut.entries.length, 1, built);
    strictEqual(cut.problems[0]?.code, "shimcache-truncated");
    // An entry size past the value.
    const huge = bytes.slice();
    new DataView(huge.buffer).setUint32(start + 8, 0x7fffffff, true);
    const hugeCache = parseAppCompatCache(huge);
    strictEqual(hugeCache.entries.length, 0);
    strictEqual(hugeCache.problems[0]?.code, "shimcache-truncated");
    strictEqual(hugeCache.problems[0]?.offset, start);
    // A path length past its entry.
    const path = bytes.slice();
    new DataView(path.buffer).setUint16(start + 12, 0xfffe, true);
    strictEqual(parseAppCompatCache(path).problems[0]?.code, "shimcache-bad-entry");
    // An odd path length.
    const odd = bytes.slice();
    new DataView(odd.buffer).setUint16(start + 12, 3, true);
    strictEqual(parseAppCompatCache(odd).problems[0]?.code, "shimcache-bad-entry");
    // A data size past its entry.
    const first = parseAppCompatCache(bytes).entries[0]!;
    ok(first.dataSize === 8);
    const tagged = bytes.slice();
    const size = new DataView(tagged.buffer).getUint32(start + 8, true);
    new DataView(tagged.buffer).setUint32(start + 12 + size - 8 - 4, 0xffff, true);
    strictEqual(parseAppCompatCache(tagged).problems[0]?.code, "shimcache-bad-entry");
    // Garbage after the last entry.
    const tail = new Uint8Array(bytes.length + 16);
    tail.set(bytes);
    tail.fill(0x41, bytes.length);
    const tailCache = parseAppCompatCache(tail);
    strictEqual(tailCache.entries.length, 2);
    strictEqual(tailCache.problems[0]?.code, "shimcache-bad-entry");
  }
});

Deno.test("parseAppCompatCache: work stays linear on a value of many tiny records", () => {
  const many = Array.from({ length: 20000 }, (_, i) => ({
    path: `C:\\x${i}.exe`,
    modified: new Date(0),
  }));
  const started = performance.now();
  const cache = parseAppCompatCache(buildShimCache("win10", many));
  strictEqual(cache.entries.length, 20000);
  ok(performance.now() - started < 2000);
  strictEqual(cache.entries[0]!.lastModified?.getTime(), 0);
});
