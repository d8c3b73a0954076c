import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { parseIoc } from "../../../openioc/parse_ioc.ts";
import { ioc11, item11, utf8 } from "../../../openioc/_ioc_fixtures.ts";
import { ProcessMemory } from "./process_memory.ts";
import { MemoryAccessError } from "./source.ts";
import { heapRegion, memoryWith, recordedMemorySource } from "./_recorded_memory.ts";

const documents = [
  parseIoc(
    utf8(ioc11(
      `<Indicator id="root" operator="OR">` +
        item11("a", "contains", "ProcessItem/StringList/string", "beacon.example") +
        item11("b", "contains", "ProcessItem/StringList/string", "not-there-31") +
        `</Indicator>`,
    )),
    "memory.ioc",
  ).document,
];
const opener = { open: () => Promise.reject(new Error("no files here")) };
const memory = memoryWith([new Uint8Array(4), "https://beacon.example/x", new Uint8Array(4)]);

Deno.test("ProcessMemory.load gives SectionList and StringList of a readable process", async () => {
  const processMemory = new ProcessMemory({
    collector: "process",
    documents,
    platform: "linux",
    source: recordedMemorySource([heapRegion(0x1000n, memory)]),
    opener,
  });
  strictEqual(processMemory.patternCount, 2);
  ok(processMemory.provides("stringlist") && processMemory.provides("SectionList"));
  strictEqual(processMemory.provides("HandleList"), false);
  const load = await processMemory.load(42, "pid 42 implant", ["SectionList", "StringList"]);
  deepStrictEqual(load.fields["StringList"], { string: ["https://beacon.example/x"] });
  deepStrictEqual(
    (load.fields["SectionList"] as { MemorySection: { Name: string }[] }).MemorySection.map((
      section,
    ) => section.Name),
    ["[heap]"],
  );
  strictEqual(load.unevaluated, undefined);
  deepStrictEqual([load.skipped, load.warnings], [[], []]);
  strictEqual(processMemory.stats.processesSearched, 1);
  strictEqual(processMemory.stats.bytesRead, memory.byteLength);
});

Deno.test("ProcessMemory.load of an unreadable process: one skip naming it, both fields unevaluated", async () => {
  const processMemory = new ProcessMemory({
    collector: "process",
    documents,
    platform: "linux",
    source: recordedMemorySource([], {
      failure: new MemoryAccessError("unreadable", "/proc/1/maps: Permission denied (os error 13)"),
    }),
    opener,
  });
  const load = await processMemory.load(1, "pid 1 systemd", ["SectionList", "StringList"]);
  deepStrictEqual(load.fields, {});
  deepStrictEqual(load.skipped, [{
    collector: "process",
    object: "pid 1 systemd (memory)",
    reason: "unreadable",
    detail: "/proc/1/maps: Permission denied (os error 13)",
  }]);
  deepStrictEqual(Object.keys(load.unevaluated ?? {}), ["SectionList", "StringList"]);
});

Deno.test("ProcessMemory.load: a cut search is warned about and leaves StringList unevaluated", async () => {
  const processMemory = new ProcessMemory({
    collector: "process",
    documents,
    platform: "linux",
    source: recordedMemorySource([heapRegion(0x1000n, memory)]),
    opener,
    limits: { maxBytes: 8, chunkBytes: 1 },
  });
  const load = await processMemory.load(42, "pid 42 implant", ["StringList"]);
  ok(load.unevaluated?.["StringList"]?.includes("size limit"));
  deepStrictEqual(load.warnings.map((warning) => warning.code), ["memory-search-cut"]);
  ok(load.warnings[0]!.message.startsWith("pid 42 implant: "));
  strictEqual(processMemory.stats.searchesCut, 1);
});

Deno.test("ProcessMemory.load on a platform without a source leaves the fields unevaluated", async () => {
  const processMemory = new ProcessMemory({ collector: "process", documents, platform: "darwin" });
  const load = await processMemory.load(42, "pid 42 x", ["StringList", "SectionList"]);
  deepStrictEqual(load.unevaluated, {
    SectionList: "process memory is not read on darwin",
    StringList: "process memory is not read on darwin",
  });
});

Deno.test("ProcessMemory opens mapped files for PEInfo only when an IOC reads a section's PEInfo", async () => {
  const mapped = {
    region: {
      start: 0x10000n,
      size: 0x1000n,
      protection: "PAGE_EXECUTE_READ",
      readable: true,
      executable: true,
      rawFlags: "r-xp",
      kind: "mapped" as const,
      name: "/opt/app/evil.dll",
      fileKey: "8:1:9",
      deleted: false,
    },
  };
  const opens: string[] = [];
  const counting = {
    open(path: string) {
      opens.push(path);
      return Promise.reject(Object.assign(new Error("ENOENT"), { code: "ENOENT" }));
    },
  };
  const peDocument = parseIoc(
    utf8(ioc11(
      `<Indicator id="root" operator="OR">` +
        item11(
          "a",
          "contains",
          "ProcessItem/SectionList/MemorySection/PEInfo/ImportedModules/Module/ImportedFunctions/string",
          "VirtualAllocEx",
        ) + `</Indicator>`,
    )),
    "pe.ioc",
  ).document;
  for (const [list, expected] of [[documents, 0], [[peDocument], 1]] as const) {
    opens.length = 0;
    const processMemory = new ProcessMemory({
      collector: "process",
      documents: list,
      platform: "linux",
      source: recordedMemorySource([mapped]),
      opener: counting,
    });
    const load = await processMemory.load(42, "pid 42 x", ["SectionList"]);
    strictEqual(opens.length, expected);
    strictEqual(
      load.unevaluated?.["SectionList/MemorySection/PEInfo"] !== undefined,
      expected === 1,
      "a file that cannot be opened leaves PEInfo unknown only when it is read",
    );
  }
});
