import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { encodeTable } from "../../windows/layouts/_tcp_table_encoder.ts";
import { decodeTcpTable, decodeUdpTable } from "../../windows/layouts/tcp_table_rows.ts";
import { errorInsufficientBuffer, noError } from "../../windows/layouts/tcp_tables.ts";
import { portKey } from "./port_record.ts";
import { windowsRowsToRecords } from "./windows_records.ts";
import { readTable } from "./windows_source.ts";
import type { WindowsImage } from "./windows_records.ts";

const observedAt = "2026-12-07T03:00:00.000Z";
const images: Record<number, WindowsImage> = {
  4242: { imagePath: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" },
  666: { error: "OpenProcess failed with Windows error 5" },
};
const imageOf = (pid: number) => images[pid] ?? { error: "no such process" };

Deno.test("windowsRowsToRecords: a TCP row becomes an endpoint with its owner named", () => {
  const { rows } = decodeTcpTable(
    encodeTable("tcp", "ipv4", [{
      local: [10, 0, 0, 5],
      localPort: 49812,
      remote: [103, 41, 124, 9],
      remotePort: 443,
      state: 5,
      pid: 4242,
      created: "2026-12-07T01:02:03.000Z",
    }]),
    "ipv4",
  );
  const [record] = windowsRowsToRecords(rows, imageOf, observedAt);
  deepStrictEqual(record, {
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
    path: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0",
    imagePath: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
    observedAt,
    unevaluated: {},
  });
  strictEqual(
    portKey(record!),
    "10.0.0.5:49812 → 103.41.124.9:443 ESTABLISHED (pid 4242 powershell.exe)",
  );
});

Deno.test("windowsRowsToRecords: UDP has no peer, a 0 FILETIME no time, a denied owner no image", () => {
  const { rows } = decodeUdpTable(
    encodeTable("udp", "ipv6", [{
      local: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
      localPort: 5353,
      pid: 666,
    }]),
    "ipv6",
  );
  const [record] = windowsRowsToRecords(rows, imageOf, observedAt);
  strictEqual(record!.localIP, "::1");
  strictEqual(record!.isIPv6, true);
  strictEqual(record!.remoteIP, undefined);
  strictEqual(record!.pid, 666);
  strictEqual(record!.process, undefined);
  deepStrictEqual(Object.keys(record!.unevaluated!).sort(), [
    "CreationTime",
    "path",
    "process",
    "remoteIP",
    "remotePort",
  ]);
  ok(record!.unevaluated!.process!.includes("Windows error 5"));
  strictEqual(portKey(record!), "UDP [::1]:5353 (pid 666)");
});

Deno.test("windowsRowsToRecords: pid 0 owns nothing, pid 4 is System without an image", () => {
  const { rows } = decodeTcpTable(
    encodeTable("tcp", "ipv4", [
      {
        local: [127, 0, 0, 1],
        localPort: 1,
        remote: [127, 0, 0, 1],
        remotePort: 2,
        state: 11,
        pid: 0,
      },
      {
        local: [0, 0, 0, 0],
        localPort: 445,
        remote: [0, 0, 0, 0],
        remotePort: 0,
        state: 2,
        pid: 4,
      },
    ]),
    "ipv4",
  );
  const [timeWait, system] = windowsRowsToRecords(rows, imageOf, observedAt);
  strictEqual(timeWait!.pid, undefined);
  strictEqual(timeWait!.state, "TIME_WAIT");
  deepStrictEqual(Object.keys(timeWait!.unevaluated!), ["CreationTime"]);
  strictEqual(system!.process, "System");
  strictEqual(system!.state, "LISTENING");
  ok(system!.unevaluated!.path);
});

Deno.test("readTable asks the size, then reads, again while the table grows", () => {
  const sizes = [500, 9000];
  let calls = 0;
  const table = encodeTable("tcp", "ipv4", []);
  const result = readTable((buffer, size) => {
    calls++;
    if (buffer === null) {
      size[0] = sizes[0]!;
      return errorInsufficientBuffer;
    }
    if (calls === 2) {
      size[0] = sizes[1]!;
      return errorInsufficientBuffer;
    }
    buffer.set(table);
    return noError;
  });
  ok("data" in result);
  strictEqual(calls, 3);
  ok(result.data.byteLength >= 9000);
  deepStrictEqual(readTable(() => 87), { error: "Windows error 87" });
  ok(
    "error" in readTable((_buffer, size) => {
      size[0] = 100;
      return errorInsufficientBuffer;
    }),
  );
});
