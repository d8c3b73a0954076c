/**
 * Host state benchmark: every process of this machine with its image digests
 * (`iocscan collect process --json`, which asks for every field, so MD5,
 * SHA-1 and SHA-256 of each image file, read once per file), against `ps -eo
 * pid,ppid,user,lstart,args` plus `sha256sum` of every `/proc/*\/exe` in the
 * same script, and every port (`iocscan collect port --json` against `ss
 * -tunap`). Both sides are whole processes timed end to end (Deno's start-up
 * included, once per iocscan command), median of several runs after a
 * warm-up.
 *
 *     deno run -P=test bench/host_state_bench.ts [--runs N]
 *
 * @module
 */
import { cliArgs, runCli } from "../tests/_cli.ts";
import { median, ratio, repeatRuns } from "./timing.ts";

const runs = Number(Deno.args[Deno.args.indexOf("--runs") + 1]) || 5;
if (Deno.build.os !== "linux") {
  console.error("*** host_state_bench: Linux only (it compares with ps and /proc) ***");
  Deno.exit(0);
}

/** The reference: ps, then sha256sum of each process's image through /proc (no deduplication). */
const reference = "ps -eo pid,ppid,user,lstart,args > /dev/null; " +
  'for exe in /proc/[0-9]*/exe; do sha256sum "$exe"; done > /dev/null 2>&1; ' +
  "ss -tunap > /dev/null; true";

async function timed(command: string, args: string[]): Promise<number> {
  const started = performance.now();
  const { code } = await new Deno.Command(command, {
    args,
    stdout: "null",
    stderr: "null",
  }).output();
  // iocscan exits 3 when some process could not be read (pid 1 in a sandbox): still timed.
  if (code !== 0 && code !== 3) throw new Error(`${command} exited with ${code}`);
  return performance.now() - started;
}

const probe = await runCli(["collect", "process", "--json"]);
const summary = probe.events.find((event) => event.type === "summary") as
  | { stats?: { processes?: number; images?: number; skipped?: number } }
  | undefined;
const stats = summary?.stats ?? {};
console.log(
  `processes: ${stats.processes}, distinct images hashed: ${stats.images}, skipped: ${stats.skipped}`,
);

const ports = await runCli(["collect", "port", "--json"]);
console.log(`ports: ${ports.events.filter((event) => event.type === "item").length}`);

const ours = median(
  await repeatRuns(
    runs,
    async () =>
      await timed(Deno.execPath(), cliArgs(["collect", "process", "--json"])) +
      await timed(Deno.execPath(), cliArgs(["collect", "port", "--json"])),
    1,
  ),
);
const theirs = median(await repeatRuns(runs, () => timed("sh", ["-c", reference]), 1));
console.log(
  `iocscan collect process (md5+sha1+sha256) + collect port: ${
    ours.toFixed(0)
  } ms (median of ${runs})`,
);
console.log(
  `ps -eo … + sha256sum /proc/*/exe + ss -tunap:            ${
    theirs.toFixed(0)
  } ms (median of ${runs})`,
);
console.log(`ratio (reference / iocscan): ${ratio(theirs, ours)}`);
