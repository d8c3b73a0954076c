/**
 * Real-IOC conventions for event logs, through `iocscan scan --evtx` on EVTX
 * files built by the fixtures: `EventLogItem/EID` as the full 32-bit legacy
 * id (Mandiant's duqu IOC), and HX `processPath` as the acting process's
 * folder in regKeyEvent/fileWriteEvent/imageLoadEvent but the full path in
 * processEvent.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { buildEvtx, element, type Token, utf16 } from "../formats/evtx/_fixtures.ts";
import { runCli } from "./_cli.ts";
import { corpusDir } from "./corpus.ts";

const openiocCorpus = corpusDir("openioc");

const valueType = { string: 0x01, uint16: 0x06, uint64: 0x0a } as const;

function u16(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, n >> 8);
}
function u64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  return out;
}

function ioc11(id: string, body: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="${id}" last-modified="2026-12-07T00:00:00" published-date="2026-12-07T00:00:00">
  <metadata><short_description>${id}</short_description><authored_date>2026-12-07T00:00:00</authored_date></metadata>
  <criteria><Indicator operator="OR" id="${id}-top">${body}</Indicator></criteria>
</OpenIOC>`;
}

function item(search: string, condition: string, value: string, type = "string"): string {
  const document = search.startsWith("eventItem/") ? "eventItem" : search.split("/")[0];
  return `<IndicatorItem id="${search}-${condition}-${value}" condition="${condition}" negate="false" preserve-case="false">` +
    `<Context document="${document}" search="${search}" type="event"/>` +
    `<Content type="${type}">${value}</Content></IndicatorItem>`;
}

type ScanEvent = { type: string; [name: string]: unknown };

async function scan(args: string[]): Promise<{ code: number; events: ScanEvent[] }> {
  const output = await runCli(["scan", ...args, "--json"]);
  return { code: output.code, events: output.events };
}

type Detection = {
  ioc: { id: string };
  evidence: { object: string; items: { id: string; observed?: unknown }[] }[];
};

function detections(events: ScanEvent[]): Map<string, Detection> {
  return new Map(
    events.filter((event) => event.type === "detection").map((event) => {
      const detection = event as unknown as Detection;
      return [detection.ioc.id, detection];
    }),
  );
}

/** A System log of classic DCOM 10009 events: record 1 with Qualifiers 49152, record 2 with 0. */
function dcomLog(): Uint8Array {
  const template: Token[] = element("Event", [], [
    ...element("System", [], [
      ...element("Provider", [
        ["Name", [{ text: "Microsoft-Windows-DistributedCOM" }]],
        ["EventSourceName", [{ text: "DCOM" }]],
      ], []),
      ...element("EventID", [["Qualifiers", [{ sub: 0, type: valueType.uint16 }]]], [
        { sub: 1, type: valueType.uint16 },
      ]),
      ...element("Level", [], [{ text: "2" }]),
      ...element("Channel", [], [{ text: "System" }]),
      ...element("EventRecordID", [], [{ sub: 2, type: valueType.uint64 }]),
    ]),
    ...element("EventData", [], [
      ...element("Data", [["Name", [{ text: "param1" }]]], [{ sub: 3, type: valueType.string }]),
    ]),
  ]);
  const record = (id: number, qualifiers: number) => ({
    id,
    writtenMs: Date.UTC(2026, 0, 1),
    values: [
      { type: valueType.uint16, bytes: u16(qualifiers) },
      { type: valueType.uint16, bytes: u16(10009) },
      { type: valueType.uint64, bytes: u64(id) },
      { type: valueType.string, bytes: utf16("10.0.0.5") },
    ],
  });
  return buildEvtx({ template, records: [record(1, 49152), record(2, 0)] });
}

Deno.test("iocscan scan --evtx matches EventLogItem/EID written as the 32-bit legacy id", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const evtx = join(dir, "System.evtx");
    await Deno.writeFile(evtx, dcomLog());
    const iocs = join(dir, "iocs");
    await Deno.mkdir(iocs);
    await Deno.writeTextFile(
      join(iocs, "legacy.ioc"),
      ioc11(
        "dcom-legacy-id",
        `<Indicator operator="AND" id="l1">${
          item("EventLogItem/type", "is", "Error") + item("EventLogItem/source", "is", "DCOM") +
          item("EventLogItem/EID", "is", "3221235481", "int")
        }</Indicator>`,
      ),
    );
    await Deno.writeTextFile(
      join(iocs, "short.ioc"),
      ioc11("dcom-short-id", item("EventLogItem/EID", "is", "10009", "int")),
    );
    const { code, events } = await scan(["--ioc", iocs, "--evtx", evtx, "--db", join(dir, "r.db")]);
    deepStrictEqual(code, 1);
    const found = detections(events);
    // The legacy id holds only on the event whose Qualifiers make it up.
    const legacy = found.get("dcom-legacy-id")!;
    deepStrictEqual(legacy.evidence.map((evidence) => evidence.object), ["System#1"]);
    const eid = legacy.evidence[0]!.items.find((entry) => entry.id.startsWith("EventLogItem/EID"));
    deepStrictEqual(eid?.observed, 3221235481);
    // The short id holds on both.
    deepStrictEqual(
      found.get("dcom-short-id")!.evidence.map((evidence) => evidence.object),
      ["System#1", "System#2"],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "iocscan scan --evtx fires Mandiant's duqu IOC on its DCOM legacy event id",
  ignore: openiocCorpus === undefined,
  fn: async () => {
    const ioc = join(
      openiocCorpus!,
      "mandiant-ioc_writer/examples/openioc_to_yara/example_iocs/72669174-dd77-4a4e-82ed-99a96784f36e.ioc",
    );
    const dir = await Deno.makeTempDir();
    try {
      const evtx = join(dir, "System.evtx");
      await Deno.writeFile(evtx, dcomLog());
      const { events } = await scan(["--ioc", ioc, "--evtx", evtx, "--db", join(dir, "r.db")]);
      const duqu = detections(events).get("72669174-dd77-4a4e-82ed-99a96784f36e");
      ok(duqu !== undefined, JSON.stringify(events.filter((e) => e.type !== "progress")));
      const eventEvidence = duqu.evidence.filter((evidence) =>
        evidence.object.startsWith("System#")
      );
      deepStrictEqual(eventEvidence.map((evidence) => evidence.object), ["System#1"]);
      deepStrictEqual(
        eventEvidence[0]!.items.find((entry) => entry.id === "a10fc902-a5fa-4f1a-87a7-ad7855066be1")
          ?.observed,
        3221235481,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** A Sysmon log: one record per `[eventId, Image, other data]`, one template for all. */
function sysmonLog(records: [number, string, Record<string, string>][]): Uint8Array {
  const dataNames = [
    "Image",
    "EventType",
    "TargetObject",
    "Details",
    "TargetFilename",
    "ImageLoaded",
  ];
  const template: Token[] = element("Event", [], [
    ...element("System", [], [
      ...element("Provider", [["Name", [{ text: "Microsoft-Windows-Sysmon" }]]], []),
      ...element("EventID", [], [{ sub: 0, type: valueType.uint16 }]),
      ...element("Channel", [], [{ text: "Microsoft-Windows-Sysmon/Operational" }]),
      ...element("EventRecordID", [], [{ sub: 1, type: valueType.uint64 }]),
    ]),
    ...element(
      "EventData",
      [],
      dataNames.flatMap((name, index) =>
        element("Data", [["Name", [{ text: name }]]], [{ sub: 2 + index, type: valueType.string }])
      ),
    ),
  ]);
  return buildEvtx({
    template,
    records: records.map(([eventId, image, data], index) => ({
      id: index + 1,
      writtenMs: Date.UTC(2026, 0, 1),
      values: [
        { type: valueType.uint16, bytes: u16(eventId) },
        { type: valueType.uint64, bytes: u64(index + 1) },
        ...dataNames.map((name) => ({
          type: valueType.string,
          bytes: utf16(name === "Image" ? image : data[name] ?? ""),
        })),
      ],
    })),
  });
}

Deno.test("iocscan scan --evtx matches HX processPath as a folder, except in processEvent", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const evtx = join(dir, "Sysmon.evtx");
    await Deno.writeFile(
      evtx,
      sysmonLog([
        [13, "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe", {
          EventType: "SetValue",
          TargetObject: "HKLM\\Software\\Evil\\v",
          Details: "x",
        }],
        [11, "C:\\Windows\\evil.exe", { TargetFilename: "C:\\Users\\Public\\a.xoml" }],
        [7, "C:\\Program Files\\Contoso\\app.exe", { ImageLoaded: "C:\\t\\a.dll" }],
        [1, "C:\\Windows\\SysWOW64\\WerFault.exe", {}],
      ]),
    );
    const iocs = join(dir, "iocs");
    await Deno.mkdir(iocs);
    // Each written as the corpus IOCs write these terms (docs/eventlog.md).
    const cases: [string, string, string, string][] = [
      ["reg-wbem", "eventItem/regKeyEvent/processPath", "is", "C:\\Windows\\System32\\wbem"],
      ["write-windows", "fileWriteEvent/processPath", "ends-with", ":\\Windows"],
      ["load-contoso", "eventItem/imageLoadEvent/processPath", "is", "C:\\Program Files\\Contoso"],
      ["werfault", "processEvent/processPath", "ends-with", "\\Windows\\SysWOW64\\WerFault.exe"],
      // The full path is not what these documents hold.
      ["reg-full", "regKeyEvent/processPath", "ends-with", "\\WmiPrvSE.exe"],
    ];
    for (const [id, search, condition, value] of cases) {
      await Deno.writeTextFile(join(iocs, `${id}.ioc`), ioc11(id, item(search, condition, value)));
    }
    const { code, events } = await scan(["--ioc", iocs, "--evtx", evtx, "--db", join(dir, "r.db")]);
    deepStrictEqual(code, 1);
    const found = detections(events);
    const objects = (id: string) => found.get(id)?.evidence.map((evidence) => evidence.object);
    const record = (n: number) => [`Microsoft-Windows-Sysmon/Operational#${n}`];
    deepStrictEqual(objects("reg-wbem"), record(1));
    deepStrictEqual(objects("write-windows"), record(2));
    deepStrictEqual(objects("load-contoso"), record(3));
    deepStrictEqual(objects("werfault"), record(4));
    deepStrictEqual(objects("reg-full"), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
