import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { CollectorReporter, CollectorWarning, SkippedObject } from "../collector.ts";
import { recordedCommand } from "../live/command_runner.ts";
import { emptyStats } from "./source.ts";
import { timeFilterQuery, wevtutilArgs, wevtutilSource } from "./wevtutil_source.ts";
import type { WindowsEvent } from "./windows_event.ts";

/** What `wevtutil qe Security /f:RenderedXml /e:Events` prints for one 4688 event. */
function recordedEvent(recordId: number, commandLine: string): string {
  return `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>` +
    `<Provider Name='Microsoft-Windows-Security-Auditing' Guid='{54849625-5478-4994-a5ba-3e3b0328c30d}'/>` +
    `<EventID>4688</EventID><Version>2</Version><Level>0</Level><Task>13312</Task><Opcode>0</Opcode>` +
    `<Keywords>0x8020000000000000</Keywords><TimeCreated SystemTime='2024-05-01T10:00:00.1234567Z'/>` +
    `<EventRecordID>${recordId}</EventRecordID><Correlation/><Execution ProcessID='4' ThreadID='8'/>` +
    `<Channel>Security</Channel><Computer>WS01.corp.example</Computer><Security/></System><EventData>` +
    `<Data Name='SubjectUserName'>alice</Data><Data Name='SubjectDomainName'>CORP</Data>` +
    `<Data Name='NewProcessId'>0x1f4</Data><Data Name='NewProcessName'>C:\\Windows\\System32\\cmd.exe</Data>` +
    `<Data Name='ProcessId'>0x64</Data><Data Name='CommandLine'>${commandLine}</Data>` +
    `<Data Name='TargetUserName'>-</Data><Data Name='ParentProcessName'>C:\\Windows\\explorer.exe</Data>` +
    `</EventData><RenderingInfo Culture='en-US'><Message>A new process has been created.&#13;\n\nCreator Subject:</Message>` +
    `<Level>Information</Level><Task>Process Creation</Task><Opcode>Info</Opcode><Channel>Security</Channel>` +
    `<Provider>Microsoft Windows security auditing.</Provider><Keywords><Keyword>Audit Success</Keyword></Keywords>` +
    `</RenderingInfo></Event>`;
}

function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < text.length; i++) {
    out[2 + 2 * i] = text.charCodeAt(i) & 0xff;
    out[3 + 2 * i] = text.charCodeAt(i) >> 8;
  }
  return out;
}

function reporter(): CollectorReporter & { warnings: CollectorWarning[]; skips: SkippedObject[] } {
  const warnings: CollectorWarning[] = [];
  const skips: SkippedObject[] = [];
  return {
    warnings,
    skips,
    warning: (w) => warnings.push(w),
    skipped: (s) => skips.push(s),
    progress: () => {},
  };
}

async function readAll(
  output: Uint8Array | string,
  code = 0,
): Promise<{ events: WindowsEvent[]; rep: ReturnType<typeof reporter> }> {
  const rep = reporter();
  const source = wevtutilSource({
    channels: ["Security"],
    run: recordedCommand(output, code, "Access is denied."),
  });
  const events: WindowsEvent[] = [];
  for await (const e of source.events({ reporter: rep, stats: emptyStats() })) {
    events.push(e as WindowsEvent);
  }
  return { events, rep };
}

Deno.test("wevtutilArgs asks for rendered XML inside the time window", () => {
  const since = new Date("2024-05-01T00:00:00Z");
  strictEqual(
    timeFilterQuery(since, new Date("2024-05-02T00:00:00Z")),
    "*[System[TimeCreated[@SystemTime>='2024-05-01T00:00:00.000Z' and @SystemTime<='2024-05-02T00:00:00.000Z']]]",
  );
  deepStrictEqual(wevtutilArgs("Security", since), [
    "qe",
    "Security",
    "/q:*[System[TimeCreated[@SystemTime>='2024-05-01T00:00:00.000Z']]]",
    "/f:RenderedXml",
    "/e:Events",
  ]);
});

Deno.test("wevtutilSource parses recorded rendered XML, UTF-8 and UTF-16", async () => {
  const text = `<Events>${recordedEvent(10, "cmd.exe /c whoami &amp; echo")}\r\n${
    recordedEvent(11, "x")
  }</Events>`;
  for (const output of [text, utf16le(text)]) {
    const { events, rep } = await readAll(output);
    deepStrictEqual(rep.warnings, []);
    strictEqual(events.length, 2);
    const e = events[0]!;
    strictEqual(e.channel, "Security");
    strictEqual(e.eventId, 4688);
    strictEqual(e.recordId, 10);
    strictEqual(e.timeCreated, "2024-05-01T10:00:00.1234567Z");
    strictEqual(e.processId, 4);
    strictEqual(e.taskName, "Process Creation");
    ok(e.message?.startsWith("A new process has been created.\r\n"));
    deepStrictEqual(e.data.find((d) => d.name === "CommandLine"), {
      name: "CommandLine",
      value: "cmd.exe /c whoami & echo",
    });
    strictEqual(e.origin, "live:Security");
  }
});

Deno.test("wevtutilSource reports a failing channel as skipped", async () => {
  const { events, rep } = await readAll("", 5);
  strictEqual(events.length, 0);
  deepStrictEqual(rep.skips.map((s) => [s.object, s.reason]), [["live:Security", "locked"]]);
});
