import { deepStrictEqual, rejects } from "node:assert/strict";
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
    deepStrictEqual(offline.collectors.map((collector) => collector.name), ["eventlog"]);
    deepStrictEqual(offline.withoutSource, ["file"]);

    const withScope = await buildCollectors(
      { version: 1, iocPaths: ["x"], evtx: [evtx], scopes: [{ path: dir }] },
      ["file", "eventlog"],
      [],
      () => {},
    );
    deepStrictEqual(withScope.collectors.map((collector) => collector.name), ["file", "eventlog"]);
    deepStrictEqual(withScope.withoutSource, []);
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
    deepStrictEqual(warnings, ["evidence-not-recognised"]);
    deepStrictEqual(built.unreadEvidence.map((entry) => entry.path), ["/nonexistent/evidence"]);
  } finally {
    await Deno.remove(folder);
  }
});

Deno.test("buildCollectors() refuses evidence none of which can be read: no live fallback", async () => {
  await rejects(
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
  deepStrictEqual(linux.collectors.length, 0);
  deepStrictEqual(linux.withoutSource, ["registry"]);
  const windows = await buildCollectors(task, ["registry"], [], () => {}, "windows");
  deepStrictEqual(windows.collectors.map((collector) => collector.name), ["registry"]);
});
