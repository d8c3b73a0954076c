import { deepStrictEqual, ok } from "node:assert/strict";
import type { DetectionEvent, Evidence } from "../../contracts/events.ts";
import { quarantineTargets } from "./quarantine_targets.ts";

function detection(evidence: Omit<Evidence, "indicator" | "items">[]): DetectionEvent[] {
  return [{
    type: "detection",
    ioc: { id: "ioc-1", sha256: "a".repeat(64), name: "One", file: "one.ioc", version: "1.0" },
    evidence: evidence.map((entry) => ({ ...entry, indicator: "i", items: [] })),
  }];
}

const ioc = { id: "ioc-1", sha256: "a".repeat(64), name: "One" };

Deno.test("quarantineTargets names the image of ProcessItem, ServiceItem and DriverItem evidence, with the pid of a process", () => {
  const { targets, untouched } = quarantineTargets(
    detection([
      { document: "ProcessItem", object: "pid 4242 evil -x", image: "/opt/evil" },
      { document: "ProcessItem", object: "pid 4243 evil", image: "/opt/evil" },
      { document: "ServiceItem", object: "evil.service", image: "/usr/local/bin/evild" },
      { document: "DriverItem", object: "evilmod", image: "/lib/modules/x/evil.ko" },
    ]),
    7,
  );
  deepStrictEqual(targets, [
    { path: "/opt/evil", iocs: [ioc], pids: [4242, 4243], runId: 7 },
    { path: "/usr/local/bin/evild", iocs: [ioc], pids: [], runId: 7 },
    { path: "/lib/modules/x/evil.ko", iocs: [ioc], pids: [], runId: 7 },
  ]);
  deepStrictEqual(untouched, []);
});

Deno.test("quarantineTargets leaves alone a hive's service (offline evidence) and a process whose image is unknown", () => {
  const { targets, untouched } = quarantineTargets(detection([
    { document: "ServiceItem", object: "Evil", source: "/case/SYSTEM" },
    { document: "ProcessItem", object: "pid 9 gone (image deleted)" },
    { document: "PortItem", object: "tcp 1.2.3.4:443" },
  ]));
  deepStrictEqual(targets, []);
  deepStrictEqual(untouched.map(({ object, reason }) => ({ object, reason })), [
    { object: "Evil", reason: "offline-evidence" },
    { object: "pid 9 gone (image deleted)", reason: "image-unknown" },
  ]);
});

Deno.test("quarantineTargets: a process module's FileItem (the critical-areas sweep) names its real path; a deleted image is refused as image-unknown, saying it was deleted", () => {
  const { targets, untouched } = quarantineTargets(detection([
    {
      document: "FileItem",
      object: "/opt/evil/libevil.so",
      source: "/opt/evil/libevil.so",
      image: "/opt/evil/libevil.so",
    },
    {
      document: "FileItem",
      object: "/usr/bin/evild",
      source: "/proc/77/exe",
      image: "/usr/bin/evild",
    },
    { document: "FileItem", object: "/tmp/dropper (deleted) [pid 88]", source: "/proc/88/exe" },
  ]));
  deepStrictEqual(targets.map(({ path }) => path), ["/opt/evil/libevil.so", "/usr/bin/evild"]);
  deepStrictEqual(untouched.map(({ object, reason }) => ({ object, reason })), [
    { object: "/tmp/dropper (deleted) [pid 88]", reason: "image-unknown" },
  ]);
  ok(/deleted/.test(untouched[0]?.detail ?? ""), untouched[0]?.detail);
});
