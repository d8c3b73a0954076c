import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { parseProcNetTable } from "./proc_net_table.ts";
import { procNetAddress } from "./ip_text.ts";

// Lines recorded on an x86-64 Linux host (little-endian words).
const tcpRecorded =
  `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:CD19 00000000:0000 0A 00000000:00000000 00:00000000 00000000   101        0 980733 1 000000009cd24768 100 0 0 10 0
   1: 0100007F:9C40 0500000A:01BB 01 00000000:00000000 02:000A7D4A 00000000  1000        0 1234 2 0000000000000000 20 4 30 10 -1
   2: 0100007F:9C41 0100007F:1F90 06 00000000:00000000 03:00000F4B 00000000     0        0 0 3 0000000000000000
`;
const tcp6Recorded =
  `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:EA9F 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 992423 1 000000008d1d2984 100 0 0 10 0
   1: B80D01200000000000000000EFBEADDE:0050 B80D0120000000000000000001000000:C350 01 00000000:00000000 00:00000000 00000000     0        0 77 1 0000000000000000 100 0 0 10 0
`;
const udp6Recorded =
  `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
 3456: 0000000000000000FFFF00000100007F:9064 0000000000000000FFFF00000100007F:0009 01 00000000:00000000 00:00000000 00000000     0        0 992427 2 00000000e49c85ac 0
`;

Deno.test("parseProcNetTable decodes recorded IPv4 TCP lines field by field", () => {
  const { entries, badLines } = parseProcNetTable(tcpRecorded, "tcp", true);
  deepStrictEqual(badLines, []);
  deepStrictEqual(entries, [
    {
      protocol: "TCP",
      isIPv6: false,
      localIP: "127.0.0.1",
      localPort: 52505,
      remoteIP: "0.0.0.0",
      remotePort: 0,
      state: "LISTENING",
      inode: 980733,
      uid: 101,
    },
    {
      protocol: "TCP",
      isIPv6: false,
      localIP: "127.0.0.1",
      localPort: 40000,
      remoteIP: "10.0.0.5",
      remotePort: 443,
      state: "ESTABLISHED",
      inode: 1234,
      uid: 1000,
    },
    {
      protocol: "TCP",
      isIPv6: false,
      localIP: "127.0.0.1",
      localPort: 40001,
      remoteIP: "127.0.0.1",
      remotePort: 8080,
      state: "TIME_WAIT",
      inode: 0,
      uid: 0,
    },
  ]);
});

Deno.test("parseProcNetTable reads IPv6 words in host byte order, each of the four", () => {
  const { entries } = parseProcNetTable(tcp6Recorded, "tcp6", true);
  strictEqual(entries[0]!.localIP, "::1");
  strictEqual(entries[0]!.localPort, 60063);
  strictEqual(entries[0]!.remoteIP, "::");
  strictEqual(entries[0]!.isIPv6, true);
  strictEqual(entries[1]!.localIP, "2001:db8::dead:beef");
  strictEqual(entries[1]!.localPort, 80);
  strictEqual(entries[1]!.remoteIP, "2001:db8::1");
  strictEqual(entries[1]!.remotePort, 50000);
  strictEqual(entries[1]!.state, "ESTABLISHED");
});

Deno.test("parseProcNetTable writes an IPv4-mapped IPv6 peer as IPv4, the socket staying IPv6", () => {
  const [entry] = parseProcNetTable(udp6Recorded, "udp6", true).entries;
  deepStrictEqual(entry, {
    protocol: "UDP",
    isIPv6: true,
    localIP: "127.0.0.1",
    localPort: 36964,
    remoteIP: "127.0.0.1",
    remotePort: 9,
    inode: 992427,
    uid: 0,
  });
});

Deno.test("parseProcNetTable reports lines it cannot read, and reads the rest", () => {
  const text = tcpRecorded.split("\n").slice(0, 2).join("\n") +
    "\n   1: 0100007F:XYZ 00000000:0000 0A 0 0 0 0 0 1\n   2: garbage\n";
  const { entries, badLines } = parseProcNetTable(text, "tcp", true);
  strictEqual(entries.length, 1);
  deepStrictEqual(badLines.map((bad) => bad.line), [3, 4]);
});

Deno.test("procNetAddress follows the host's byte order", () => {
  strictEqual(procNetAddress("0100007F", true), "127.0.0.1");
  strictEqual(procNetAddress("7F000001", false), "127.0.0.1");
  strictEqual(procNetAddress("00000000000000000000000000000001", false), "::1");
  strictEqual(procNetAddress("0100007", true), undefined);
});
