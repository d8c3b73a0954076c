/**
 * The work limits of `matches`: programs over the size limit are rejected
 * (invalid-value, with the limit named), and values longer than an item's
 * text limit are run over a prefix only, counted, and warned about at the
 * end of the session (never a silent non-match). Operation counts, no timing.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import {
  compileItem,
  MAX_REGEX_PATTERN_LENGTH,
  MAX_REGEX_PROGRAM_SIZE,
  MAX_REGEX_TEXT,
  REGEX_WORK_BUDGET,
} from "./item_condition.ts";
import { compilePlan } from "./plan.ts";
import { ioc, item, observed } from "./_model_fixtures.ts";

/** 425 characters of bounded repeats: tens of thousands of RE2 instructions. */
const hostilePattern = "(?:\\w{1,1000}[-.]){1}".repeat(20) + "z".repeat(5);

Deno.test("compileItem() matches: a pattern whose program is over the limit is invalid-value, naming it", () => {
  strictEqual(hostilePattern.length, 425);
  const compiled = compileItem(item("FileItem/FileName", "matches", hostilePattern));
  strictEqual(compiled.test.kind, "not-evaluated");
  if (compiled.test.kind !== "not-evaluated") return;
  strictEqual(compiled.test.reason, "invalid-value");
  ok(
    /^regular expression too costly: its program has \d+ instructions, over the limit of 2000/
      .test(compiled.test.detail ?? ""),
    compiled.test.detail,
  );
  strictEqual(MAX_REGEX_PROGRAM_SIZE, 2000);
  const long = compileItem(item("FileItem/FileName", "matches", "a".repeat(8193)));
  ok(
    long.test.kind === "not-evaluated" &&
      long.test.detail ===
        `regular expression of 8193 characters: over the limit of ${MAX_REGEX_PATTERN_LENGTH} (docs/matching.md)`,
  );
});

Deno.test("compilePlan() warns about a hostile matches item with invalid-value", () => {
  const plan = compilePlan([
    ioc(item("FileItem/FileName", "matches", hostilePattern, { id: "re" })),
  ]);
  deepStrictEqual(plan.warnings.map((w) => [w.code, w.itemId]), [["invalid-value", "re"]]);
  deepStrictEqual(plan.notEvaluated.map((e) => e.reason), ["invalid-value"]);
});

Deno.test("compileItem() matches: the text limit follows the program size", () => {
  const small = compileItem(item("FileItem/FileName", "matches", "evil"));
  ok(small.test.kind === "direct" && small.test.regexBudget !== undefined);
  if (small.test.kind !== "direct" || !small.test.regexBudget) return;
  const { programSize, textLimit } = small.test.regexBudget;
  strictEqual(textLimit, Math.min(MAX_REGEX_TEXT, Math.floor(REGEX_WORK_BUDGET / programSize)));
  const big = compileItem(item("FileItem/FileName", "matches", "\\w{1,900}z"));
  ok(big.test.kind === "direct" && big.test.regexBudget !== undefined);
  if (big.test.kind !== "direct" || !big.test.regexBudget) return;
  ok(big.test.regexBudget.textLimit < textLimit);
  // The work per value stays within the budget whatever the program.
  ok(big.test.regexBudget.textLimit * big.test.regexBudget.programSize <= REGEX_WORK_BUDGET);
});

Deno.test("MatchSession: values cut to the text limit match in their prefix, else are unknown and warned", async () => {
  const pattern = "\\w{1,900}z"; // about 1,800 instructions: a text limit near 9,000 characters
  const end = "x$";
  const plan = compilePlan([
    ioc(item("FileItem/FileName", "matches", pattern, { id: "big" }), { id: "ioc-big" }),
    ioc(item("FileItem/FileName", "matches", end, { id: "end" }), { id: "ioc-end" }),
  ]);
  const compiled = compileItem(item("FileItem/FileName", "matches", pattern));
  ok(compiled.test.kind === "direct" && compiled.test.regexBudget, "a direct test with a budget");
  const limit = compiled.test.regexBudget.textLimit;
  const session = plan.createSession();
  // A match early on: found in the prefix, a real match.
  await session.observe(observed("FileItem", { FileName: "abz" + " ".repeat(limit * 2) }, "early"));
  // A match only past the limit: not found, counted as cut.
  await session.observe(observed("FileItem", { FileName: " ".repeat(limit * 2) + "abz" }, "late"));
  // `x$` on a long value ending in x: the end of the prefix is not the end of the value.
  await session.observe(observed("FileItem", { FileName: "x".repeat(MAX_REGEX_TEXT + 10) }, "end"));
  // (That value has no z either: the first item counts it too.)
  // Short values are tested whole, with no warning.
  await session.observe(observed("FileItem", { FileName: "short" }, "short"));
  const detections = session.finish();
  deepStrictEqual(
    detections.map((d) => [d.ioc.id, d.evidence.map((e) => e.object)]),
    [["ioc-big", ["early"]]],
  );
  const cuts = session.warnings.filter((w) => w.code === "match-value-cut");
  deepStrictEqual(cuts.map((w) => [w.iocId, w.itemId]), [["ioc-big", "big"], ["ioc-end", "end"]]);
  ok(
    cuts[0]!.message.includes(`on 2 object(s), a value longer than ${limit} characters`),
    cuts[0]!.message,
  );
  // Not a miss: each IOC is undecided, naming the item, the limit and the objects.
  deepStrictEqual(
    session.undecided().map((u) => [u.ioc.id, u.unevaluated.map((e) => [e.itemId, e.objects])]),
    [["ioc-end", [["end", 1]]]],
  );
  // A second finish does not repeat them.
  session.finish();
  strictEqual(session.warnings.filter((w) => w.code === "match-value-cut").length, 2);
});
