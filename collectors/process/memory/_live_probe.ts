/**
 * Reads one live process's memory sections and searches its memory, and
 * prints the results as JSON (bigints as decimal strings): the live tests run
 * it in a child process with every permission, as reading `/proc` needs. A
 * test helper.
 *
 * Usage: `deno run -A _live_probe.ts '{"pid":4242,"patterns":[…],"limits":{…}}'`; with
 * `"iocFiles":[…]` instead of patterns, it loads those IOCs, reads the process
 * through {@linkcode ProcessMemory} and prints the engine's detections.
 *
 * @module
 */
import { compilePatterns, type MemoryPattern } from "./byte_patterns.ts";
import { linuxMemorySource } from "./linux_source.ts";
import { readMemorySections } from "./memory_sections.ts";
import { type MemorySearchLimits, searchProcessMemory } from "./memory_search.ts";

interface ProbeRequest {
  pid: number;
  patterns?: MemoryPattern[];
  iocFiles?: string[];
  limits?: MemorySearchLimits;
  /** Read through `/proc/<pid>/mem` only (no `process_vm_readv`). */
  memFileOnly?: boolean;
}

const request = JSON.parse(Deno.args[0]!) as ProbeRequest;
if (request.iocFiles !== undefined) {
  // Loaded only here: the engine brings npm packages, which the uid-65534 run has no cache for.
  const { loadIocPaths } = await import("../../../openioc/load.ts");
  const { compilePlan } = await import("../../../engine/plan.ts");
  const { ProcessMemory } = await import("./process_memory.ts");
  const { documents } = await loadIocPaths(request.iocFiles);
  const memory = new ProcessMemory({
    collector: "process",
    documents,
    ...(request.limits === undefined ? {} : { limits: request.limits }),
  });
  const key = `pid ${request.pid}`;
  const load = await memory.load(request.pid, key, ["SectionList", "StringList"]);
  // `given`: the terms count as produced whether or not this build's catalogue names a
  // process collector yet (the process collector wires this library in).
  const session = compilePlan(documents, { objects: "given" }).createSession();
  await session.observe({
    document: "ProcessItem",
    key,
    fields: { pid: request.pid, ...load.fields },
    ...(load.unevaluated === undefined ? {} : { unevaluated: load.unevaluated }),
  });
  console.log(JSON.stringify({
    detections: session.finish().map((detection) => ({
      id: detection.ioc.id,
      objects: detection.evidence.map((evidence) => evidence.object),
    })),
    undecided: session.undecided().map((entry) => entry.ioc.id),
    skipped: load.skipped,
  }));
  Deno.exit(0);
}
const source = linuxMemorySource(request.memFileOnly ? { processVmReadv: false } : {});
const sections = await readMemorySections(request.pid, { source });
const { compiled } = compilePatterns(request.patterns ?? []);
const search = await searchProcessMemory(request.pid, compiled, request.limits ?? {}, source);
const plain = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (_key, inner) => typeof inner === "bigint" ? inner.toString() : inner),
  );
console.log(JSON.stringify({
  sections: sections.ok
    ? plain(sections)
    : { ok: false, error: { reason: sections.error.reason, message: sections.error.message } },
  search: search.ok
    ? search
    : { ok: false, error: { reason: search.error.reason, message: search.error.message } },
}));
