import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { compilePatterns, type MemoryPattern } from "./byte_patterns.ts";
import { cutMark, type MemorySearchReport, searchProcessMemory } from "./memory_search.ts";
import { MemoryAccessError } from "./source.ts";
import { heapRegion, memoryWith, recordedMemorySource } from "./_recorded_memory.ts";

const nul = new Uint8Array(16);
const contains = (text: string, caseSensitive = false): MemoryPattern => ({
  text,
  caseSensitive,
  condition: "contains",
});
const is = (text: string, caseSensitive = false): MemoryPattern => ({
  text,
  caseSensitive,
  condition: "is",
});

async function search(
  bytes: Uint8Array,
  patterns: MemoryPattern[],
  limits = {},
): Promise<MemorySearchReport> {
  const { compiled } = compilePatterns(patterns);
  const result = await searchProcessMemory(
    4242,
    compiled,
    limits,
    recordedMemorySource([heapRegion(0x10000n, bytes)]),
  );
  ok(result.ok, "the recorded process is readable");
  return result;
}

Deno.test("searchProcessMemory finds a string in ASCII and in UTF-16LE, and not one that is absent", async () => {
  const result = await search(
    memoryWith([nul, "MUTEX-ascii-7f3a", nul, { utf16: "Global\\wide-9b1c" }, nul]),
    [contains("mutex-ASCII-7f3a"), contains("global\\WIDE-9b1c"), contains("absent-4d2e")],
  );
  deepStrictEqual(result.found.map((found) => [found.text, found.encodings]), [
    ["mutex-ASCII-7f3a", ["ascii"]],
    ["global\\WIDE-9b1c", ["utf-16le"]],
  ]);
  deepStrictEqual(result.strings, ["MUTEX-ascii-7f3a", "Global\\wide-9b1c"]);
  strictEqual(result.truncatedBy, undefined);
  strictEqual(result.bytesRead, 16 * 3 + 16 + 32);
});

Deno.test("searchProcessMemory finds a string across a chunk boundary (tiny chunks)", async () => {
  const filler = "x".repeat(37);
  const bytes = memoryWith([filler, nul, "straddling-pattern-0042", nul, filler, nul, {
    utf16: "wide-straddle-77",
  }, nul]);
  // A chunk is at least the longest pattern (46 bytes in UTF-16) and twice the context, plus
  // one: these sizes put the boundaries at many places inside both strings.
  for (const chunkBytes of [1, 56, 61, 67, 80]) {
    const { compiled } = compilePatterns([
      contains("straddling-pattern-0042"),
      is("wide-straddle-77"),
    ]);
    const source = recordedMemorySource([heapRegion(0x10000n, bytes)]);
    const result = await searchProcessMemory(1, compiled, { chunkBytes, contextBytes: 4 }, source);
    ok(result.ok);
    ok(source.reads.length >= 3, `${source.reads.length} reads of chunks of ${chunkBytes} bytes`);
    deepStrictEqual(
      result.found.map((found) => [found.text, found.whole]),
      [["straddling-pattern-0042", true], ["wide-straddle-77", true]],
      `chunk of ${chunkBytes} bytes`,
    );
    strictEqual(result.bytesRead, bytes.byteLength, "each byte counted once");
  }
});

Deno.test("searchProcessMemory: a StringList value is the string around the hit, so `is` needs the whole string", async () => {
  const result = await search(
    memoryWith([nul, "prefix-evil.example-suffix", nul, "alone.example", nul]),
    [is("evil.example"), contains("evil.example"), is("alone.example")],
  );
  deepStrictEqual(result.found.map((found) => [found.text, found.whole, found.strings]), [
    ["evil.example", false, ["prefix-evil.example-suffix"]],
    ["alone.example", true, ["alone.example"]],
  ]);
});

Deno.test("searchProcessMemory cuts a long string at the context and marks the cut", async () => {
  const result = await search(
    memoryWith([nul, "a".repeat(100), "needle-55", "b".repeat(100), nul]),
    [contains("needle-55")],
    { contextBytes: 8 },
  );
  deepStrictEqual(result.strings, [`${cutMark}aaaaaaaaneedle-55bbbbbbbb${cutMark}`]);
});

Deno.test("searchProcessMemory keeps case when the item preserves case", async () => {
  const bytes = memoryWith([nul, "CaseSensitive-X", nul]);
  strictEqual((await search(bytes, [contains("casesensitive-x", true)])).found.length, 0);
  strictEqual((await search(bytes, [contains("CaseSensitive-X", true)])).found.length, 1);
  strictEqual((await search(bytes, [contains("casesensitive-x")])).found.length, 1);
});

Deno.test("searchProcessMemory finds non-ASCII case-insensitive patterns as written, lower- or upper-cased", async () => {
  const bytes = memoryWith([nul, "ÜBERWACHUNG", nul, { utf16: "façade" }, nul]);
  const result = await search(bytes, [contains("Überwachung"), contains("FAÇADE")]);
  deepStrictEqual(result.found.map((found) => found.strings), [["ÜBERWACHUNG"], ["façade"]]);
});

Deno.test("searchProcessMemory stops at the byte limit and says so", async () => {
  const bytes = memoryWith(["z".repeat(4096), nul, "late-string-11", nul]);
  const result = await search(bytes, [contains("late-string-11")], {
    maxBytes: 1024,
    chunkBytes: 256,
  });
  strictEqual(result.found.length, 0);
  strictEqual(result.truncatedBy, "size");
  strictEqual(result.bytesRead, 1024);
});

Deno.test("searchProcessMemory stops at the time limit and says so", async () => {
  let clock = 0;
  const bytes = memoryWith(["z".repeat(4096), nul, "late-string-12", nul]);
  const result = await search(bytes, [contains("late-string-12")], {
    maxMs: 50,
    chunkBytes: 512,
    // Each look at the clock is 20 ms later.
    now: () => (clock += 20),
  });
  strictEqual(result.found.length, 0);
  strictEqual(result.truncatedBy, "time");
  ok(result.bytesRead < bytes.byteLength);
});

Deno.test("searchProcessMemory stops when aborted", async () => {
  const controller = new AbortController();
  controller.abort();
  const result = await search(memoryWith(["found-13"]), [contains("found-13")], {
    signal: controller.signal,
  });
  strictEqual(result.truncatedBy, "aborted");
  strictEqual(result.found.length, 0);
});

Deno.test("searchProcessMemory counts regions it cannot read, and reads the rest", async () => {
  const { compiled } = compilePatterns([contains("after-gap-21")]);
  const guard = heapRegion(0x1000n, new Uint8Array(4096), "[anon]");
  const partialBytes = memoryWith(["head-ok", nul, "x".repeat(5000)]);
  const partial = { ...heapRegion(0x3000n, partialBytes), readable: 2048 };
  const result = await searchProcessMemory(
    7,
    compiled,
    {},
    recordedMemorySource([
      { region: guard.region }, // listed readable, every read fails
      partial,
      heapRegion(0x9000n, memoryWith([nul, "after-gap-21", nul])),
    ]),
  );
  ok(result.ok);
  strictEqual(result.regionsSkipped, 2);
  strictEqual(result.bytesSkipped, 4096 + (partialBytes.byteLength - 2048));
  deepStrictEqual(result.strings, ["after-gap-21"]);
});

Deno.test("searchProcessMemory never reads regions excluded by rule or not readable", async () => {
  const { compiled } = compilePatterns([contains("x")]);
  const device = heapRegion(0x1000n, memoryWith(["x"]), "/dev/dri/card0");
  const source = recordedMemorySource([
    { ...device, region: { ...device.region, unsearchable: "a device" } },
    { ...device, region: { ...device.region, start: 0x2000n, readable: false } },
  ]);
  const result = await searchProcessMemory(7, compiled, {}, source);
  ok(result.ok);
  strictEqual(result.regionsExcluded, 1);
  strictEqual(result.regionsSearched, 0);
  deepStrictEqual(source.reads, []);
});

Deno.test("searchProcessMemory of a process it may not read gives the reason, not an empty result", async () => {
  const { compiled } = compilePatterns([contains("x")]);
  const result = await searchProcessMemory(
    1,
    compiled,
    {},
    recordedMemorySource([], {
      failure: new MemoryAccessError("unreadable", "/proc/1/mem: Permission denied (os error 13)"),
    }),
  );
  ok(!result.ok);
  strictEqual(result.error.reason, "unreadable");
  ok(result.error.message.includes("Permission denied"));
});

Deno.test("compilePatterns refuses empty and over-long patterns and merges duplicates", () => {
  const { compiled, refused } = compilePatterns([
    contains(""),
    contains("y".repeat(5000)),
    contains("Dup"),
    is("dup"),
  ]);
  strictEqual(refused.length, 2);
  deepStrictEqual(compiled.patterns, [{
    text: "Dup",
    caseSensitive: false,
    whole: true,
    part: true,
  }]);
});

Deno.test("searchProcessMemory keeps at most stringsPerPattern strings, and one whole occurrence past them", async () => {
  const parts: (string | Uint8Array)[] = [nul];
  for (let i = 0; i < 6; i++) parts.push(`k${i}-key-x`, nul);
  parts.push("KEY-X", nul, "key-x", nul);
  const result = await search(memoryWith(parts), [is("key-x")], { stringsPerPattern: 3 });
  deepStrictEqual(result.found[0]!.strings, ["k0-key-x", "k1-key-x", "k2-key-x", "KEY-X"]);
  strictEqual(result.found[0]!.whole, true);
});

Deno.test("searchProcessMemory of a process with no user memory (a kernel thread) is complete and empty", async () => {
  const { compiled } = compilePatterns([contains("x")]);
  const source = recordedMemorySource([]);
  // A kernel thread's mem cannot be opened (ESRCH): it is never asked for.
  source.open = () =>
    Promise.reject(new MemoryAccessError("error", "No such process (os error 3)"));
  const result = await searchProcessMemory(2, compiled, {}, source);
  ok(result.ok);
  deepStrictEqual([result.bytesRead, result.regionsSearched, result.truncatedBy], [
    0,
    0,
    undefined,
  ]);
});

Deno.test("searchProcessMemory reads private and writable regions before read-only file mappings", async () => {
  const { compiled } = compilePatterns([contains("x")]);
  const library = heapRegion(0x1000n, new Uint8Array(64), "/usr/lib/libc.so.6");
  const data = heapRegion(0x2000n, new Uint8Array(64), "/usr/lib/libc.so.6");
  const heap = heapRegion(0x9000n, new Uint8Array(64));
  const source = recordedMemorySource([
    { ...library, region: { ...library.region, kind: "mapped", protection: "PAGE_EXECUTE_READ" } },
    { ...data, region: { ...data.region, kind: "mapped", protection: "PAGE_WRITECOPY" } },
    heap,
  ]);
  const result = await searchProcessMemory(7, compiled, {}, source);
  ok(result.ok);
  deepStrictEqual(source.reads.map(([address]) => address), [0x2000n, 0x9000n, 0x1000n]);
});

Deno.test("searchProcessMemory abandons a read that blocks past the time budget, and says so", async () => {
  const { compiled } = compilePatterns([contains("x")]);
  const source = recordedMemorySource([heapRegion(0x1000n, memoryWith(["x"]))]);
  source.open = () =>
    Promise.resolve({
      // A page of a file on a hung mount: the read never ends.
      read: () => new Promise<number>(() => {}),
      close() {},
    });
  const started = performance.now();
  const result = await searchProcessMemory(7, compiled, { maxMs: 100 }, source);
  ok(result.ok);
  strictEqual(result.truncatedBy, "time");
  ok(performance.now() - started < 2000);
});

Deno.test("searchProcessMemory gives up on a region listing that blocks, with the reason", async () => {
  const { compiled } = compilePatterns([contains("x")]);
  const source = recordedMemorySource([]);
  source.regions = () => new Promise(() => {});
  const result = await searchProcessMemory(77, compiled, { maxMs: 50 }, source);
  ok(!result.ok);
  ok(result.error.message.includes("did not end in time"));
});
