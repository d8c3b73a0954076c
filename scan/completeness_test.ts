import { deepStrictEqual } from "node:assert/strict";
import { join } from "node:path";
import { CompletenessTracker, namedInputs } from "./completeness.ts";

Deno.test("namedInputs() lists every path the task names, with its option", () => {
  deepStrictEqual(
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
    deepStrictEqual(tracker.complete, false);
    // One file inside a scope is a skip, not an unread input.
    deepStrictEqual(
      tracker.noteSkipped({
        type: "skipped",
        collector: "file",
        object: join(dir, "locked"),
        reason: "unreadable",
      }),
      false,
    );
    deepStrictEqual(
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
    deepStrictEqual(
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
    deepStrictEqual(tracker.entries(), [
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
  deepStrictEqual(tracker.complete, true);
  const ioc = { id: "z", name: "Z", file: "z.ioc", version: "1.0", sha256: "ab".repeat(32) };
  tracker.noteUndecided([{ ioc, canFire: false, unevaluated: [] }], [
    {
      type: "not-evaluated",
      ioc,
      itemId: "1",
      search: "PrefetchItem/ApplicationFileName",
      reason: "no-collector",
    },
    { type: "not-evaluated", ioc, itemId: "2", search: "Yara/Yara", reason: "unsupported-term" },
  ]);
  deepStrictEqual(tracker.entries(), [{
    kind: "ioc",
    what: "z (z.ioc)",
    why:
      "cannot fire: every way to fire goes through items not evaluated (no-collector, unsupported-term)",
  }]);
  deepStrictEqual(tracker.complete, false);
});

Deno.test("CompletenessTracker: an IOC undecided on objects names the items, reasons and objects", () => {
  const tracker = new CompletenessTracker([]);
  const ioc = { id: "s", name: "S", file: "s.ioc", version: "1.1", sha256: "cd".repeat(32) };
  const unevaluated = [{
    itemId: "sig",
    search: "FileItem/PEInfo/DigitalSignature/SignatureVerified",
    reason: "signature not checked: unsupported digest",
    objects: 2,
  }];
  tracker.noteUndecided([{ ioc, canFire: true, unevaluated }], []);
  deepStrictEqual(tracker.entries(), [{
    kind: "ioc",
    what: "s (s.ioc)",
    why: "items not evaluated on objects where it could have fired: item sig " +
      "(FileItem/PEInfo/DigitalSignature/SignatureVerified) on 2 object(s): " +
      "signature not checked: unsupported digest",
    unevaluated,
  }]);
  deepStrictEqual(tracker.complete, false);
});

Deno.test("CompletenessTracker: a named EVTX file whose reading stopped mid-file was read only in part", () => {
  const tracker = new CompletenessTracker([
    { path: "/case/Security.evtx", option: "--evtx" },
    { path: "/case/logs", option: "--evtx" },
  ]);
  const stopped = (file: string) => ({
    type: "warning" as const,
    code: "evtx-read-error",
    message: `${file}: reading stopped: Input/output error (offset 65536)`,
    file,
  });
  // A file inside a named folder is one object among others; another code says nothing of reading.
  deepStrictEqual(tracker.noteWarning(stopped("/case/logs/System.evtx")), false);
  deepStrictEqual(
    tracker.noteWarning({ ...stopped("/case/Security.evtx"), code: "evtx-bad-chunk" }),
    false,
  );
  deepStrictEqual(tracker.complete, true);
  deepStrictEqual(tracker.noteWarning(stopped("/case/Security.evtx")), true);
  deepStrictEqual(tracker.complete, false);
  deepStrictEqual(tracker.entries().map((entry) => [entry.kind, entry.what]), [
    ["input", "/case/Security.evtx"],
  ]);
  deepStrictEqual(
    tracker.entries()[0]?.why.includes("read only in part: /case/Security.evtx: reading stopped"),
    true,
  );
});
