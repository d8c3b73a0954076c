import { deepStrictEqual, strictEqual } from "node:assert/strict";
import type { PortRecord, PortTableRead } from "../port/mod.ts";
import { readPortLists } from "./port_lists.ts";

const observedAt = "2026-12-07T04:00:00.000Z";
const connection: PortRecord = {
  protocol: "TCP",
  isIPv6: false,
  localIP: "10.0.0.5",
  localPort: 49812,
  remoteIP: "103.41.124.9",
  remotePort: 443,
  state: "ESTABLISHED",
  pid: 4242,
  process: "powershell.exe",
  path: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0",
  observedAt,
};
const timeWait: PortRecord = { ...connection, localPort: 49813, state: "TIME_WAIT" };
delete (timeWait as { pid?: number }).pid;

function table(read: Partial<PortTableRead>): () => Promise<PortTableRead> {
  return () => Promise.resolve({ ports: [], skips: [], warnings: [], stats: {}, ...read });
}

Deno.test("readPortLists gives each process its ports as PortItem fields; an ownerless socket none", async () => {
  const lists = await readPortLists(table({ ports: [connection, timeWait] }));
  deepStrictEqual([...lists.byPid.keys()], [4242]);
  deepStrictEqual(lists.byPid.get(4242), [{
    protocol: "TCP",
    localIP: "10.0.0.5",
    localPort: 49812,
    isIPv6: false,
    remoteIP: "103.41.124.9",
    remotePort: 443,
    state: "ESTABLISHED",
    pid: 4242,
    process: "powershell.exe",
    path: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0",
  }]);
  strictEqual(lists.unknownAll, undefined);
});

Deno.test("readPortLists: a process whose sockets were refused is unknown; a table not read leaves every process unknown", async () => {
  const refused = await readPortLists(table({
    ports: [connection],
    skips: [{
      collector: "port",
      object: "pid 300 (sshd)",
      reason: "unreadable",
      detail: "EACCES",
    }],
  }));
  deepStrictEqual([...refused.unknown], [[300, "ports not read: pid 300 (sshd): EACCES"]]);
  strictEqual(refused.unknownAll, undefined);

  const blind = await readPortLists(table({
    skips: [{
      collector: "port",
      object: "/proc/net/tcp",
      reason: "unreadable",
      detail: "NotCapable",
      unreadDocuments: ["PortItem"],
    }],
  }));
  strictEqual(blind.unknownAll, "ports not read: /proc/net/tcp: NotCapable");
});
