import { deepStrictEqual, strictEqual } from "node:assert/strict";
import type { PortRecord, PortTableRead } from "../../collectors/port/mod.ts";
import { encodeMibTcpRow } from "../../windows/layouts/mib_tcp_row.ts";
import type { IsolationPlan } from "./contract.ts";
import {
  allowedPeer,
  mibTcpStateDeleteTcb,
  severTargets,
  severWindowsConnections,
} from "./windows_sever.ts";

const plan: IsolationPlan = {
  id: "iso-1",
  expiresAt: "2026-12-07T14:00:00.000Z",
  allow: [
    { address: "10.0.0.10", port: 8443, protocol: "tcp", why: "management" },
    { address: "10.0.5.0/24", protocol: "udp", why: "udp only" },
    { address: "fd00:9::10", why: "v6 management" },
  ],
};

function tcp(
  localIP: string,
  remoteIP: string,
  remotePort: number,
  state = "ESTABLISHED",
): PortRecord {
  return {
    protocol: "TCP",
    isIPv6: localIP.includes(":"),
    localIP,
    localPort: 50_000,
    remoteIP,
    remotePort,
    state,
    observedAt: "2026-12-07T06:00:00.000Z",
  };
}

const rows: PortRecord[] = [
  tcp("10.0.0.2", "203.0.113.9", 443), // C2: cut
  tcp("10.0.0.2", "10.0.0.10", 8443), // allowed
  tcp("10.0.0.2", "10.0.0.10", 22), // allowed host, other port: cut
  tcp("10.0.0.2", "10.0.5.7", 445), // prefix allows UDP only: cut
  tcp("127.0.0.1", "127.0.0.1", 5432), // loopback
  tcp("0.0.0.0", "0.0.0.0", 0, "LISTENING"),
  tcp("10.0.0.2", "198.51.100.1", 80, "TIME_WAIT"),
  tcp("fd00:9::2", "fd00:9::4", 8080), // IPv6 C2: reported, not cut
  tcp("fd00:9::2", "fd00:9::10", 443), // allowed v6
  { ...tcp("10.0.0.2", "203.0.113.9", 53), protocol: "UDP" },
];

Deno.test("mibTcpStateDeleteTcb: 12, from the TCP state table", () =>
  strictEqual(mibTcpStateDeleteTcb, 12));

Deno.test("allowedPeer: address or prefix, port and protocol of a rule; loopback always", () => {
  strictEqual(allowedPeer(plan, "10.0.0.10", 8443), true);
  strictEqual(allowedPeer(plan, "10.0.0.10", 443), false);
  strictEqual(allowedPeer(plan, "10.0.5.9", 53), false);
  strictEqual(allowedPeer(plan, "::1", 1), true);
  strictEqual(allowedPeer(plan, "fd00:9::10", 1), true);
});

Deno.test("severTargets: non-allowed connected TCP peers, IPv4 to cut, IPv6 to report", () => {
  const targets = severTargets(rows, plan);
  deepStrictEqual(targets.v4.map((r) => `${r.remoteAddress}:${r.remotePort}`), [
    "203.0.113.9:443",
    "10.0.0.10:22",
    "10.0.5.7:445",
  ]);
  deepStrictEqual(targets.v6.map((r) => r.remoteIP), ["fd00:9::4"]);
});

Deno.test("severWindowsConnections: SetTcpEntry with DELETE_TCB per IPv4 row; IPv6 said not severed; failures and unread tables named", async () => {
  const given: Uint8Array[] = [];
  const read: PortTableRead = {
    ports: rows,
    skips: [{
      collector: "port",
      object: "TCP IPv6 table",
      reason: "unreadable",
      detail: "Windows error 5",
      unreadDocuments: ["PortItem"],
    }],
    warnings: [],
    stats: {},
  };
  const report = await severWindowsConnections(plan, {
    readRows: () => Promise.resolve(read),
    setTcpEntry: (row) => {
      given.push(row);
      return given.length === 3 ? 317 : 0;
    },
  });
  deepStrictEqual(
    given[0],
    encodeMibTcpRow({
      localAddress: "10.0.0.2",
      localPort: 50_000,
      remoteAddress: "203.0.113.9",
      remotePort: 443,
    }, 12),
  );
  strictEqual(report.severed, 2);
  deepStrictEqual(report.failed, [{ connection: "10.0.0.2:50000 -> 10.0.5.7:445", status: 317 }]);
  deepStrictEqual(report.ipv6NotSevered, ["[fd00:9::2]:50000 -> [fd00:9::4]:8080"]);
  deepStrictEqual(report.unread, ["TCP IPv6 table: Windows error 5"]);
  strictEqual(
    report.detail,
    "2 IPv4 connection(s) cut, 1 could not be cut, 1 IPv6 connection(s) not severed (Windows has no API to cut an IPv6 connection; new ones are blocked), tables not read: TCP IPv6 table: Windows error 5",
  );
});
