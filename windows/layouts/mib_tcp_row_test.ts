import { deepStrictEqual, throws } from "node:assert/strict";
import { encodeMibTcpRow } from "./mib_tcp_row.ts";

Deno.test("encodeMibTcpRow: state LE, addresses in network order, ports big-endian in the low word", () => {
  const bytes = encodeMibTcpRow(
    { localAddress: "10.0.0.2", localPort: 49_152, remoteAddress: "203.0.113.9", remotePort: 443 },
    12,
  );
  deepStrictEqual(Array.from(bytes), [
    12,
    0,
    0,
    0,
    10,
    0,
    0,
    2,
    0xc0,
    0x00,
    0,
    0,
    203,
    0,
    113,
    9,
    0x01,
    0xbb,
    0,
    0,
  ]);
  throws(
    () =>
      encodeMibTcpRow({
        localAddress: "::1",
        localPort: 1,
        remoteAddress: "1.2.3.4",
        remotePort: 1,
      }, 12),
    /not an IPv4/,
  );
});
