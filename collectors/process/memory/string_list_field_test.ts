import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { MemorySearchReport } from "./memory_search.ts";
import { MemoryAccessError } from "./source.ts";
import { stringListField } from "./string_list_field.ts";

const complete: MemorySearchReport = {
  ok: true,
  found: [{
    text: "evil",
    caseSensitive: false,
    encodings: ["ascii"],
    whole: true,
    strings: ["evil"],
  }],
  strings: ["evil"],
  bytesRead: 4096,
  regionsSearched: 3,
  regionsSkipped: 0,
  bytesSkipped: 0,
  regionsExcluded: 0,
  elapsedMs: 2,
};
const options = { collector: "process", object: "pid 4242 implant" };

Deno.test("stringListField: a complete search gives the strings found and nothing unevaluated", () => {
  deepStrictEqual(stringListField(complete, options), {
    fields: { StringList: { string: ["evil"] } },
  });
  deepStrictEqual(stringListField({ ...complete, found: [], strings: [] }, options), {
    fields: { StringList: { string: [] } },
  });
});

Deno.test("stringListField: a search cut by a limit leaves StringList unevaluated, naming the limit", () => {
  const outcome = stringListField({ ...complete, truncatedBy: "time", elapsedMs: 10000 }, options);
  deepStrictEqual(outcome.fields, { StringList: { string: ["evil"] } });
  ok(outcome.unevaluated?.["StringList"]?.includes("time limit after 4096 bytes and 10000 ms"));
});

Deno.test("stringListField: unread regions and unanswerable items leave StringList unevaluated", () => {
  const skipped = stringListField({ ...complete, regionsSkipped: 2, bytesSkipped: 8192 }, options);
  ok(skipped.unevaluated?.["StringList"]?.includes("2 readable regions (8192 bytes)"));
  const items = stringListField(complete, { ...options, unanswerable: 1 });
  ok(items.unevaluated?.["StringList"]?.includes("cannot answer"));
});

Deno.test("stringListField: an unreadable process is a skip naming it, and StringList unevaluated", () => {
  const outcome = stringListField({
    ok: false,
    error: new MemoryAccessError("unreadable", "process 1: /proc/1/mem: Permission denied"),
  }, options);
  deepStrictEqual(outcome.fields, {});
  deepStrictEqual(outcome.skipped, {
    collector: "process",
    object: "pid 4242 implant (memory)",
    reason: "unreadable",
    detail: "process 1: /proc/1/mem: Permission denied",
  });
  strictEqual(typeof outcome.unevaluated?.["StringList"], "string");
});
