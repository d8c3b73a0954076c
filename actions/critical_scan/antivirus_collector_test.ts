import { deepStrictEqual, strictEqual } from "node:assert/strict";
import type { CollectorFinding, SkippedObject } from "../../collectors/collector.ts";
import type { AntivirusEngine } from "./antivirus.ts";
import { createAntivirusCollector } from "./antivirus_collector.ts";

async function run(collector: ReturnType<typeof createAntivirusCollector>) {
  const findings: CollectorFinding[] = [];
  const skipped: SkippedObject[] = [];
  const reporter = {
    skipped: (entry: SkippedObject) => skipped.push(entry),
    warning() {},
    progress() {},
    finding: (entry: CollectorFinding) => findings.push(entry),
  };
  let objects = 0;
  for await (const _ of collector.collect({ needs: new Map(), reporter })) objects++;
  strictEqual(objects, 0);
  return { findings, skipped };
}

const now = () => new Date("2026-12-07T00:00:00.000Z");

Deno.test("createAntivirusCollector: hits as detection findings under the shown path; unscanned files as skips and one incomplete finding; a file gone since listing is no blind spot", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-av-collector-" });
  try {
    const big = `${dir}/big`;
    await Deno.writeTextFile(big, "x");
    const given: string[] = [];
    const engine: AntivirusEngine = {
      name: "fake",
      scan(files) {
        given.push(...files);
        return Promise.resolve({
          available: true,
          detections: [{ file: "/proc/42/exe", signature: "Evil.A" }],
          skipped: [
            { file: big, reason: "too-large", detail: "past its limits" },
            { file: `${dir}/gone`, reason: "unreadable", detail: "No such file" },
          ],
          scanned: files.length,
          notes: [],
        });
      },
    };
    const collector = createAntivirusCollector({
      engine,
      now,
      criticalSet: () =>
        Promise.resolve({
          files: [
            { path: "/tmp/x (deleted)", openPath: "/proc/42/exe" },
            { path: big, openPath: big },
            { path: `${dir}/gone`, openPath: `${dir}/gone` },
            { path: big, openPath: big },
          ],
          gaps: [],
        }),
    });
    const { findings, skipped } = await run(collector);
    deepStrictEqual(given, ["/proc/42/exe", big, `${dir}/gone`]);
    deepStrictEqual(findings.map((f) => [f.kind, f.object, f.severity]), [
      ["antivirus", "/tmp/x (deleted)", "detection"],
      ["antivirus-files-not-scanned", "fake", "incomplete"],
    ]);
    deepStrictEqual(findings[0]!.data, {
      engine: "fake",
      signature: "Evil.A",
      opened: "/proc/42/exe",
    });
    deepStrictEqual(skipped.map((s) => [s.object, s.reason]), [[big, "too-large"], [
      `${dir}/gone`,
      "not-found",
    ]]);
    strictEqual(findings[1]!.data?.["files"], 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createAntivirusCollector: no engine, or an engine that cannot scan, is an antivirus-unavailable finding (incomplete), never clean", async () => {
  const none = await run(createAntivirusCollector({
    engine: { unavailable: "no antivirus hand-off on freebsd" },
    now,
    criticalSet: () => Promise.resolve({ files: [], gaps: [] }),
  }));
  deepStrictEqual(none.findings.map((f) => [f.kind, f.severity]), [[
    "antivirus-unavailable",
    "incomplete",
  ]]);
  const broken = await run(createAntivirusCollector({
    engine: { name: "fake", scan: () => Promise.resolve({ available: false, why: "no database" }) },
    now,
    criticalSet: () => Promise.resolve({ files: [{ path: "/a", openPath: "/a" }], gaps: [] }),
  }));
  deepStrictEqual(broken.findings.map((f) => [f.kind, f.object, f.detail]), [
    ["antivirus-unavailable", "fake", "antivirus unavailable: no database"],
  ]);
});
