/**
 * The `matches` limits on real data and through the real CLI: every
 * `matches` pattern of the OpenIOC corpus still compiles under the limits,
 * the hostile pattern is rejected by `iocscan match` with a warning naming
 * the limit, and a value cut to its text limit gives a `match-value-cut`
 * warning.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { loadIocPaths } from "../openioc/mod.ts";
import type { IndicatorItem, IndicatorNode } from "../openioc/model.ts";
import { ioc11, item11 } from "../openioc/_ioc_fixtures.ts";
import { compileItem, MAX_REGEX_PROGRAM_SIZE } from "../engine/item_condition.ts";
import { type LooseEvent, runCli } from "./_cli.ts";
import { corpusDir, repositoryRoot } from "./corpus.ts";

const openioc = corpusDir("openioc");
/** 425 characters of bounded repeats: tens of thousands of RE2 instructions. */
const hostilePattern = "(?:\\w{1,1000}[-.]){1}".repeat(20) + "z".repeat(5);

function* leaves(node: IndicatorNode): Generator<IndicatorItem> {
  if (node.kind === "item") yield node;
  else for (const child of node.children) yield* leaves(child);
}

Deno.test({
  name: "compileItem(): every matches pattern of the OpenIOC corpus compiles under the limits",
  ignore: openioc === undefined,
  fn: async () => {
    const { documents } = await loadIocPaths([openioc!]);
    let patterns = 0;
    const rejected: string[] = [];
    let largest = 0;
    for (const document of documents) {
      for (const source of leaves(document.root)) {
        if (source.condition !== "matches") continue;
        patterns++;
        const { test } = compileItem(source, document.version);
        if (test.kind === "direct") largest = Math.max(largest, test.regexBudget!.programSize);
        else if (test.kind === "not-evaluated" && test.detail?.includes("over the limit")) {
          rejected.push(`${document.file}: ${source.id}`);
        }
      }
    }
    console.error(`${patterns} matches patterns, largest program ${largest} instructions`);
    ok(patterns >= 100, `${patterns} patterns`);
    deepStrictEqual(rejected, []);
    ok(largest <= MAX_REGEX_PROGRAM_SIZE / 5, `largest ${largest}`);
  },
});

async function match(iocText: string, items: string) {
  const folder = await Deno.makeTempDir({ prefix: "iocscan-regex-" });
  try {
    await Deno.writeTextFile(join(folder, "r.ioc"), iocText);
    const output = await runCli<LooseEvent>(
      ["match", "--ioc", join(folder, "r.ioc"), "--items", "-", "--json"],
      { cwd: repositoryRoot, stdin: items },
    );
    return { code: output.code, events: output.events };
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
}

Deno.test("iocscan match: the hostile pattern is not evaluated, with a warning naming the limit", async () => {
  const { code, events } = await match(
    ioc11(
      `<Indicator operator="OR" id="top">${
        item11("re", "matches", "FileItem/FileName", hostilePattern)
      }</Indicator>`,
    ),
    JSON.stringify({ document: "FileItem", key: "/x", FileName: "a".repeat(10_000) }) + "\n",
  );
  // The IOC's only item is not evaluated: it cannot fire, so the run is incomplete, not clean.
  strictEqual(code, 3);
  const warning = events.find((e) => e.type === "warning" && e.code === "invalid-value");
  ok(warning?.message.includes("over the limit of 2000"), JSON.stringify(events));
  deepStrictEqual(
    events.filter((e) => e.type === "not-evaluated").map((e) => [e.itemId, e.reason]),
    [["re", "invalid-value"]],
  );
});

Deno.test("iocscan match: a value longer than the text limit is warned about, not silently missed", async () => {
  const { events } = await match(
    ioc11(
      `<Indicator operator="OR" id="top">${
        item11("re", "matches", "FileItem/FileName", "\\w{1,900}z")
      }</Indicator>`,
    ),
    JSON.stringify({ document: "FileItem", key: "/x", FileName: " ".repeat(100_000) + "abz" }) +
      "\n",
  );
  deepStrictEqual(events.filter((e) => e.type === "detection"), []);
  const cut = events.filter((e) => e.type === "warning" && e.code === "match-value-cut");
  deepStrictEqual(cut.map((e) => e.itemId), ["re"]);
});

Deno.test("iocscan match: a negated matches on a value over the text limit is unknown, not a hit (exit 3)", async () => {
  const { code, events } = await match(
    ioc11(
      `<Indicator operator="OR" id="top">${
        item11("re", "matches", "FileItem/FileName", "\\w{1,900}z", { negate: true })
      }</Indicator>`,
    ),
    JSON.stringify({ document: "FileItem", key: "/x", FileName: " ".repeat(100_000) + "abz" }) +
      "\n",
  );
  deepStrictEqual(events.filter((e) => e.type === "detection"), []);
  strictEqual(code, 3);
  const unknown = events.filter((e) =>
    e.type === "warning" && e.code === "not-evaluated-on-objects"
  );
  deepStrictEqual(unknown.map((e) => e.itemId), ["re"]);
});
