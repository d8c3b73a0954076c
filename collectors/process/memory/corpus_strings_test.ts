/**
 * The real corpus: every ProcessItem/StringList/string item is searchable or
 * reported, and a real IOC (AlienVault's Georbot: five strings AND-ed in one
 * process) fires on a process whose memory holds them, in ASCII and UTF-16.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { compilePlan } from "../../../engine/plan.ts";
import { loadIocPaths } from "../../../openioc/load.ts";
import { corpusDir } from "../../../tests/corpus.ts";
import { compilePatterns } from "./byte_patterns.ts";
import { ProcessMemory } from "./process_memory.ts";
import { stringListPatterns } from "./string_list_patterns.ts";
import { heapRegion, memoryWith, recordedMemorySource } from "./_recorded_memory.ts";

Deno.test("stringListPatterns on the corpus: every StringList item is a pattern or reported unanswerable", async () => {
  const corpus = corpusDir("openioc");
  if (corpus === undefined) return;
  const { documents } = await loadIocPaths([corpus]);
  const { patterns, unanswerable } = stringListPatterns(documents);
  // 42 contains and 1 is item in the corpus, some in byte-identical copies the loader folds.
  ok(patterns.length >= 30, `${patterns.length} patterns`);
  const { compiled, refused } = compilePatterns(patterns);
  strictEqual(refused.length, 0);
  ok(compiled.patterns.length > 0 && compiled.patterns.length <= patterns.length);
  ok(unanswerable.every((item) => item.condition !== "contains" && item.condition !== "is"));
});

async function georbotOn(memory: Uint8Array) {
  const corpus = corpusDir("openioc");
  if (corpus === undefined) return undefined;
  const { documents } = await loadIocPaths([join(corpus, "alienvault-labs/Georbot/georbot.ioc")]);
  strictEqual(documents.length, 1);
  const processMemory = new ProcessMemory({
    collector: "process",
    documents,
    platform: "linux",
    source: recordedMemorySource([heapRegion(0x7000_0000n, memory)]),
    opener: { open: () => Promise.reject(new Error("no files")) },
  });
  const key = "pid 4242 usbclient.exe";
  const load = await processMemory.load(4242, key, ["StringList"]);
  const session = compilePlan(documents, { objects: "given" }).createSession();
  await session.observe({
    document: "ProcessItem",
    key,
    fields: load.fields,
    ...(load.unevaluated === undefined ? {} : { unevaluated: load.unevaluated }),
  });
  return {
    detections: session.finish().map((detection) => [
      detection.ioc.id,
      detection.evidence.map((evidence) => evidence.object),
    ]),
    undecided: session.undecided().length,
  };
}

const zero = new Uint8Array(8);
const GEORBOT_ID = "68505678-f820-48c5-9d13-fa0b3b8be190";

Deno.test("a real IOC's StringList items fire on a process holding its strings (ASCII and UTF-16)", async () => {
  const result = await georbotOn(memoryWith([
    zero,
    "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\USBSERV",
    zero,
    { utf16: "C:\\Users\\Public\\usbclient.exe" },
    zero,
    "http://c2.example/modules/docs/index.php?id=bot123&v=cr5_0",
    zero,
  ]));
  if (result === undefined) return;
  deepStrictEqual(result, {
    detections: [[GEORBOT_ID, ["pid 4242 usbclient.exe"]]],
    undecided: 0,
  });
});

Deno.test("a real IOC's StringList items: one string missing from a complete search, no detection and nothing undecided", async () => {
  const result = await georbotOn(memoryWith([
    zero,
    "USBSERV",
    zero,
    "usbclient.exe modules/docs/ cr1_0",
    zero,
  ]));
  if (result === undefined) return;
  deepStrictEqual(result, { detections: [], undecided: 0 });
});
