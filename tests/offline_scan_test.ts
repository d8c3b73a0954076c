/**
 * Offline evidence scans through the CLI on real corpus files: HX event IOCs
 * (both spellings) and EventLogItem IOCs against a Sysmon EVTX, and a
 * RegistryItem IOC written against HKCU against a real NTUSER.DAT.
 */
import { deepStrictEqual } from "node:assert/strict";
import { join } from "node:path";
import { type LooseEvent, runCli } from "./_cli.ts";
import { corpusDir } from "./corpus.ts";

const evtxCorpus = corpusDir("evtx");
const registryCorpus = corpusDir("registry");

function ioc11(id: string, body: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="${id}" last-modified="2026-11-28T00:00:00" published-date="2026-11-28T00:00:00">
  <metadata><short_description>${id}</short_description><authored_date>2026-11-28T00:00:00</authored_date></metadata>
  <criteria><Indicator operator="OR" id="${id}-top">${body}</Indicator></criteria>
</OpenIOC>`;
}

function item(document: string, search: string, condition: string, value: string): string {
  return `<IndicatorItem id="${search}-${condition}" condition="${condition}" negate="false" preserve-case="false">` +
    `<Context document="${document}" search="${search}" type="event"/>` +
    `<Content type="string">${value}</Content></IndicatorItem>`;
}

async function scan(args: string[]) {
  const output = await runCli<LooseEvent>(["scan", ...args, "--json"]);
  const detections = output.events.filter((event) => event.type === "detection");
  return {
    code: output.code,
    found: detections.map((detection) => ({
      id: detection.ioc.id as string,
      objects: (detection.evidence as { object: string }[]).map((evidence) => evidence.object),
    })),
  };
}

Deno.test({
  name: "iocscan scan --evtx evaluates HX event and EventLogItem IOCs on a real Sysmon log",
  ignore: evtxCorpus === undefined,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const iocs = join(dir, "iocs");
      await Deno.mkdir(iocs);
      // Both HX spellings in one AND: they are the same document, bound to one event.
      await Deno.writeTextFile(
        join(iocs, "msi_child.ioc"),
        ioc11(
          "msi-child-shell",
          `<Indicator operator="AND" id="a1">${
            item("eventItem", "eventItem/processEvent/parentProcess", "ends-with", ".tmp") +
            item("processEvent", "processEvent/process", "is", "CMD.EXE")
          }</Indicator>`,
        ),
      );
      // Decoy: each half holds on a different event, never on the same one.
      await Deno.writeTextFile(
        join(iocs, "decoy.ioc"),
        ioc11(
          "cmd-from-services",
          `<Indicator operator="AND" id="d1">${
            item("processEvent", "processEvent/process", "is", "cmd.exe") +
            item("processEvent", "processEvent/parentProcess", "is", "services.exe")
          }</Indicator>`,
        ),
      );
      await Deno.writeTextFile(
        join(iocs, "hash.ioc"),
        ioc11(
          "msi-payload-md5",
          item("processEvent", "processEvent/md5", "is", "E40CF1CC132F25719F86F0FC5870910D "),
        ),
      );
      await Deno.writeTextFile(
        join(iocs, "eventlog.ioc"),
        ioc11(
          "sysmon-registry-event",
          `<Indicator operator="AND" id="e1">${
            item("EventLogItem", "EventLogItem/EID", "is", "13") +
            item("EventLogItem", "EventLogItem/source", "contains", "sysmon")
          }</Indicator>`,
        ),
      );
      const file = join(
        evtxCorpus!,
        "evtx-attack-samples",
        "Execution",
        "Exec_sysmon_meterpreter_reversetcp_msipackage.evtx",
      );
      const result = await scan(["--ioc", iocs, "--evtx", file, "--db", join(dir, "r.db")]);
      deepStrictEqual(result.code, 1);
      deepStrictEqual(result.found.map((found) => found.id).sort(), [
        "msi-child-shell",
        "msi-payload-md5",
        "sysmon-registry-event",
      ]);
      const byId = new Map(result.found.map((found) => [found.id, found.objects]));
      deepStrictEqual(byId.get("msi-child-shell"), ["Microsoft-Windows-Sysmon/Operational#10153"]);
      deepStrictEqual(byId.get("msi-payload-md5"), ["Microsoft-Windows-Sysmon/Operational#10151"]);
      deepStrictEqual(byId.has("cmd-from-services"), false);
      deepStrictEqual(byId.get("sysmon-registry-event")?.length, 1);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "iocscan scan --hive matches an HKCU IOC on a real NTUSER.DAT",
  ignore: registryCorpus === undefined,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(
        join(dir, "run.ioc"),
        ioc11(
          "hkcu-run-skype",
          `<Indicator operator="AND" id="r1">${
            item(
              "RegistryItem",
              "RegistryItem/Path",
              "starts-with",
              "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\",
            ) + item("RegistryItem", "RegistryItem/Text", "contains", "skype.exe")
          }</Indicator>`,
        ),
      );
      const hive = join(registryCorpus!, "plaso", "NTUSER-WIN7.DAT");
      const result = await scan(["--ioc", dir, "--hive", hive, "--db", join(dir, "r.db")]);
      deepStrictEqual(result.code, 1);
      deepStrictEqual(result.found.length, 1);
      deepStrictEqual(result.found[0]!.objects.length, 1);
      deepStrictEqual(
        result.found[0]!.objects[0]!.endsWith(
          "\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Skype",
        ),
        true,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
