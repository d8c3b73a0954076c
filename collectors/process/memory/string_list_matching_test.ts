/**
 * The strings a memory search gives, evaluated by the engine as the process
 * collector will hand them over: `contains` holds on the string around a hit,
 * `is` only on a whole string, and a cut search leaves the IOC undecided.
 */
import { deepStrictEqual } from "node:assert/strict";
import { compilePlan } from "../../../engine/plan.ts";
import { parseIoc } from "../../../openioc/parse_ioc.ts";
import { ioc11, item11, utf8 } from "../../../openioc/_ioc_fixtures.ts";
import { compilePatterns } from "./byte_patterns.ts";
import { searchProcessMemory } from "./memory_search.ts";
import { stringListField } from "./string_list_field.ts";
import { stringListPatterns } from "./string_list_patterns.ts";
import { heapRegion, memoryWith, recordedMemorySource } from "./_recorded_memory.ts";

const documents = ([
  ["contains-part", item11("a", "contains", "ProcessItem/StringList/string", "evil.example")],
  ["is-part", item11("a", "is", "ProcessItem/StringList/string", "evil.example")],
  ["is-whole", item11("a", "is", "ProcessItem/StringList/string", "Global\\Mtx-1")],
  ["absent", item11("a", "contains", "ProcessItem/StringList/string", "not-in-memory-9")],
  [
    "absent-negated",
    item11("a", "contains", "ProcessItem/StringList/string", "not-in-memory-9", { negate: true }),
  ],
] as const).map(([id, item]) =>
  parseIoc(
    utf8(ioc11(`<Indicator id="root" operator="OR">${item}</Indicator>`, { id })),
    `${id}.ioc`,
  ).document
);

const memory = memoryWith([
  new Uint8Array(8),
  "GET http://evil.example/a",
  new Uint8Array(8),
  { utf16: "Global\\Mtx-1" },
  new Uint8Array(8),
]);

async function verdicts(limits: { maxBytes?: number; chunkBytes?: number }) {
  const { patterns } = stringListPatterns(documents);
  const { compiled } = compilePatterns(patterns);
  const result = await searchProcessMemory(
    4242,
    compiled,
    limits,
    recordedMemorySource([heapRegion(0x1000n, memory)]),
  );
  const outcome = stringListField(result, { collector: "process", object: "pid 4242 implant" });
  const plan = compilePlan(documents, { objects: "given" });
  const session = plan.createSession();
  await session.observe({
    document: "ProcessItem",
    key: "pid 4242 implant",
    fields: { pid: 4242, ...outcome.fields },
    ...(outcome.unevaluated === undefined ? {} : { unevaluated: outcome.unevaluated }),
  });
  return {
    detections: session.finish().map((detection) => detection.ioc.id).sort(),
    undecided: session.undecided().map((entry) => entry.ioc.id).sort(),
  };
}

Deno.test("memory strings in the engine: contains holds on the string around a hit, is needs the whole string", async () => {
  deepStrictEqual(await verdicts({}), {
    detections: ["absent-negated", "contains-part", "is-whole"],
    undecided: [],
  });
});

Deno.test("memory strings in the engine: a search cut short leaves what it did not find undecided", async () => {
  // The byte budget stops before the UTF-16 mutex: only the first string is known.
  deepStrictEqual(await verdicts({ maxBytes: 40, chunkBytes: 1 }), {
    detections: ["contains-part"],
    undecided: ["absent", "absent-negated", "is-part", "is-whole"],
  });
});
