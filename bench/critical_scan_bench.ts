/**
 * Critical-areas scan benchmark: `iocscan critical-scan --antivirus none`
 * with one FileItem Md5sum IOC (so every distinct image and module file of
 * every process, every autostart image and every kernel module file is
 * hashed once), against two shell references over the same files: `ps`
 * plus `md5sum` of the distinct process images (`/proc/*\/exe`, resolved)
 * and distinct file-backed executable mappings of `/proc/*\/maps`, hashed
 * by one `md5sum` through `xargs` (the fair one: each file once, the same
 * digest), and the naive script that runs one `sha256sum` per process image
 * and per mapping (a fork per file, every process's image hashed again).
 * iocscan does more than either (autostart images, kernel module files, the
 * disks' boot records, the store). Both sides are whole processes timed end
 * to end, median of several runs after a warm-up. The antivirus is left out:
 * its time is the antivirus's, not iocscan's.
 *
 *     deno run -P=test bench/critical_scan_bench.ts [--runs N]
 *
 * @module
 */
import { join } from "node:path";
import { cliArgs, runCli } from "../tests/_cli.ts";
import { median, ratio, repeatRuns } from "./timing.ts";

const runs = Number(Deno.args[Deno.args.indexOf("--runs") + 1]) || 3;
if (Deno.build.os !== "linux") {
  console.error("*** critical_scan_bench: Linux only (it compares with ps and /proc) ***");
  Deno.exit(0);
}

/** The executable mappings' paths, one a line (the maps' sixth field, a path). */
const mappedPaths = "cat /proc/[0-9]*/maps 2>/dev/null | awk '$2 ~ /x/ && $6 ~ /^\\// {print $6}'";
/** The fair reference: ps, then one md5sum of each distinct image and mapped file. */
const batched = "ps -eo pid,args > /dev/null; " +
  '{ for exe in /proc/[0-9]*/exe; do readlink "$exe"; done 2>/dev/null; ' + mappedPaths +
  "; } | sort -u | tr '\\n' '\\0' | xargs -0 md5sum > /dev/null 2>&1; true";
/** The naive reference: ps, then a sha256sum per process image and per distinct mapped file. */
const perFile = "ps -eo pid,args > /dev/null; " +
  'for exe in /proc/[0-9]*/exe; do sha256sum "$exe"; done > /dev/null 2>&1; ' +
  "cat /proc/[0-9]*/maps 2>/dev/null | awk '$2 ~ /x/ && $6 ~ /^\\// {print $6}' | sort -u | " +
  'while read -r f; do sha256sum "$f"; done > /dev/null 2>&1; true';

const folder = await Deno.makeTempDir({ prefix: "iocscan-critical-bench-" });
try {
  await Deno.writeTextFile(
    join(folder, "bench.ioc"),
    `<?xml version="1.0" encoding="us-ascii"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="bench" last-modified="2026-12-07T00:00:00">
  <short_description>bench</short_description>
  <definition><Indicator operator="OR" id="bench-top">
    <IndicatorItem id="bench-1" condition="is" negate="false" preserve-case="false">
      <Context document="FileItem" search="FileItem/Md5sum" type="mir"/>
      <Content type="md5">00000000000000000000000000000001</Content>
    </IndicatorItem>
  </Indicator></definition>
</ioc>`,
  );
  const args = [
    "critical-scan",
    "--ioc",
    folder,
    "--antivirus",
    "none",
    "--json",
    "--db",
    join(folder, "results.db"),
  ];
  const probe = await runCli(args);
  const summary = probe.events.at(-1) as { objects?: number; findings?: number } | undefined;
  console.log(
    `objects (FileItem, AutorunItem): ${summary?.objects}, findings: ${summary?.findings}`,
  );

  const timed = async (command: string, commandArgs: string[]): Promise<number> => {
    const started = performance.now();
    const { code } = await new Deno.Command(command, {
      args: commandArgs,
      stdout: "null",
      stderr: "null",
    }).output();
    // 3: a process that could not be read, a file past the hashing cap: still timed.
    if (code !== 0 && code !== 3) throw new Error(`${command} exited with ${code}`);
    return performance.now() - started;
  };
  const ours = median(
    await repeatRuns(
      runs,
      () => timed(Deno.execPath(), cliArgs(args)),
      1,
    ),
  );
  const fair = median(await repeatRuns(runs, () => timed("sh", ["-c", batched]), 1));
  const naive = median(await repeatRuns(runs, () => timed("sh", ["-c", perFile]), 1));
  console.log(
    `iocscan critical-scan (md5 of every image and module): ${
      ours.toFixed(0)
    } ms (median of ${runs})`,
  );
  console.log(
    `ps + one md5sum of the distinct images and mappings: ${
      fair.toFixed(0)
    } ms (median of ${runs}); ratio (reference / iocscan): ${ratio(fair, ours)}`,
  );
  console.log(
    `ps + a sha256sum per /proc/*/exe and per distinct mapping: ${
      naive.toFixed(0)
    } ms (median of ${runs}); ratio (reference / iocscan): ${ratio(naive, ours)}`,
  );
} finally {
  await Deno.remove(folder, { recursive: true });
}
