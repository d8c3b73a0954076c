/**
 * An event-log input that holds no event log is not read: a scan of EventLogItem
 * IOCs over an `--evtx` folder without a `.evtx` file, or a `--root` without
 * `Windows/System32/winevt/Logs` (or with an empty one), is incomplete (exit 3),
 * never "No detections." with exit 0; a folder holding a log, even one without
 * records, was read. Through the real CLI.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { buildEvtx, element } from "../formats/evtx/_fixtures.ts";
import { runCli } from "./_cli.ts";

const eventIoc = `<?xml version="1.0" encoding="us-ascii"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="service-installed" last-modified="2026-12-07T00:00:00">
  <short_description>a service was installed</short_description>
  <authored_date>2026-12-07T00:00:00</authored_date>
  <definition><Indicator operator="OR" id="top">
    <IndicatorItem id="eid" condition="is">
      <Context document="EventLogItem" search="EventLogItem/EID" type="mir"/>
      <Content type="int">7045</Content>
    </IndicatorItem>
  </Indicator></definition>
</ioc>`;

type Event = { type: string; [key: string]: unknown };

async function iocscan(args: string[]): Promise<{ code: number; events: Event[] }> {
  const output = await runCli([...args, "--json"]);
  return { code: output.code, events: output.events };
}

Deno.test("iocscan scan: an --evtx folder or a --root without an event log is incomplete for EventLogItem IOCs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-evtx-inputs-" });
  try {
    const ioc = join(dir, "service.ioc");
    await Deno.writeTextFile(ioc, eventIoc);
    const folder = async (...parts: string[]) => {
      const path = join(dir, ...parts);
      await Deno.mkdir(path, { recursive: true });
      return path;
    };
    const noLogs = await folder("no_logs");
    await folder("no_logs", "Windows", "System32", "config");
    const emptyLogs = await folder("empty_logs");
    await folder("empty_logs", "Windows", "System32", "winevt", "Logs");
    const emptyFolder = await folder("empty_folder");
    const withLog = await folder("with_log");
    await Deno.writeFile(
      join(withLog, "System.evtx"),
      buildEvtx({ template: element("Event", [], []), records: [] }),
    );
    const cases: [string, string[], string, number][] = [
      ["a root without winevt/Logs", ["--root", noLogs], noLogs, 3],
      ["a root with an empty winevt/Logs", ["--root", emptyLogs], emptyLogs, 3],
      ["an --evtx folder without a .evtx file", ["--evtx", emptyFolder], emptyFolder, 3],
      ["an --evtx folder with a log without records", ["--evtx", withLog], withLog, 0],
    ];
    for (const [situation, inputs, path, code] of cases) {
      const scan = await iocscan([
        "scan",
        "--ioc",
        ioc,
        ...inputs,
        "--db",
        join(dir, "results.db"),
      ]);
      const summary = scan.events.find((event) => event.type === "summary") as Event & {
        complete: boolean;
        incomplete: { kind: string; what: string }[];
      };
      deepStrictEqual(scan.code, code, `${situation}: ${JSON.stringify(summary)}`);
      deepStrictEqual(summary.complete, code === 0, situation);
      if (code === 3) {
        ok(
          summary.incomplete.some((entry) => entry.kind === "input" && entry.what === path),
          `${situation}: ${JSON.stringify(summary.incomplete)}`,
        );
      }
    }
    const collected = await iocscan(["collect", "eventlog", "--evtx", emptyFolder]);
    // Its only input read nothing: exit 2 by the one rule (cli/exit_rule.ts), not 0.
    deepStrictEqual(collected.code, 2, "collect eventlog of a folder without a log");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
