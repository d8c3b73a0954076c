import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { join } from "node:path";
import { CompletenessTracker, namedInputs } from "./completeness.ts";

Deno.test("namedInputs() lists every path the task names, with its option", () => {
  assertEquals(
    namedInputs({
      version: 1,
      iocPaths: ["iocs"],
      scopes: [{ path: "/srv" }],
      evtx: ["a.evtx"],
      hives: ["NTUSER.DAT"],
      roots: ["/mnt/img"],
      evidence: ["/case"],
    }),
    [
      { path: "/srv", option: "--scope" },
      { path: "a.evtx", option: "--evtx" },
      { path: "NTUSER.DAT", option: "--hive" },
      { path: "/mnt/img", option: "--root" },
      { path: "/case", option: "--evidence" },
    ],
  );
});

Deno.test("CompletenessTracker: unreadable named inputs, whole-input skips, not per-object skips", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-completeness-" });
  try {
    const missing = join(dir, "missing");
    const hive = join(dir, "NTUSER.DAT.xz");
    await Deno.writeTextFile(hive, "xz");
    const tracker = new CompletenessTracker([
      { path: dir, option: "--scope" },
      { path: missing, option: "--scope" },
      { path: hive, option: "--hive" },
    ]);
    await tracker.checkInputs();
    assertEquals(tracker.complete, false);
    // One file inside a scope is a skip, not an unread input.
    assertEquals(
      tracker.noteSkipped({
        type: "skipped",
        collector: "file",
        object: join(dir, "locked"),
        reason: "unreadable",
      }),
      false,
    );
    assertEquals(
      tracker.noteSkipped({
        type: "skipped",
        collector: "registry",
        object: hive,
        reason: "unsupported",
        detail: "no regf signature",
      }),
      true,
    );
    // An input the user's own exclude globs leave out is no blind spot.
    assertEquals(
      tracker.noteSkipped({ type: "skipped", collector: "file", object: dir, reason: "excluded" }),
      false,
    );
    // The same input is listed once.
    tracker.noteSkipped({
      type: "skipped",
      collector: "file",
      object: missing,
      reason: "not-found",
    });
    assertEquals(tracker.entries(), [
      { kind: "input", what: missing, why: "--scope: not found" },
      {
        kind: "input",
        what: hive,
        why: "--hive: skipped by the registry collector (unsupported: no regf signature)",
      },
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CompletenessTracker: undecided IOCs, with the reasons of their items", () => {
  const tracker = new CompletenessTracker([]);
  assertEquals(tracker.complete, true);
  const ioc = { id: "z", name: "Z", file: "z.ioc", version: "1.0", sha256: "ab".repeat(32) };
  tracker.noteUndecided([{ ioc, canFire: false }], [
    { type: "not-evaluated", ioc, itemId: "1", search: "ProcessItem/name", reason: "no-collector" },
    { type: "not-evaluated", ioc, itemId: "2", search: "Yara/Yara", reason: "unsupported-term" },
  ]);
  assertEquals(tracker.entries(), [{
    kind: "ioc",
    what: "z (z.ioc)",
    why:
      "cannot fire: every way to fire goes through items not evaluated (no-collector, unsupported-term)",
  }]);
  assertEquals(tracker.complete, false);
});
