import { deepStrictEqual, strictEqual } from "node:assert/strict";
import type { ObservedItem } from "../../engine/observed_item.ts";
import { createEventLogCollector, sysmonChannel } from "./collector.ts";
import type { CommandRunner } from "./command_runner.ts";

const reporter = { warning: () => {}, skipped: () => {}, progress: () => {} };

function recordingRunner(calls: string[][], output = ""): CommandRunner {
  return (command, args) => {
    calls.push([command, ...args]);
    return {
      stdout: new Blob([output]).stream(),
      finished: Promise.resolve({ code: 0, stderr: "" }),
    };
  };
}

async function drain(iterable: AsyncIterable<ObservedItem>): Promise<ObservedItem[]> {
  return await Array.fromAsync(iterable);
}

Deno.test("createEventLogCollector reads live Windows channels, adding Sysmon for HX events", async () => {
  const calls: string[][] = [];
  const collector = createEventLogCollector({ platform: "windows", run: recordingRunner(calls) });
  await drain(collector.collect({ needs: new Map([["processEvent", new Set()]]), reporter }));
  deepStrictEqual(calls.map((c) => c[2]), ["Application", "System", "Security", sysmonChannel]);
  // The live default window is the last 30 days.
  const since = new Date(/'(.+?)'/.exec(calls[0]![3]!)![1]!);
  const days = (Date.now() - since.getTime()) / 86400_000;
  strictEqual(Math.round(days), 30);
  calls.length = 0;
  await drain(
    createEventLogCollector({
      platform: "windows",
      channels: ["Setup"],
      run: recordingRunner(calls),
    })
      .collect({ needs: new Map([["EventLogItem", new Set()]]), reporter }),
  );
  deepStrictEqual(calls.map((c) => c[2]), ["Setup"]);
});

Deno.test("createEventLogCollector reads the journal elsewhere, and only what is needed", async () => {
  const calls: string[][] = [];
  const line = JSON.stringify({ MESSAGE: "m", SYSLOG_IDENTIFIER: "cron", __SEQNUM: "1" });
  const collector = createEventLogCollector({
    platform: "linux",
    run: recordingRunner(calls, line),
  });
  const items = await drain(
    collector.collect({ needs: new Map([["EventLogItem", new Set()]]), reporter }),
  );
  deepStrictEqual(items.map((i) => i.key), ["journal:cron#1"]);
  strictEqual(calls[0]![0], "journalctl");
  strictEqual(collector.stats.records, 1);
  // Nothing asked of this collector: nothing runs.
  calls.length = 0;
  await drain(collector.collect({ needs: new Map([["FileItem", new Set()]]), reporter }));
  deepStrictEqual(calls, []);
});
