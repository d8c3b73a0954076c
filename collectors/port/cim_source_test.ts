import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { recordedCommand } from "../live/mod.ts";
import { cimPortSource, cimTime, parseCimPorts } from "./cim_source.ts";

// As PowerShell 7 writes the script's object (times as the script formats them).
const recorded7 = JSON.stringify({
  tcp: [
    {
      LocalAddress: "10.0.0.5",
      LocalPort: 49812,
      RemoteAddress: "103.41.124.9",
      RemotePort: 443,
      State: 5,
      OwningProcess: 4242,
      CreationTime: "2026-12-07T01:02:03.0000000Z",
    },
    {
      LocalAddress: "::",
      LocalPort: 135,
      RemoteAddress: "::",
      RemotePort: 0,
      State: 2,
      OwningProcess: 4,
      CreationTime: null,
    },
  ],
  udp: { LocalAddress: "0.0.0.0", LocalPort: 5353, OwningProcess: 1500, CreationTime: null },
  processes: [
    { ProcessId: 4242, Name: "powershell.exe", ExecutablePath: "C:\\Windows\\powershell.exe" },
    { ProcessId: 1500, Name: "svchost.exe", ExecutablePath: null },
  ],
});

Deno.test("parseCimPorts reads recorded Get-NetTCPConnection output", () => {
  const read = parseCimPorts(recorded7, "2026-12-07T03:00:00.000Z");
  strictEqual(read.ports.length, 3);
  const [connection, listener, udp] = read.ports;
  deepStrictEqual(connection, {
    protocol: "TCP",
    isIPv6: false,
    localIP: "10.0.0.5",
    localPort: 49812,
    remoteIP: "103.41.124.9",
    remotePort: 443,
    state: "ESTABLISHED",
    creationTime: "2026-12-07T01:02:03.000Z",
    pid: 4242,
    process: "powershell.exe",
    path: "C:\\Windows",
    imagePath: "C:\\Windows\\powershell.exe",
    observedAt: "2026-12-07T03:00:00.000Z",
    unevaluated: {},
  });
  strictEqual(listener!.isIPv6, true);
  strictEqual(listener!.localIP, "::");
  strictEqual(listener!.process, "System");
  strictEqual(listener!.state, "LISTENING");
  strictEqual(udp!.protocol, "UDP");
  strictEqual(udp!.pid, 1500);
  ok(udp!.unevaluated!.remoteIP);
  ok(udp!.unevaluated!.process!.includes("ExecutablePath"));
});

Deno.test("parseCimPorts reads states written as words and Windows PowerShell 5.1 dates", () => {
  const read = parseCimPorts(
    JSON.stringify({
      tcp: [{
        LocalAddress: "::ffff:10.0.0.5",
        LocalPort: 1,
        RemoteAddress: "::ffff:103.41.124.9",
        RemotePort: 2,
        State: "TimeWait",
        OwningProcess: 0,
        CreationTime: "/Date(1700000000000)/",
      }],
    }),
    "2026-12-07T03:00:00.000Z",
  );
  const [port] = read.ports;
  strictEqual(port!.state, "TIME_WAIT");
  strictEqual(port!.remoteIP, "103.41.124.9");
  strictEqual(port!.isIPv6, true);
  strictEqual(port!.creationTime, "2023-11-14T22:13:20.000Z");
  strictEqual(port!.pid, undefined);
  strictEqual(cimTime("not a time"), undefined);
});

Deno.test("cimPortSource: PowerShell failing or printing nonsense is a skip that leaves PortItem unread", async () => {
  const failed = await cimPortSource({ runner: recordedCommand("", 1, "WMI broke\n") }).read();
  strictEqual(failed.ports.length, 0);
  strictEqual(failed.skips[0]!.reason, "unreadable");
  ok(failed.skips[0]!.detail!.includes("WMI broke"));
  deepStrictEqual(failed.skips[0]!.unreadDocuments, ["PortItem"]);
  const garbled = await cimPortSource({ runner: recordedCommand("<html>") }).read();
  strictEqual(garbled.skips[0]!.reason, "corrupt");
  const good = await cimPortSource({ runner: recordedCommand(recorded7) }).read();
  strictEqual(good.ports.length, 3);
});
