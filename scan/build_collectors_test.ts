import { deepStrictEqual as assertEquals, rejects as assertRejects } from "node:assert/strict";
import { join } from "node:path";
import { buildCollectors } from "./build_collectors.ts";
import { ScanSetupError } from "./scan_setup_error.ts";

Deno.test("buildCollectors() never sweeps live files for an offline-only scan", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const evtx = join(dir, "Security.evtx");
    await Deno.writeTextFile(evtx, "ElfFile\0");
    const offline = await buildCollectors(
      { version: 1, iocPaths: ["x"], evtx: [evtx] },
      ["file", "eventlog"],
      [],
      () => {},
    );
    assertEquals(offline.collectors.map((collector) => collector.name), ["eventlog"]);
    assertEquals(offline.withoutSource, ["file"]);

    const withScope = await buildCollectors(
      { version: 1, iocPaths: ["x"], evtx: [evtx], scopes: [{ path: dir }] },
      ["file", "eventlog"],
      [],
      () => {},
    );
    assertEquals(withScope.collectors.map((collector) => collector.name), ["file", "eventlog"]);
    assertEquals(withScope.withoutSource, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("buildCollectors() warns about evidence it cannot recognise and returns it as unread", async () => {
  const warnings: string[] = [];
  const folder = await Deno.makeTempDir({ prefix: "iocscan-evidence-" });
  try {
    const built = await buildCollectors(
      { version: 1, iocPaths: ["x"], evidence: [folder, "/nonexistent/evidence"] },
      [],
      [],
      (warning) => warnings.push(warning.code),
    );
    assertEquals(warnings, ["evidence-not-recognised"]);
    assertEquals(built.unreadEvidence.map((entry) => entry.path), ["/nonexistent/evidence"]);
  } finally {
    await Deno.remove(folder);
  }
});

Deno.test("buildCollectors() refuses evidence none of which can be read: no live fallback", async () => {
  await assertRejects(
    () =>
      buildCollectors(
        { version: 1, iocPaths: ["x"], evidence: ["/nonexistent/evidence"] },
        ["file", "eventlog"],
        [],
        () => {},
      ),
    ScanSetupError,
  );
});

Deno.test("buildCollectors() reads the live registry only on Windows", async () => {
  const task = { version: 1 as const, iocPaths: ["x"] };
  const linux = await buildCollectors(task, ["registry"], [], () => {}, "linux");
  assertEquals(linux.collectors.length, 0);
  assertEquals(linux.withoutSource, ["registry"]);
  const windows = await buildCollectors(task, ["registry"], [], () => {}, "windows");
  assertEquals(windows.collectors.map((collector) => collector.name), ["registry"]);
});
