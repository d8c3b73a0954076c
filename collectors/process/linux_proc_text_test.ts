import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { bootTimeOf, effectiveUidOf, parseProcStat, startTimeOf } from "./linux_proc_text.ts";

Deno.test("parseProcStat takes comm between the first ( and the last ), spaces and ) included", () => {
  const stat = parseProcStat(
    "4242 (evil) S 1 (x) R 1 4242 4242 0 -1 4194560 0 0 0 0 7 3 0 0 20 0 1 0 98765 1000 100\n",
  );
  deepStrictEqual(stat, {
    pid: 4242,
    comm: "evil) S 1 (x",
    state: "R",
    ppid: 1,
    flags: 4194560,
    utime: 7,
    stime: 3,
    starttime: 98765,
  });
  strictEqual(parseProcStat("garbage"), undefined);
  strictEqual(parseProcStat("12 (x) S"), undefined);
});

Deno.test("effectiveUidOf reads the second uid of status; bootTimeOf reads btime", () => {
  strictEqual(effectiveUidOf("Name:\tx\nUid:\t1000\t0\t0\t0\n"), 0);
  strictEqual(effectiveUidOf("Name:\tx\n"), undefined);
  strictEqual(bootTimeOf("cpu 1 2\nbtime 1700000000\n"), 1_700_000_000);
  strictEqual(bootTimeOf("cpu 1 2\n"), undefined);
});

Deno.test("startTimeOf adds the start in clock ticks to the boot time, in UTC", () => {
  strictEqual(startTimeOf(1_700_000_000, 12_345, 100), "2023-11-14T22:15:23.450Z");
});
