import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { SkippedObject } from "../collector.ts";
import { createProcessCollector } from "./process_collector.ts";
import type { ProcessRecord, ProcessSource, ProcessSourceEvent } from "./process_record.ts";

function recordedSource(events: readonly ProcessSourceEvent[]): ProcessSource {
  return {
    name: "recorded",
    async *processes() {
      yield* events;
    },
  };
}

const at = "2026-12-07T03:00:00.000Z";

function collectAll(source: ProcessSource, fields: string[], options: object = {}) {
  const skipped: SkippedObject[] = [];
  const warnings: string[] = [];
  const collector = createProcessCollector({
    source,
    hostname: "host1",
    hashWorkers: 0,
    ...options,
  });
  const reporter = {
    skipped: (entry: SkippedObject) => skipped.push(entry),
    warning: (entry: { code: string }) => warnings.push(entry.code),
    progress() {},
  };
  return {
    collector,
    skipped,
    warnings,
    items: () =>
      Array.fromAsync(
        collector.collect({ needs: new Map([["ProcessItem", new Set(fields)]]), reporter }),
      ),
  };
}

Deno.test("process collector: fields in the catalogue's spelling, the key as an analyst writes it", async () => {
  const record: ProcessRecord = {
    pid: 4242,
    parentPid: 1000,
    name: "powershell.exe",
    imagePath: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
    commandLine: '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -enc SQBFAFgA',
    username: "CORP\\alice",
    securityId: "S-1-5-21-1-2-3-1001",
    startTime: "2026-12-07T02:00:00.000Z",
    kernelSeconds: 1.25,
    userSeconds: 0.5,
    handles: [{ Name: "\\Sessions\\1\\BaseNamedObjects\\evil_mtx", Type: "Mutant" }],
    observedAt: at,
  };
  const parent: ProcessRecord = { pid: 1000, parentPid: 0, name: "explorer.exe", observedAt: at };
  const run = collectAll(recordedSource([parent, record]), ["name", "HandleList"]);
  const items = await run.items();
  const item = items[1]!;
  strictEqual(item.key, "pid 4242 powershell.exe -enc SQBFAFgA");
  deepStrictEqual(item.fields, {
    pid: 4242,
    parentpid: 1000,
    ParentProcessName: "explorer.exe",
    name: "powershell.exe",
    path: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0",
    arguments: record.commandLine,
    cmdLine: record.commandLine,
    Username: "CORP\\alice",
    SecurityID: "S-1-5-21-1-2-3-1001",
    startTime: "2026-12-07T02:00:00.000Z",
    kernelTime: "PT1.25S",
    userTime: "PT0.5S",
    HandleList: { Handle: [{ Name: "\\Sessions\\1\\BaseNamedObjects\\evil_mtx", Type: "Mutant" }] },
  });
  // The image, for response actions on the process (docs/actions.md).
  deepStrictEqual(item.provenance, { time: at, computer: "host1", image: record.imagePath });
  strictEqual(item.unevaluated, undefined);
  // pid 0 means "no parent": nothing unknown about it.
  strictEqual(items[0]!.unevaluated, undefined);
  deepStrictEqual(run.collector.stats, {
    source: "recorded",
    processes: 2,
    skipped: 0,
    images: 0,
    memoryRead: 0,
    ports: 0,
  });
});

Deno.test("process collector: a parent missing from the listing leaves ParentProcessName unknown", async () => {
  const orphan: ProcessRecord = { pid: 7, parentPid: 6, name: "x", observedAt: at };
  const [item] = await collectAll(recordedSource([orphan]), ["ParentProcessName"]).items();
  strictEqual(item?.fields.ParentProcessName, undefined);
  ok(item?.unevaluated?.ParentProcessName?.includes("pid 6"));
});

Deno.test("process collector: a deleted image is flagged in a field and in the key", async () => {
  const record: ProcessRecord = {
    pid: 9,
    parentPid: 1,
    name: "dropper",
    imagePath: "/tmp/dropper",
    imageDeleted: true,
    imageOpenPath: "/proc/9/exe",
    commandLine: "/tmp/dropper -q",
    observedAt: at,
  };
  const [item] = await collectAll(recordedSource([record]), ["name"]).items();
  strictEqual(item?.key, "pid 9 dropper -q (image deleted)");
  strictEqual(item?.fields.ImageDeleted, true);
  strictEqual(item?.fields.path, "/tmp");
});

Deno.test("process collector: skips and warnings of the source reach the reporter", async () => {
  const run = collectAll(
    recordedSource([
      { skip: true, object: "pid 5 sshd", reason: "unreadable", detail: "permission denied" },
      { warning: true, code: "process-cap", message: "cap" },
    ]),
    ["name"],
  );
  deepStrictEqual(await run.items(), []);
  deepStrictEqual(run.skipped, [{
    collector: "process",
    object: "pid 5 sshd",
    reason: "unreadable",
    detail: "permission denied",
  }]);
  deepStrictEqual(run.warnings, ["process-cap"]);
  strictEqual(run.collector.stats.skipped, 1);
});

Deno.test("process collector: a skip of the listing leaves ProcessItem unread, so an IOC on it is undecided, not clean", async () => {
  const run = collectAll(
    recordedSource([
      {
        skip: true,
        object: "process-list:/proc",
        reason: "unreadable",
        detail: "/proc could not be listed: denied",
        listing: true,
      },
    ]),
    ["name"],
  );
  deepStrictEqual(await run.items(), []);
  deepStrictEqual(run.skipped, [{
    collector: "process",
    object: "process-list:/proc",
    reason: "unreadable",
    detail: "/proc could not be listed: denied",
    unreadDocuments: ["ProcessItem"],
  }]);
});

Deno.test("process collector: an image it can open but not name (not UTF-8) is still hashed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const image = join(dir, "image");
    const bytes = new TextEncoder().encode("not a PE, but bytes to hash");
    await Deno.writeFile(image, bytes);
    const run = collectAll(
      recordedSource([{
        pid: 9,
        name: "dropper",
        imageOpenPath: image,
        observedAt: at,
        unevaluated: { name: "not UTF-8", path: "not UTF-8" },
      }]),
      ["sha256sum"],
      { identity: () => Promise.resolve("one") },
    );
    const [item] = await run.items();
    deepStrictEqual(await item!.lazy!.load(["sha256sum"]), {
      sha256sum: createHash("sha256").update(bytes).digest("hex"),
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("process collector: image digests are lazy, and each image file is read once", async () => {
  const folder = await Deno.makeTempDir({ prefix: "iocscan-process-" });
  try {
    const image = join(folder, "tool");
    const bytes = new TextEncoder().encode("#!/bin/sh\necho not really an ELF\n");
    await Deno.writeFile(image, bytes);
    const records: ProcessRecord[] = [1, 2, 3].map((pid) => ({
      pid,
      parentPid: 0,
      name: "tool",
      imagePath: image,
      imageOpenPath: image,
      observedAt: at,
    }));
    let identities = 0;
    const run = collectAll(recordedSource(records), ["name", "sha256sum", "md5sum"], {
      identity: (path: string) => {
        identities++;
        return Promise.resolve(`same:${path}`);
      },
    });
    const items = await run.items();
    for (const item of items) {
      ok(item.lazy?.provides("sha256sum"));
      ok(item.lazy?.provides("MD5SUM"));
      strictEqual(item.lazy?.provides("sha1sum"), false, "not asked for: not computed");
      strictEqual(item.fields.sha256sum, undefined, "lazy until asked");
      const loaded = await item.lazy!.load(["sha256sum", "md5sum"]);
      deepStrictEqual(loaded, {
        sha256sum: createHash("sha256").update(bytes).digest("hex"),
        md5sum: createHash("md5").update(bytes).digest("hex"),
      });
      // Not a PE: no PEInfo, and nothing unknown either.
      strictEqual(item.lazy?.unevaluated?.(), undefined);
    }
    strictEqual(identities, 3);
    strictEqual(run.collector.stats.images, 1);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("process collector: an image that cannot be opened leaves its digests unknown, with a skip", async () => {
  const record: ProcessRecord = {
    pid: 5,
    parentPid: 0,
    name: "gone",
    imagePath: "/nonexistent/iocscan/gone",
    imageOpenPath: "/nonexistent/iocscan/gone",
    observedAt: at,
  };
  const run = collectAll(recordedSource([record]), ["sha256sum"]);
  const [item] = await run.items();
  deepStrictEqual(await item!.lazy!.load(["sha256sum"]), {});
  ok(item!.lazy!.unevaluated?.()?.sha256sum);
  strictEqual(run.skipped.length, 1);
  strictEqual(run.skipped[0]!.object, "/nonexistent/iocscan/gone");
});
