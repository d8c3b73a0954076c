import { deepStrictEqual } from "node:assert/strict";
import { and, ioc, item, observed, or } from "./_model_fixtures.ts";
import { compilePlan } from "./plan.ts";
import { Truth } from "./truth.ts";
import { canFire, hostTruth } from "./verdict.ts";

Deno.test("hostTruth() is Kleene logic over groups; an empty AND is false", () => {
  const unknown = { op: "unknown" as const };
  const group = (g: number) => ({ op: "group" as const, group: g });
  const truths = [Truth.False, Truth.True];
  deepStrictEqual(
    hostTruth({ op: "or", children: [group(0), unknown] }, (g) => truths[g]!),
    Truth.Unknown,
  );
  deepStrictEqual(
    hostTruth({ op: "or", children: [group(1), unknown] }, (g) => truths[g]!),
    Truth.True,
  );
  deepStrictEqual(
    hostTruth({ op: "and", children: [group(0), unknown] }, (g) => truths[g]!),
    Truth.False,
  );
  deepStrictEqual(hostTruth({ op: "and", children: [] }, () => Truth.True), Truth.False);
  deepStrictEqual(hostTruth({ op: "false" }, () => Truth.True), Truth.False);
});

Deno.test("canFire() is false when every way to fire goes through an item not evaluated", () => {
  const unknown = { op: "unknown" as const };
  const group = { op: "group" as const, group: 0 };
  deepStrictEqual(canFire({ op: "or", children: [group, unknown] }, () => true), true);
  deepStrictEqual(canFire({ op: "and", children: [group, unknown] }, () => true), false);
  deepStrictEqual(canFire(group, () => false), false);
});

Deno.test("compilePlan() coverage: canFire per IOC, from the items a scan evaluates", () => {
  const plan = compilePlan([
    ioc(
      or(item("PrefetchItem/ApplicationFileName", "is", "a"), item("FileItem/FileName", "is", "b")),
      {
        id: "mixed",
      },
    ),
    ioc(
      or(item("PrefetchItem/ApplicationFileName", "is", "a"), item("Yara/TextString", "is", "b")),
      {
        id: "blind",
      },
    ),
    ioc(and(item("FileItem/FileName", "is", "a"), item("FileItem/StringList/string", "is", "b")), {
      id: "and",
    }),
  ]);
  deepStrictEqual(
    plan.coverage.map((entry) => [entry.ioc.id, entry.items, entry.notEvaluated, entry.canFire]),
    [["mixed", 2, 1, true], ["blind", 2, 2, false], ["and", 2, 1, false]].sort((a, b) =>
      String(a[0]) < String(b[0]) ? -1 : 1
    ),
  );
});

Deno.test("MatchSession.undecided() lists IOCs neither detected nor ruled out", async () => {
  const plan = compilePlan([
    ioc(or(item("FileItem/FileName", "is", "hit.exe")), { id: "complete-hit" }),
    ioc(or(item("FileItem/FileName", "is", "absent.exe")), { id: "complete-miss" }),
    ioc(
      or(
        item("FileItem/FileName", "is", "absent.exe"),
        item("PrefetchItem/ApplicationFileName", "is", "x"),
      ),
      {
        id: "mixed",
      },
    ),
    ioc(or(item("RegistryItem/ValueName", "is", "x")), { id: "unread" }),
    ioc(or(item("FileItem/StringList/string", "is", "x", { negate: true })), { id: "negated" }),
  ]);
  const session = plan.createSession();
  await session.observe(observed("FileItem", { FileName: "hit.exe" }));
  await session.observe(observed("FileItem", { FileName: "other.exe" }));
  deepStrictEqual(session.finish().map((detection) => detection.ioc.id), ["complete-hit"]);
  deepStrictEqual(
    session.undecided(new Set(["registryitem"])).map(({ ioc, canFire }) => [ioc.id, canFire])
      .sort(),
    [["mixed", true], ["negated", false], ["unread", true]],
  );
  deepStrictEqual(session.undecided().map(({ ioc }) => ioc.id).sort(), ["mixed", "negated"]);
});
