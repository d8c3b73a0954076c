import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { encodeTable } from "./_tcp_table_encoder.ts";
import { decodeTcpTable, decodeUdpTable, fileTimeToIso } from "./tcp_table_rows.ts";
import {
  tcp6RowOwnerModule,
  tcpRowOwnerModule,
  udp6RowOwnerModule,
  udpRowOwnerModule,
} from "./tcp_tables.ts";

const v6 = (text: string) => {
  // 2001:db8::5 style fixtures, written out in full.
  const groups = text.split(":").map((group) => parseInt(group, 16));
  return groups.flatMap((group) => [group >> 8, group & 255]);
};

Deno.test("tcp_tables: the row sizes are those of the SDK headers (x64 and x86)", () => {
  strictEqual(tcpRowOwnerModule.size, 160);
  strictEqual(tcp6RowOwnerModule.size, 192);
  strictEqual(udpRowOwnerModule.size, 160);
  strictEqual(udp6RowOwnerModule.size, 176);
  // Every LARGE_INTEGER is 8-aligned.
  for (
    const layout of [tcpRowOwnerModule, tcp6RowOwnerModule, udpRowOwnerModule, udp6RowOwnerModule]
  ) {
    strictEqual(layout.createTimestamp % 8, 0);
    strictEqual(layout.size % 8, 0);
  }
});

Deno.test("decodeTcpTable decodes IPv4 rows field by field (rows at offset 8)", () => {
  const bytes = encodeTable("tcp", "ipv4", [
    {
      local: [10, 0, 0, 5],
      localPort: 49812,
      remote: [103, 41, 124, 9],
      remotePort: 443,
      state: 5,
      pid: 4242,
      created: "2026-12-07T01:02:03.456Z",
      moduleFill: 0xff,
    },
    {
      local: [0, 0, 0, 0],
      localPort: 135,
      remote: [0, 0, 0, 0],
      remotePort: 0,
      state: 2,
      pid: 912,
    },
  ]);
  const { rows, truncated } = decodeTcpTable(bytes, "ipv4");
  strictEqual(truncated, undefined);
  deepStrictEqual(rows, [
    {
      protocol: "TCP",
      family: "ipv4",
      localAddress: Uint8Array.of(10, 0, 0, 5),
      localPort: 49812,
      remoteAddress: Uint8Array.of(103, 41, 124, 9),
      remotePort: 443,
      stateCode: 5,
      pid: 4242,
      creationTime: "2026-12-07T01:02:03.456Z",
    },
    {
      protocol: "TCP",
      family: "ipv4",
      localAddress: Uint8Array.of(0, 0, 0, 0),
      localPort: 135,
      remoteAddress: Uint8Array.of(0, 0, 0, 0),
      remotePort: 0,
      stateCode: 2,
      pid: 912,
    },
  ]);
});

Deno.test("decodeTcpTable decodes IPv6 rows field by field", () => {
  const local = v6("2001:db8:0:0:0:0:0:5");
  const remote = v6("2001:db8:0:0:0:0:dead:beef");
  const bytes = encodeTable("tcp", "ipv6", [
    {
      local,
      localPort: 443,
      remote,
      remotePort: 50000,
      state: 11,
      pid: 7,
      created: "2020-01-01T00:00:00.000Z",
    },
  ]);
  const [row] = decodeTcpTable(bytes, "ipv6").rows;
  deepStrictEqual(row, {
    protocol: "TCP",
    family: "ipv6",
    localAddress: Uint8Array.from(local),
    localPort: 443,
    remoteAddress: Uint8Array.from(remote),
    remotePort: 50000,
    stateCode: 11,
    pid: 7,
    creationTime: "2020-01-01T00:00:00.000Z",
  });
});

Deno.test("decodeUdpTable decodes IPv4 and IPv6 rows, which have no remote address", () => {
  const [v4] = decodeUdpTable(
    encodeTable("udp", "ipv4", [{
      local: [127, 0, 0, 1],
      localPort: 53,
      pid: 1500,
      created: "2021-05-06T07:08:09.000Z",
    }]),
    "ipv4",
  ).rows;
  deepStrictEqual(v4, {
    protocol: "UDP",
    family: "ipv4",
    localAddress: Uint8Array.of(127, 0, 0, 1),
    localPort: 53,
    pid: 1500,
    creationTime: "2021-05-06T07:08:09.000Z",
  });
  const [six] = decodeUdpTable(
    encodeTable("udp", "ipv6", [{ local: v6("0:0:0:0:0:0:0:1"), localPort: 5353, pid: 4 }]),
    "ipv6",
  ).rows;
  deepStrictEqual(six, {
    protocol: "UDP",
    family: "ipv6",
    localAddress: Uint8Array.from(v6("0:0:0:0:0:0:0:1")),
    localPort: 5353,
    pid: 4,
  });
});

Deno.test("decodeTcpTable reads no further than its bytes when dwNumEntries lies", () => {
  const bytes = encodeTable("tcp", "ipv4", [
    { local: [1, 2, 3, 4], localPort: 1, remote: [5, 6, 7, 8], remotePort: 2, state: 5, pid: 9 },
  ], 1_000_000);
  const { rows, truncated } = decodeTcpTable(bytes, "ipv4");
  strictEqual(rows.length, 1);
  ok(truncated?.includes("1000000 rows"), truncated);
  strictEqual(decodeUdpTable(new Uint8Array(3), "ipv4").rows.length, 0);
});

Deno.test("fileTimeToIso converts FILETIME ticks, and 0 is no time", () => {
  strictEqual(fileTimeToIso(116444736000000000n), "1970-01-01T00:00:00.000Z");
  strictEqual(fileTimeToIso(0n), undefined);
});
