import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import type { IocScanEvent } from "../contracts/events.ts";
import { ExitCode } from "../contracts/exit_codes.ts";
import { ScanInterruption } from "./interrupt.ts";
import { runScan, ScanSetupError } from "./run_scan.ts";
import type { ScanTask } from "./scan_task.ts";
import { countActionOutcomes, selectedActions } from "./run_actions.ts";

const ioc = `<?xml version="1.0"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="evil"><short_description>evil</short_description>
<definition><Indicator operator="OR" id="t"><IndicatorItem id="i" condition="contains">
<Context document="FileItem" search="FileItem/FileName" type="mir"/><Content type="string">evil-</Content>
</IndicatorItem></Indicator></definition></ioc>`;

async function planted(): Promise<{ dir: string; tree: string; iocFile: string; evil: string }> {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-run-actions-" });
  const tree = join(dir, "tree");
  await Deno.mkdir(tree);
  const evil = join(tree, "evil-1.bin");
  await Deno.writeTextFile(evil, "planted");
  const iocFile = join(dir, "evil.ioc");
  await Deno.writeTextFile(iocFile, ioc);
  return { dir, tree, iocFile, evil };
}

Deno.test("selectedActions keeps the list's order, each once, any case", () => {
  deepStrictEqual(
    selectedActions({ version: 1, iocPaths: [], actions: ["Quarantine", "quarantine"] }),
    ["quarantine"],
  );
  deepStrictEqual(selectedActions({ version: 1, iocPaths: [] }), []);
});

Deno.test("countActionOutcomes counts the events by outcome", () => {
  const event = (outcome: "quarantined" | "refused") => ({
    type: "action" as const,
    action: "quarantine",
    object: "/x",
    outcome,
    time: "",
  });
  deepStrictEqual(
    countActionOutcomes([event("quarantined"), event("refused"), event("quarantined")]),
    { quarantined: 2, refused: 1 },
  );
});

Deno.test("runScan runs no action on an interrupted run: a warning actions-not-run says why, nothing is touched", async () => {
  const { dir, tree, iocFile, evil } = await planted();
  try {
    const stop = new AbortController();
    stop.abort(new ScanInterruption("SIGINT", ExitCode.InterruptedByInterrupt));
    const events: IocScanEvent[] = [];
    const outcome = await runScan(
      {
        version: 1,
        iocPaths: [iocFile],
        scopes: [{ path: tree }],
        actions: ["quarantine"],
        quarantineDir: join(dir, "q"),
      },
      { event: (event) => events.push(event) },
      { noStore: true, signal: stop.signal },
    );
    strictEqual(outcome.exitCode, ExitCode.InterruptedByInterrupt);
    ok(events.some((event) => event.type === "warning" && event.code === "actions-not-run"));
    strictEqual(events.filter((event) => event.type === "action").length, 0);
    strictEqual(await Deno.readTextFile(evil), "planted");
    strictEqual(await Deno.lstat(join(dir, "q")).then(() => true, () => false), false);
    const summary = events.at(-1)!;
    deepStrictEqual(summary.type === "summary" && summary.actions, {});
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runScan reports a failed action step as an action-failed warning too", async () => {
  const { dir, tree, iocFile } = await planted();
  try {
    // A store folder that is a file cannot be opened: every quarantine fails with reason store.
    const notAFolder = join(dir, "q");
    await Deno.writeTextFile(notAFolder, "a file");
    const events: IocScanEvent[] = [];
    const outcome = await runScan(
      {
        version: 1,
        iocPaths: [iocFile],
        scopes: [{ path: tree }],
        actions: ["quarantine"],
        quarantineDir: notAFolder,
      },
      { event: (event) => events.push(event) },
      { noStore: true },
    );
    strictEqual(outcome.exitCode, ExitCode.Detected, "the exit code stays the detections'");
    const failed = events.filter((event) => event.type === "action" && event.outcome === "failed");
    strictEqual(failed.length, 1);
    ok(events.some((event) => event.type === "warning" && event.code === "action-failed"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the actions run in the list's order: critical-scan, quarantine, isolate", () => {
  deepStrictEqual(
    selectedActions({
      version: 1,
      iocPaths: [],
      actions: ["isolate", "quarantine", "critical-scan"],
    }),
    ["critical-scan", "quarantine", "isolate"],
  );
});

Deno.test("runScan without a results store: isolate cannot act and says so in a warning, never silently", async () => {
  const { dir, tree, iocFile } = await planted();
  try {
    const events: IocScanEvent[] = [];
    const outcome = await runScan(
      { version: 1, iocPaths: [iocFile], scopes: [{ path: tree }], actions: ["isolate"] },
      { event: (event) => events.push(event) },
      { noStore: true },
    );
    strictEqual(outcome.exitCode, ExitCode.Detected);
    strictEqual(events.filter((event) => event.type === "action").length, 0);
    const warning = events.find((event) =>
      event.type === "warning" && event.code === "action-failed"
    );
    ok(
      warning?.type === "warning" &&
        /action isolate cannot run here: the scan keeps no results store/.test(warning.message),
      JSON.stringify(warning),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runScan refuses bad isolation options before anything runs (a usage error)", async () => {
  const { dir, tree, iocFile } = await planted();
  try {
    for (
      const bad of [
        { isolationDuration: "30s" },
        { isolationAllow: ["10.0.0.1:99999"] },
        { isolationProbe: "10.0.0.1" },
        { antivirus: "norton" },
      ]
    ) {
      const events: IocScanEvent[] = [];
      await rejects(
        runScan(
          {
            version: 1,
            iocPaths: [iocFile],
            scopes: [{ path: tree }],
            actions: ["isolate", "critical-scan"],
            ...bad,
          } as ScanTask,
          { event: (event) => events.push(event) },
          { noStore: true },
        ),
        ScanSetupError,
        JSON.stringify(bad),
      );
      deepStrictEqual(events, [], "nothing ran");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
