import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { parseSysmonHashes, splitFilePath, sysmonTime, toHxEvent } from "./hx_events.ts";
import type { WindowsEvent } from "./windows_event.ts";

function sysmon(eventId: number, data: Record<string, string>): WindowsEvent {
  return {
    channel: "Microsoft-Windows-Sysmon/Operational",
    provider: "Microsoft-Windows-Sysmon",
    eventId,
    recordId: 7,
    timeCreated: "2024-01-01T00:00:00.0000000Z",
    data: Object.entries(data).map(([name, value]) => ({ name, value })),
    origin: "test",
  };
}

Deno.test("parseSysmonHashes reads every algorithm and lower-cases", () => {
  deepStrictEqual(parseSysmonHashes("SHA1=AB,MD5=CD,SHA256=EF,IMPHASH=00"), {
    sha1: "ab",
    md5: "cd",
    sha256: "ef",
  });
  deepStrictEqual(parseSysmonHashes("MD5=CD"), { md5: "cd" });
  deepStrictEqual(parseSysmonHashes(undefined), {});
});

Deno.test("splitFilePath follows FileItem's conventions", () => {
  deepStrictEqual(splitFilePath("C:\\Windows\\System32\\x.dll"), {
    drive: "C:",
    filePath: "Windows\\System32",
    fileName: "x.dll",
    fileExtension: "dll",
  });
  deepStrictEqual(splitFilePath("\\Device\\HarddiskVolume2\\a\\b"), {
    drive: "",
    filePath: "\\Device\\HarddiskVolume2\\a",
    fileName: "b",
    fileExtension: "",
  });
  strictEqual(sysmonTime("2019-05-12 13:30:32.916"), "2019-05-12T13:30:32.916Z");
});

Deno.test("toHxEvent maps registry event types and key-only paths", () => {
  const create = toHxEvent(sysmon(12, {
    EventType: "CreateKey",
    TargetObject: "HKU\\S-1-5-21-1\\Software\\Evil",
    Image: "C:\\x\\reg.exe",
    ProcessId: "12",
  }));
  strictEqual(create?.document, "regKeyEvent");
  deepStrictEqual(
    [
      create?.fields.path,
      create?.fields.keyPath,
      create?.fields.valueName,
      create?.fields.eventType,
    ],
    [
      "HKEY_USERS\\S-1-5-21-1\\Software\\Evil",
      "HKEY_USERS\\S-1-5-21-1\\Software\\Evil",
      undefined,
      1,
    ],
  );
  const rename = toHxEvent(
    sysmon(14, { EventType: "RenameKey", TargetObject: "HKLM\\A", NewName: "HKLM\\B" }),
  );
  deepStrictEqual([rename?.fields.eventType, rename?.fields.text], [5, "HKLM\\B"]);
});

Deno.test("toHxEvent puts the local side first for inbound connections and skips IPv6", () => {
  const inbound = toHxEvent(sysmon(3, {
    Initiated: "false",
    SourceIsIpv6: "false",
    SourceIp: "203.0.113.9",
    SourcePort: "50000",
    DestinationIp: "10.0.0.5",
    DestinationPort: "445",
    Protocol: "tcp",
    Image: "System",
    ProcessId: "4",
  }));
  deepStrictEqual(
    [
      inbound?.fields.localIP,
      inbound?.fields.localPort,
      inbound?.fields.remoteIP,
      inbound?.fields.remotePort,
    ],
    ["10.0.0.5", 445, "203.0.113.9", 50000],
  );
  strictEqual(toHxEvent(sysmon(3, { SourceIsIpv6: "true", SourceIp: "::1" })), undefined);
});

Deno.test("toHxEvent honours the requested documents and ignores other providers", () => {
  const event = sysmon(22, { QueryName: "evil.example", Image: "C:\\a.exe" });
  strictEqual(toHxEvent(event, new Set(["processEvent"])), undefined);
  strictEqual(toHxEvent(event, new Set(["dnsLookupEvent"]))?.fields.hostname, "evil.example");
  strictEqual(toHxEvent({ ...event, provider: "Other" }), undefined);
});

Deno.test("toHxEvent gives processPath as the process's folder in registry, file and image-load events", () => {
  const image = "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe";
  const folderOf = (eventId: number, data: Record<string, string>) =>
    toHxEvent(sysmon(eventId, { Image: image, ...data }))?.fields.processPath;
  strictEqual(
    folderOf(13, { EventType: "SetValue", TargetObject: "HKLM\\A\\v" }),
    "C:\\Windows\\System32\\wbem",
  );
  strictEqual(folderOf(11, { TargetFilename: "C:\\t\\a.txt" }), "C:\\Windows\\System32\\wbem");
  strictEqual(folderOf(7, { ImageLoaded: "C:\\t\\a.dll" }), "C:\\Windows\\System32\\wbem");
  // The process name stays the file name; a process at a drive's root has the root as folder.
  strictEqual(toHxEvent(sysmon(11, { Image: image }))?.fields.process, "WmiPrvSE.exe");
  strictEqual(toHxEvent(sysmon(11, { Image: "C:\\evil.exe" }))?.fields.processPath, "C:\\");
  // A bare name (Sysmon's "System") has no folder: the field is left out, not made up.
  strictEqual(toHxEvent(sysmon(11, { Image: "System" }))?.fields.processPath, undefined);
});

Deno.test("toHxEvent keeps processPath as the full image path in process, DNS and network events", () => {
  const image = "C:\\Windows\\SysWOW64\\WerFault.exe";
  strictEqual(toHxEvent(sysmon(1, { Image: image }))?.fields.processPath, image);
  strictEqual(toHxEvent(sysmon(5, { Image: image }))?.fields.processPath, image);
  strictEqual(toHxEvent(sysmon(22, { Image: image, QueryName: "x" }))?.fields.processPath, image);
  strictEqual(
    toHxEvent(sysmon(3, { Image: image, SourceIsIpv6: "false" }))?.fields.processPath,
    image,
  );
});

Deno.test("toHxEvent gives regKeyEvent valueType as the REG_* code where Sysmon's Details tells it", () => {
  const set = (details: string) =>
    toHxEvent(sysmon(13, {
      EventType: "SetValue",
      TargetObject: "HKLM\\System\\CurrentControlSet\\Services\\x\\Start",
      Details: details,
    }));
  const dword = set("DWORD (0x00000003)");
  deepStrictEqual([dword?.fields.valueType, dword?.unevaluated], ["4", undefined]);
  const qword = set("QWORD (0x00000000-0x00000001)");
  deepStrictEqual([qword?.fields.valueType, qword?.unevaluated], ["11", undefined]);
  // Sysmon writes REG_SZ and REG_EXPAND_SZ data as text, and REG_BINARY, REG_MULTI_SZ and
  // the rest as "Binary Data": the type is not known, which is not the same as missing.
  for (const details of ["C:\\evil.exe", "Binary Data", "(Empty)", "DWORD (0x1)"]) {
    const item = set(details);
    strictEqual(item?.fields.valueType, undefined, details);
    ok(item?.unevaluated?.valueType, `${details}: valueType is unevaluated`);
  }
  const noDetails = toHxEvent(sysmon(13, { EventType: "SetValue", TargetObject: "HKLM\\A\\B" }));
  ok(noDetails?.unevaluated?.valueType, "a SetValue without Details leaves valueType unevaluated");
});

Deno.test("toHxEvent leaves valueType unevaluated on Sysmon 12 and 14, which carry no type", () => {
  for (
    const event of [
      sysmon(12, { EventType: "CreateKey", TargetObject: "HKLM\\SOFTWARE\\Evil" }),
      sysmon(12, { EventType: "DeleteValue", TargetObject: "HKLM\\SOFTWARE\\Evil\\v" }),
      sysmon(14, { EventType: "RenameKey", TargetObject: "HKLM\\A", NewName: "HKLM\\B" }),
    ]
  ) {
    const item = toHxEvent(event);
    strictEqual(item?.fields.valueType, undefined);
    ok(item?.unevaluated?.valueType, `event ${event.eventId}: valueType is unevaluated`);
  }
  // Other HX documents carry no valueType at all.
  strictEqual(toHxEvent(sysmon(22, { QueryName: "x.example" }))?.unevaluated, undefined);
});
