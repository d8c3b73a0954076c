/**
 * Reads one live process's memory sections and searches its memory, and
 * prints the results as JSON (bigints as decimal strings): the live tests run
 * it in a child process with every permission, as reading `/proc` needs. A
 * test helper.
 *
 * Usage: `deno run -A _live_probe.ts '{"pid":4242,"patterns":[…],"limits":{…}}'`
 *
 * @module
 */
import { compilePatterns, type MemoryPattern } from "./byte_patterns.ts";
import { linuxMemorySource } from "./linux_source.ts";
import { readMemorySections } from "./memory_sections.ts";
import { type MemorySearchLimits, searchProcessMemory } from "./memory_search.ts";

interface ProbeRequest {
  pid: number;
  patterns: MemoryPattern[];
  limits?: MemorySearchLimits;
}

const request = JSON.parse(Deno.args[0]!) as ProbeRequest;
const source = linuxMemorySource();
const sections = await readMemorySections(request.pid, { source });
const { compiled } = compilePatterns(request.patterns);
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
