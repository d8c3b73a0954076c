import { deepStrictEqual, strictEqual } from "node:assert/strict";
import type { CollectorReporter, CollectorWarning, SkippedObject } from "../collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { createTableCollector } from "./table_collector.ts";
import { firstReadable, type TableSource } from "./table_source.ts";

const observation = { time: "2026-12-07T03:00:00.000Z", computer: "host1" };

function recorder() {
  const skipped: SkippedObject[] = [];
  const warnings: CollectorWarning[] = [];
  const reporter: CollectorReporter = {
    skipped: (entry) => skipped.push(entry),
    warning: (entry) => warnings.push(entry),
    progress() {},
  };
  return { skipped, warnings, reporter };
}

function rowsSource(rows: number[]): TableSource<number> {
  return { name: "numbers", read: () => Promise.resolve({ ok: true, rows }) };
}

const toItem = (row: number, seen: typeof observation): ObservedItem => ({
  document: "NumberItem",
  key: String(row),
  fields: { n: row },
  provenance: seen,
});

async function collectAll(collector: ReturnType<typeof createTableCollector<number>>) {
  const { reporter, skipped, warnings } = recorder();
  const items: ObservedItem[] = [];
  for await (const item of collector.collect({ needs: new Map(), reporter })) items.push(item);
  return { items, skipped, warnings };
}

Deno.test("createTableCollector stamps each object with when and where it was observed", async () => {
  const collector = createTableCollector({
    name: "numbers",
    document: "NumberItem",
    source: rowsSource([1, 2]),
    toItem,
    maxObjects: 10,
    observe: () => observation,
  });
  const { items, skipped } = await collectAll(collector);
  deepStrictEqual(items.map((item) => [item.key, item.provenance]), [
    ["1", observation],
    ["2", observation],
  ]);
  deepStrictEqual(skipped, []);
  deepStrictEqual(collector.stats, {
    source: "numbers",
    rows: 2,
    objects: 2,
    unavailable: false,
    overCap: 0,
  });
});

Deno.test("createTableCollector reports an unreadable source as a source-unavailable skip", async () => {
  const collector = createTableCollector<number>({
    name: "numbers",
    document: "NumberItem",
    source: {
      name: "numbers",
      read: () => Promise.resolve({ ok: false, object: "numbers:here", detail: "no tool" }),
    },
    toItem,
    maxObjects: 10,
  });
  const { items, skipped } = await collectAll(collector);
  deepStrictEqual(items, []);
  deepStrictEqual(skipped, [{
    collector: "numbers",
    object: "numbers:here",
    reason: "source-unavailable",
    unreadDocuments: ["NumberItem"],
    detail: "no tool",
  }]);
  strictEqual(collector.stats.unavailable, true);
});

Deno.test("createTableCollector stops at its cap with a warning and a skip naming it", async () => {
  const collector = createTableCollector({
    name: "numbers",
    document: "NumberItem",
    source: rowsSource([1, 2, 3, 4]),
    toItem,
    maxObjects: 3,
  });
  const { items, skipped, warnings } = await collectAll(collector);
  strictEqual(items.length, 3);
  strictEqual(warnings[0]?.code, "object-cap");
  strictEqual(skipped[0]?.reason, "source-unavailable");
  strictEqual(
    skipped[0]?.detail,
    "numbers: 4 entries, only the first 3 read (the numbers collector's cap)",
  );
  strictEqual(collector.stats.overCap, 1);
});

Deno.test("firstReadable falls back to the next source and says why", async () => {
  const failing: TableSource<number> = {
    name: "api",
    read: () => Promise.resolve({ ok: false, object: "api", detail: "error 5" }),
  };
  const read = await firstReadable("table:x", [failing, rowsSource([7])]).read();
  deepStrictEqual(read, {
    ok: true,
    rows: [7],
    warnings: [{
      code: "table-source-fallback",
      message: "api: error 5; read with numbers instead",
    }],
  });
  const none = await firstReadable("table:x", [failing, failing]).read();
  deepStrictEqual(none, { ok: false, object: "table:x", detail: "api: error 5; api: error 5" });
});
