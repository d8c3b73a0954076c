import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import {
  installIsolationTasks,
  isolationCronLines,
  isolationUnits,
  systemdQuote,
  TASK_UNIT_NAMES,
} from "./task_units.ts";

Deno.test("isolationUnits: the boot unit, the check unit and its 60 s timer, --db after the verb", () => {
  const units = isolationUnits(["/usr/local/bin/iocscan"], ["--db", "/var/lib/x y/r.db"]);
  deepStrictEqual(units.map((unit) => unit.name), [
    TASK_UNIT_NAMES.boot,
    TASK_UNIT_NAMES.check,
    TASK_UNIT_NAMES.timer,
  ]);
  ok(
    units[0]?.text.includes(
      'ExecStart=/usr/local/bin/iocscan isolation boot --db "/var/lib/x y/r.db"',
    ),
  );
  ok(units[0]?.text.includes("Before=network-pre.target"));
  ok(units[1]?.text.includes("isolation check --db"));
  ok(units[2]?.text.includes("OnUnitActiveSec=60"));
  strictEqual(systemdQuote('a"b$c%d\\'), '"a\\"b$$c%%d\\\\"');
  strictEqual(
    isolationCronLines(["/usr/local/bin/iocscan"]),
    "@reboot root /usr/local/bin/iocscan isolation boot\n* * * * * root /usr/local/bin/iocscan isolation check\n",
  );
});

Deno.test("installIsolationTasks writes to a given folder and runs nothing; says so without systemd", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const ran: string[] = [];
    const run = (command: string) => {
      ran.push(command);
      return Promise.resolve({ code: 0, stdout: "", stderr: "" });
    };
    const done = await installIsolationTasks({
      launcher: ["iocscan"],
      unitDir: join(dir, "units"),
      run,
      systemdRuns: () => true,
    });
    strictEqual(done, `units written to ${join(dir, "units")} (not enabled)`);
    deepStrictEqual(ran, []);
    strictEqual((await Array.fromAsync(Deno.readDir(join(dir, "units")))).length, 3);
    const none = await installIsolationTasks({
      launcher: ["iocscan"],
      run,
      systemdRuns: () => false,
    });
    ok(/systemd does not run here/.test(none));
    deepStrictEqual(ran, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
