import { deepStrictEqual, strictEqual } from "node:assert/strict";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { createEventLogCollector, sysmonChannel } from "./collector.ts";
import type { CommandRunner } from "../live/command_runner.ts";

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

Deno.test("createEventLogCollector finds winevt/Logs below a root whatever its case", async () => {
  const { buildEvtx, element, utf16 } = await import("../../formats/evtx/_fixtures.ts");
  const root = await Deno.makeTempDir();
  try {
    const logs = `${root}/WINDOWS/system32/WinEvt/LOGS`;
    await Deno.mkdir(logs, { recursive: true });
    const template = element("Event", [], [
      ...element("System", [], [
        ...element("EventID", [], [{ text: "4624" }]),
        ...element("Channel", [], [{ text: "Security" }]),
        ...element("EventRecordID", [], [{ sub: 0, type: 0x0a }]),
      ]),
      ...element("EventData", [], [
        ...element("Data", [["Name", [{ text: "User" }]]], [{ sub: 1, type: 1 }]),
      ]),
    ]);
    const eightBytes = (n: number) => new Uint8Array([n, 0, 0, 0, 0, 0, 0, 0]);
    await Deno.writeFile(
      `${logs}/Security.EVTX`,
      buildEvtx({
        template,
        records: [{
          id: 9,
          writtenMs: Date.UTC(2024, 0, 1),
          values: [{ type: 0x0a, bytes: eightBytes(9) }, { type: 1, bytes: utf16("bob") }],
        }],
      }),
    );
    await Deno.writeFile(`${logs}/notes.txt`, new TextEncoder().encode("not a log"));
    const skipped: string[] = [];
    const collector = createEventLogCollector({ roots: [root, `${root}/missing`] });
    const items = await drain(
      collector.collect({
        needs: new Map([["EventLogItem", new Set()]]),
        reporter: { ...reporter, skipped: (s) => skipped.push(s.reason) },
      }),
    );
    deepStrictEqual(items.map((i) => [i.key, i.fields.EID, i.fields.message]), [[
      "Security#9",
      4624,
      "User: bob",
    ]]);
    deepStrictEqual(skipped, ["not-found"]);
    strictEqual(collector.stats.files, 1);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
