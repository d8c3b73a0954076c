/**
 * Evidence files that would block (a FIFO, `/proc/kmsg`) given to the real
 * CLI through `--hive`, `--evtx` and `--root`: each run finishes with the file
 * skipped by name, nothing read from it. A kill after two minutes keeps a
 * regression from hanging the suite; the assertions are on the events.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { type LooseEvent, runCli } from "./_cli.ts";

const posix = Deno.build.os !== "windows";
/** Only a fail-safe against a hang: nothing is asserted about time. */
const KILL_AFTER_MS = 120_000;

async function collect(args: string[]) {
  const output = await runCli<LooseEvent>(["collect", ...args, "--json"], {
    deadlineMs: KILL_AFTER_MS,
  });
  return { code: output.code, events: output.events };
}

function mkfifo(path: string): void {
  const made = new Deno.Command("mkfifo", { args: [path] }).outputSync();
  ok(made.success, `mkfifo ${path}`);
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-blocking-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "iocscan collect registry --hive: a link to a FIFO is skipped as special-file",
  ignore: !posix,
  fn: () =>
    withDir(async (dir) => {
      mkfifo(join(dir, "fifo"));
      await Deno.symlink(join(dir, "fifo"), join(dir, "SYSTEM"));
      const { code, events } = await collect(["registry", "--hive", join(dir, "SYSTEM")]);
      const skipped = events.filter((e) => e.type === "skipped");
      deepStrictEqual(skipped.map((e) => [e.object, e.reason]), [[
        join(dir, "SYSTEM"),
        "special-file",
      ]]);
      deepStrictEqual(events.at(-1).failedHives, 1);
      deepStrictEqual(code, 2);
    }),
});

Deno.test({
  name: "iocscan collect registry --hive: a link to /proc/kmsg is never read",
  ignore: !posix || !canOpen("/proc/kmsg"),
  fn: () =>
    withDir(async (dir) => {
      await Deno.symlink("/proc/kmsg", join(dir, "NTUSER.DAT"));
      const { events } = await collect(["registry", "--hive", join(dir, "NTUSER.DAT")]);
      const skipped = events.filter((e) => e.type === "skipped");
      deepStrictEqual(skipped.length, 1);
      deepStrictEqual(skipped[0].object, join(dir, "NTUSER.DAT"));
      deepStrictEqual(skipped[0].reason, "special-file");
      // Kernel state: never read (a read would consume or wait for kernel messages).
      deepStrictEqual(
        skipped[0].detail,
        "leads to /proc/kmsg, in a pseudo file system (kernel state, never read)",
      );
    }),
});

Deno.test({
  name: "iocscan collect eventlog --evtx: a FIFO named x.evtx in a folder is skipped",
  ignore: !posix,
  fn: () =>
    withDir(async (dir) => {
      mkfifo(join(dir, "x.evtx"));
      await Deno.symlink(join(dir, "x.evtx"), join(dir, "link.evtx"));
      const { events } = await collect(["eventlog", "--evtx", dir]);
      const skipped = events.filter((e) => e.type === "skipped");
      // The folder's only logs are no files: the folder itself was not read either.
      deepStrictEqual(
        skipped.map((e) => [e.object, e.reason]).sort(),
        [[dir, "not-found"], [join(dir, "link.evtx"), "special-file"], [
          join(dir, "x.evtx"),
          "special-file",
        ]],
      );
      deepStrictEqual(events.at(-1).files, 0);
    }),
});

Deno.test({
  name: "iocscan collect eventlog --evtx: a FIFO given directly is skipped",
  ignore: !posix,
  fn: () =>
    withDir(async (dir) => {
      mkfifo(join(dir, "Security.evtx"));
      const { events } = await collect(["eventlog", "--evtx", join(dir, "Security.evtx")]);
      const skipped = events.filter((e) => e.type === "skipped");
      deepStrictEqual(skipped.map((e) => [e.object, e.reason]), [[
        join(dir, "Security.evtx"),
        "special-file",
      ]]);
    }),
});

Deno.test({
  name:
    "iocscan collect eventlog --evtx: a link into /proc (as to /proc/kcore, a 128 TB 'regular file') is never read",
  ignore: Deno.build.os !== "linux" || !canOpen("/proc/version"),
  fn: () =>
    withDir(async (dir) => {
      await Deno.symlink("/proc/version", join(dir, "System.evtx"));
      const { events } = await collect(["eventlog", "--evtx", join(dir, "System.evtx")]);
      const skipped = events.filter((e) => e.type === "skipped");
      deepStrictEqual(skipped.map((e) => [e.object, e.reason, e.detail]), [[
        join(dir, "System.evtx"),
        "special-file",
        "leads to /proc/version, in a pseudo file system (kernel state, never read)",
      ]]);
      deepStrictEqual(events.at(-1).bytes, 0);
    }),
});

Deno.test({
  name: "iocscan collect registry --root: a SYSTEM hive that links to a FIFO is skipped by name",
  ignore: !posix,
  fn: () =>
    withDir(async (dir) => {
      const config = join(dir, "image", "Windows", "System32", "config");
      await Deno.mkdir(config, { recursive: true });
      // Inside the image (a link leading out of it is refused before this: evidence_root_links_test).
      mkfifo(join(dir, "image", "fifo"));
      await Deno.symlink(join(dir, "image", "fifo"), join(config, "SYSTEM"));
      mkfifo(join(config, "SAM"));
      const { events } = await collect(["registry", "--root", join(dir, "image")]);
      const skipped = events.filter((e) => e.type === "skipped");
      deepStrictEqual(
        skipped.map((e) => [e.object, e.reason]).sort(),
        [[join(config, "SAM"), "special-file"], [join(config, "SYSTEM"), "special-file"]],
      );
      deepStrictEqual(events.at(-1).failedHives, 2);
    }),
});

/** Whether the engine (all permissions) could open `path`; the tests run with fewer. */
function canOpen(path: string): boolean {
  try {
    return new Deno.Command("test", { args: ["-r", path] }).outputSync().success;
  } catch {
    return false;
  }
}

Deno.test({
  name:
    "iocscan scan --evidence: a link to /proc/kmsg and a FIFO are not recognised, and never read",
  ignore: !posix || !canOpen("/proc/kmsg"),
  fn: () =>
    withDir(async (dir) => {
      await Deno.symlink("/proc/kmsg", join(dir, "evidence.bin"));
      mkfifo(join(dir, "fifo.evtx"));
      await Deno.writeTextFile(
        join(dir, "run.ioc"),
        `<?xml version="1.0" encoding="utf-8"?>
<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="x" last-modified="2026-11-28T00:00:00" published-date="2026-11-28T00:00:00">
  <metadata><short_description>x</short_description><authored_date>2026-11-28T00:00:00</authored_date></metadata>
  <criteria><Indicator operator="OR" id="top"><IndicatorItem id="i" condition="is" negate="false" preserve-case="false"><Context document="RegistryItem" search="RegistryItem/ValueName" type="mir"/><Content type="string">Run</Content></IndicatorItem></Indicator></criteria>
</OpenIOC>`,
      );
      const output = await runCli([
        "scan",
        "--ioc",
        join(dir, "run.ioc"),
        "--evidence",
        join(dir, "evidence.bin"),
        join(dir, "fifo.evtx"),
        "--db",
        join(dir, "r.db"),
        "--json",
      ], { deadlineMs: KILL_AFTER_MS });
      // No evidence is readable: the scan stops before anything runs (exit 2), naming why for
      // each, and never falls back to scanning this machine.
      deepStrictEqual(output.code, 2);
      const stderr = output.stderr;
      ok(
        stderr.includes(
          "special-file: leads to /proc/kmsg, in a pseudo file system (kernel state, never read)",
        ),
        stderr,
      );
      ok(stderr.includes("fifo.evtx: not a regular file"), stderr);
    }),
});
