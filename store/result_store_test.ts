import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import type { DetectionEvent, SkippedEvent, WarningEvent } from "../contracts/events.ts";
import { type TestBackend, testBackends } from "./_test_backends.ts";
import type { IocFileSnapshot } from "./ioc_snapshot.ts";
import { sha256Hex } from "./sha256_hex.ts";
import type { ResultStore } from "./result_store.ts";

const encoder = new TextEncoder();

function iocFile(file: string, id: string, name: string, body = ""): IocFileSnapshot {
  return {
    file,
    content: encoder.encode(
      `<ioc id="${id}"><short_description>${name}</short_description>${body}</ioc>`,
    ),
    iocs: [{ id, name }],
  };
}

/** A detection of the IOC whose file content hashes to `sha256` (any hash: tests of storage). */
function detection(
  file: string,
  id: string,
  name: string,
  object: string,
  sha256 = "0".repeat(64),
): DetectionEvent {
  return {
    type: "detection",
    ioc: { id, sha256, name, file, version: "1.1" },
    evidence: [{
      document: "FileItem",
      object,
      indicator: "i-1",
      items: [{
        id: "item-1",
        search: "FileItem/Md5sum",
        condition: "is",
        negate: false,
        preserveCase: false,
        expected: "d41d8cd98f00b204e9800998ecf8427e",
        observed: "d41d8cd98f00b204e9800998ecf8427e",
      }, {
        id: "item-2",
        search: "FileItem/SizeInBytes",
        condition: "greaterthan",
        negate: true,
        preserveCase: false,
        expected: "10",
        observed: [0, 2 ** 40],
      }],
    }],
  };
}

/** Runs `body` once per backend (SQLite always, PostgreSQL when configured) on a fresh database. */
async function forEachBackend(body: (backend: TestBackend) => Promise<void>): Promise<void> {
  for (const backend of await testBackends()) {
    try {
      await body(backend);
    } catch (error) {
      throw new Error(`[${backend.name}] ${(error as Error).message}`, { cause: error });
    } finally {
      await backend.dispose();
    }
  }
}

Deno.test("ResultStore round-trips a run: snapshot, detections with evidence, skips, warnings, counts", async () => {
  await forEachBackend(async (backend) => {
    const store = await backend.open();
    try {
      const files = [
        iocFile("/iocs/a.ioc", "ioc-a", "Alpha"),
        iocFile("/iocs/b.ioc", "ioc-b", "Beta"),
      ];
      const runId = await store.startRun({
        taskName: "nightly",
        host: "ws-01",
        user: "ann",
        options: { scopes: ["/srv"], depth: 3, big: 5n },
        iocFiles: files.map((file) => ({ ...file })),
      });
      const running = await store.getRun(runId);
      strictEqual(running?.run.status, "running");
      strictEqual(running?.run.finished, null);

      const detections = [
        detection("/iocs/a.ioc", "ioc-a", "Alpha", "/srv/evil.exe"),
        detection("/iocs/b.ioc", "ioc-b", "Beta", "/srv/bad.dll"),
      ];
      await store.addDetections(runId, detections);
      const skipped: SkippedEvent[] = [
        { type: "skipped", collector: "file", object: "/srv/fifo", reason: "special-file" },
        {
          type: "skipped",
          collector: "file",
          object: "/srv/link",
          reason: "symlink",
          detail: "→ /etc",
        },
        { type: "skipped", collector: "file", object: "/srv/link2", reason: "symlink" },
      ];
      deepStrictEqual(await store.addSkipped(runId, skipped), { counted: 3, stored: 3 });
      const warnings: WarningEvent[] = [
        {
          type: "warning",
          code: "empty-content",
          message: "empty Content",
          file: "/iocs/a.ioc",
          line: 7,
          column: 3,
          iocId: "ioc-a",
        },
        { type: "warning", code: "odd", message: "no file" },
      ];
      await store.addWarnings(runId, warnings);
      await store.finishRun(runId, {
        status: "completed",
        counts: { files: 100, objects: 100, detections: 2, skipped: 3, warnings: 2 },
      });

      const details = await store.getRun(runId);
      ok(details);
      deepStrictEqual(
        { ...details.run, started: "", finished: details.run.finished === null ? null : "" },
        {
          id: runId,
          taskName: "nightly",
          host: "ws-01",
          user: "ann",
          started: "",
          finished: "",
          status: "completed",
          options: { scopes: ["/srv"], depth: 3, big: 5 },
          counts: { files: 100, objects: 100, detections: 2, skipped: 3, warnings: 2 },
        },
      );
      ok(details.run.started <= details.run.finished!);
      // Host, time and severity are not stored: the run's host, when stored, the IOC's severity.
      for (const stored of details.detections) ok(stored.time && !isNaN(Date.parse(stored.time)));
      deepStrictEqual(
        details.detections.map(({ time: _time, ...event }) => event),
        detections.map((event) => ({ ...event, runId, host: "ws-01", severity: "medium" })),
      );
      deepStrictEqual(
        details.iocFiles,
        await Promise.all(files.map(async (file) => ({
          file: file.file,
          sha256: await sha256Hex(file.content),
          sizeBytes: file.content.length,
          iocs: [...file.iocs],
        }))),
      );
      deepStrictEqual(details.skippedByReason, [
        { collector: "file", reason: "special-file", count: 1 },
        { collector: "file", reason: "symlink", count: 2 },
      ]);
      strictEqual(details.skippedStored, 3);
      deepStrictEqual(await store.listSkipped(runId), skipped);
      deepStrictEqual(details.warnings, warnings);
      deepStrictEqual(
        await store.readIocContent(details.iocFiles[0]!.sha256),
        files[0]!.content,
      );
      strictEqual(await store.readIocContent("0".repeat(64)), undefined);
    } finally {
      await store.close();
    }
    // Everything is still there after reopening.
    const reopened = await backend.open();
    try {
      const [run] = await reopened.listRuns();
      strictEqual(run?.status, "completed");
      strictEqual((await reopened.getRun(run.id))?.detections.length, 2);
    } finally {
      await reopened.close();
    }
  });
});

Deno.test("ResultStore keeps two IOCs of one id apart by content hash, in a run and its snapshot", async () => {
  await forEachBackend(async (backend) => {
    const store = await backend.open();
    try {
      const first = iocFile("/iocs/anydesk.ioc", "shared-id", "Anydesk", "<x/>");
      const second = iocFile("/iocs/atera.ioc", "shared-id", "Atera", "<y/>");
      const [hashFirst, hashSecond] = [
        await sha256Hex(first.content),
        await sha256Hex(second.content),
      ];
      const runId = await store.startRun({ iocFiles: [first, second] });
      await store.addDetections(runId, [
        detection(second.file, "shared-id", "Atera", "/srv/atera.exe", hashSecond.toUpperCase()),
        detection(first.file, "shared-id", "Anydesk", "/srv/anydesk.exe", hashFirst),
      ]);
      const details = await store.getRun(runId);
      deepStrictEqual(
        details?.detections.map(({ ioc }) => [ioc.id, ioc.sha256, ioc.name]),
        [["shared-id", hashSecond, "Atera"], ["shared-id", hashFirst, "Anydesk"]],
      );
      deepStrictEqual(
        details?.iocFiles.map((file) => [file.file, file.sha256, file.iocs]),
        [
          [first.file, hashFirst, [{ id: "shared-id", name: "Anydesk" }]],
          [second.file, hashSecond, [{ id: "shared-id", name: "Atera" }]],
        ],
      );
      // Each detection is linked to its own content, not to the first file of the id.
      deepStrictEqual(
        await store.readIocContent(details!.detections[0]!.ioc.sha256),
        second.content,
      );
    } finally {
      await store.close();
    }
  });
});

Deno.test("ResultStore shares IOC contents between runs and keeps old runs' IOC names", async () => {
  await forEachBackend(async (backend) => {
    const store = await backend.open();
    try {
      const original = iocFile("/iocs/a.ioc", "ioc-a", "Old name");
      const first = await store.startRun({ iocFiles: [original] });
      const second = await store.startRun({
        iocFiles: [original, { ...original, file: "/copy/a.ioc" }],
      });
      strictEqual(await countContents(store), 1);

      const edited = iocFile("/iocs/a.ioc", "ioc-a", "New name", "<changed/>");
      const third = await store.startRun({ iocFiles: [edited] });
      strictEqual(await countContents(store), 2);
      await store.addDetections(first, [detection("/iocs/a.ioc", "ioc-a", "Old name", "/x")]);
      await store.addDetections(third, [detection("/iocs/a.ioc", "ioc-a", "New name", "/x")]);

      const firstRun = await store.getRun(first);
      deepStrictEqual(firstRun?.iocFiles.map((file) => file.iocs[0]?.name), ["Old name"]);
      strictEqual(firstRun?.detections[0]?.ioc.name, "Old name");
      strictEqual(firstRun?.iocFiles[0]?.sha256, await sha256Hex(original.content));
      deepStrictEqual(
        (await store.getRun(second))?.iocFiles.map((file) => [file.file, file.iocs[0]?.name]),
        [["/copy/a.ioc", "Old name"], ["/iocs/a.ioc", "Old name"]],
      );
      deepStrictEqual((await store.getRun(third))?.iocFiles.map((file) => file.iocs[0]?.name), [
        "New name",
      ]);
    } finally {
      await store.close();
    }
  });
});

Deno.test("ResultStore.startRun() records a wrong supplied SHA-256 as a warning, keyed by the real hash", async () => {
  await forEachBackend(async (backend) => {
    const store = await backend.open();
    try {
      const file = { ...iocFile("/iocs/a.ioc", "ioc-a", "A"), sha256: "ab".repeat(32) };
      const runId = await store.startRun({ iocFiles: [file] });
      const details = await store.getRun(runId);
      strictEqual(details?.iocFiles[0]?.sha256, await sha256Hex(file.content));
      deepStrictEqual(details?.warnings.map((warning) => warning.code), [
        "ioc-snapshot-hash-mismatch",
      ]);
      // A correct hash (any case) is accepted silently.
      const good = { ...file, sha256: (await sha256Hex(file.content)).toUpperCase() };
      strictEqual(
        (await store.getRun(await store.startRun({ iocFiles: [good] })))?.warnings.length,
        0,
      );
    } finally {
      await store.close();
    }
  });
});

Deno.test("ResultStore.addSkipped() counts every object but stores rows only up to the cap", async () => {
  await forEachBackend(async (backend) => {
    const store = await backend.open({ skippedRowCap: 25 });
    try {
      const runId = await store.startRun({ iocFiles: [] });
      const make = (count: number, reason: SkippedEvent["reason"]) =>
        Array.from({ length: count }, (_, index): SkippedEvent => ({
          type: "skipped",
          collector: "file",
          object: `/${reason}/${index}`,
          reason,
        }));
      deepStrictEqual(await store.addSkipped(runId, make(20, "unreadable")), {
        counted: 20,
        stored: 20,
      });
      deepStrictEqual(await store.addSkipped(runId, make(30, "loop")), { counted: 30, stored: 5 });
      deepStrictEqual(await store.addSkipped(runId, make(5, "unreadable")), {
        counted: 5,
        stored: 0,
      });
      const details = await store.getRun(runId);
      deepStrictEqual(details?.skippedByReason, [
        { collector: "file", reason: "loop", count: 30 },
        { collector: "file", reason: "unreadable", count: 25 },
      ]);
      strictEqual(details?.skippedStored, 25);
      strictEqual((await store.listSkipped(runId, 3)).length, 3);
    } finally {
      await store.close();
    }
  });
});

Deno.test("ResultStore stores 10,000 detections, skips and warnings in batches", async () => {
  await forEachBackend(async (backend) => {
    const store = await backend.open();
    try {
      const runId = await store.startRun({ iocFiles: [iocFile("/iocs/a.ioc", "ioc-a", "A")] });
      const many = Array.from(
        { length: 10_000 },
        (_, index) => detection("/iocs/a.ioc", "ioc-a", "A", `/srv/file-${index}`),
      );
      const started = performance.now();
      await store.addDetections(runId, many);
      await store.addSkipped(
        runId,
        many.map((event) => ({
          type: "skipped",
          collector: "file",
          object: event.evidence[0]!.object,
          reason: "unreadable",
        })),
      );
      await store.addWarnings(
        runId,
        many.map((_, index) => ({
          type: "warning",
          code: "w",
          message: `warning ${index}`,
        })),
      );
      const elapsed = performance.now() - started;
      console.error(`[${backend.name}] 3 × 10,000 rows stored in ${elapsed.toFixed(0)} ms`);
      const details = await store.getRun(runId);
      strictEqual(details?.detections.length, 10_000);
      strictEqual(details?.detections[9_999]?.evidence[0]?.object, "/srv/file-9999");
      strictEqual(details?.skippedStored, 10_000);
      strictEqual(details?.warnings.length, 10_000);
    } finally {
      await store.close();
    }
  });
});

Deno.test("ResultStore.listRuns() filters by start time and task name", async () => {
  await forEachBackend(async (backend) => {
    let now = new Date("2026-11-01T00:00:00Z");
    const store = await backend.open({ clock: () => now, purgeOnStart: false });
    try {
      const a = await store.startRun({ taskName: "daily", iocFiles: [] });
      now = new Date("2026-11-10T00:00:00Z");
      const b = await store.startRun({ taskName: "weekly", iocFiles: [] });
      now = new Date("2026-11-20T00:00:00Z");
      const c = await store.startRun({ taskName: "daily", iocFiles: [] });
      deepStrictEqual((await store.listRuns()).map((run) => run.id), [a, b, c]);
      deepStrictEqual((await store.listRuns({ taskName: "daily" })).map((run) => run.id), [a, c]);
      deepStrictEqual(
        (await store.listRuns({ since: new Date("2026-11-10T00:00:00Z") })).map((run) => run.id),
        [b, c],
      );
      deepStrictEqual(
        (await store.listRuns({ since: new Date("2026-11-05T00:00:00Z"), taskName: "daily" }))
          .map((run) => run.id),
        [c],
      );
      strictEqual((await store.listRuns())[0]?.started, "2026-11-01T00:00:00.000Z");
    } finally {
      await store.close();
    }
  });
});

Deno.test("ResultStore.finishRun() rejects unknown runs and non-final statuses", async () => {
  await forEachBackend(async (backend) => {
    const store = await backend.open();
    try {
      await rejects(
        store.finishRun(999, { status: "completed", counts: {} }),
        /there is no run 999/,
      );
      const runId = await store.startRun({ iocFiles: [] });
      await rejects(
        store.finishRun(runId, { status: "running" as "completed", counts: {} }),
        /cannot finish with status "running"/,
      );
      await store.finishRun(runId, { status: "cancelled", counts: { files: 1 } });
      strictEqual((await store.getRun(runId))?.run.status, "cancelled");
      strictEqual(await store.getRun(12345), undefined);
    } finally {
      await store.close();
    }
  });
});

Deno.test("ResultStore defaults the host and user to this machine's", async () => {
  await forEachBackend(async (backend) => {
    const store = await backend.open();
    try {
      const runId = await store.startRun({ iocFiles: [] });
      const { run } = (await store.getRun(runId))!;
      strictEqual(run.host, Deno.hostname());
      ok(run.user.length > 0);
      strictEqual(run.taskName, null);
    } finally {
      await store.close();
    }
  });
});

async function countContents(store: ResultStore): Promise<number> {
  return (await store.countRows()).iocContents;
}

Deno.test("ResultStore keeps hostile text: NUL, lone surrogates, long and non-Latin names, odd evidence", async () => {
  await forEachBackend(async (backend) => {
    const store = await backend.open();
    try {
      const runId = await store.startRun({
        taskName: "t\u0000ask",
        iocFiles: [iocFile("/iocs/\u00e9v\u0000il \u{1F480}.ioc", "id\u0000", "N\u0000ame")],
      });
      const longObject = `/srv/${"deep/".repeat(2_000)}file`;
      await store.addSkipped(runId, [
        {
          type: "skipped",
          collector: "file",
          object: "/srv/bad\uD800name",
          reason: "invalid-name",
        },
        {
          type: "skipped",
          collector: "file",
          object: "/srv/nul\u0000name",
          reason: "error",
          detail: "d\u0000",
        },
        { type: "skipped", collector: "file", object: longObject, reason: "path-too-long" },
      ]);
      await store.addWarnings(runId, [{
        type: "warning",
        code: "c\u0000",
        message: "m\u0000",
        place: "p\u0000",
      }]);
      await store.addDetections(runId, [{
        type: "detection",
        ioc: {
          id: "id\u0000",
          sha256: "ab".repeat(32),
          name: "N\u0000ame",
          file: "/iocs/\u00e9v\u0000il \u{1F480}.ioc",
          version: "1.0",
        },
        evidence: [{
          document: "RegistryItem",
          object: "HKLM\\x\u0000y",
          indicator: "i",
          items: [{
            id: "1",
            search: "RegistryItem/Value",
            condition: "contains",
            negate: false,
            preserveCase: false,
            expected: "\u0000",
            observed: { text: "a\u0000b", size: 2n ** 70n, bytes: new Uint8Array([0, 255]) },
          }],
        }],
      }]);
      const details = await store.getRun(runId);
      strictEqual(details?.run.taskName, "t\u2400ask");
      deepStrictEqual(details?.iocFiles.map((file) => [file.file, file.iocs]), [
        ["/iocs/\u00e9v\u2400il \u{1F480}.ioc", [{ id: "id\u2400", name: "N\u2400ame" }]],
      ]);
      deepStrictEqual(
        (await store.listSkipped(runId)).map((entry) => [entry.object, entry.detail]),
        [
          ["/srv/bad\uFFFDname", undefined],
          ["/srv/nul\u2400name", "d\u2400"],
          [longObject, undefined],
        ],
      );
      deepStrictEqual(details?.warnings, [{
        type: "warning",
        code: "c\u2400",
        message: "m\u2400",
        place: "p\u0000",
      }]);
      const [stored] = details?.detections ?? [];
      // The detection links to the snapshot entry despite the NUL in its file name.
      strictEqual(stored?.ioc.file, "/iocs/\u00e9v\u2400il \u{1F480}.ioc");
      deepStrictEqual(stored?.evidence[0]?.items[0]?.observed, {
        text: "a\u0000b",
        size: (2n ** 70n).toString(),
        bytes: "00ff",
      });
      strictEqual(stored?.evidence[0]?.object, "HKLM\\x\u0000y");
    } finally {
      await store.close();
    }
  });
});
