/**
 * A results database on a disk that fills up during the scan, through the real CLI: the scan
 * names SQLite's own error ("database or disk is full"), not the failed ROLLBACK that used to
 * hide it, ends with its summary (status `failed`, exit code 2), and the run is stored as
 * `failed`, or, when even that cannot be written, found `abandoned` by the next command.
 *
 * The disk is a tmpfs of a few hundred KB, mounted for the test: that needs root (or
 * CAP_SYS_ADMIN); elsewhere the test says loudly that it skips. store_run_test.ts checks the
 * same handling without root, with SQLite's max_page_count.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "./_cli.ts";
import { repositoryRoot } from "./corpus.ts";

/** Sizes at which the database opens but the scan's writes do not all fit (tried in turn). */
const TMPFS_SIZES = ["320k", "400k"];
const SKIPPED_LINKS = 3000;

type Event = { type: string; [key: string]: unknown };

async function command(program: string, args: string[]): Promise<Deno.CommandOutput> {
  return await new Deno.Command(program, { args, stdout: "piped", stderr: "piped" }).output();
}

/** Mounts a tmpfs of `size` on `dir`; the reason it cannot, or undefined when mounted. */
async function mountTmpfs(dir: string, size: string): Promise<string | undefined> {
  if (Deno.build.os !== "linux") return "not Linux";
  try {
    // mode=0700: a tmpfs root is 1777 by default, a folder every user can write, which the store
    // refuses (store/store_permissions.ts).
    const mounted = await command("mount", [
      "-t",
      "tmpfs",
      "-o",
      `size=${size},mode=0700`,
      "tmpfs",
      dir,
    ]);
    return mounted.success ? undefined : new TextDecoder().decode(mounted.stderr).trim();
  } catch (error) {
    return (error as Error).message;
  }
}

async function plant(root: string): Promise<{ tree: string; iocs: string }> {
  const tree = join(root, "tree");
  const iocs = join(root, "iocs");
  await Deno.mkdir(tree);
  await Deno.mkdir(iocs);
  // Symbolic links are skipped objects, each stored in the run: thousands of rows.
  for (let index = 0; index < SKIPPED_LINKS; index++) {
    await Deno.symlink("/etc/hostname", join(tree, `skipped-link-with-a-long-name-${index}`));
  }
  for (let index = 0; index < 50; index++) {
    await Deno.writeTextFile(join(tree, `${index}-evil.exe`), "x");
  }
  await Deno.writeTextFile(
    join(iocs, "evil.ioc"),
    `<?xml version="1.0" encoding="us-ascii"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="disk-full" last-modified="2026-12-07T00:00:00">
  <short_description>disk full</short_description>
  <authored_date>2026-12-07T00:00:00</authored_date>
  <definition>
    <Indicator operator="OR" id="top">
      <IndicatorItem id="n" condition="contains" negate="false" preserve-case="false">
        <Context document="FileItem" search="FileItem/FileName" type="mir"/>
        <Content type="string">-evil.exe</Content>
      </IndicatorItem>
    </Indicator>
  </definition>
</ioc>`,
  );
  return { tree, iocs };
}

async function cli(...args: string[]): Promise<{ code: number; events: Event[]; stderr: string }> {
  const output = await runCli<Event>(args, { cwd: repositoryRoot, deadlineMs: 60_000 });
  return { code: output.code, events: output.events, stderr: output.stderr };
}

Deno.test("iocscan scan: a disk that fills up is named, the run is failed, the summary is emitted", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "iocscan-disk-full-" });
  try {
    const planted = await plant(root);
    for (const size of TMPFS_SIZES) {
      const disk = join(root, `disk-${size}`);
      await Deno.mkdir(disk);
      const refused = await mountTmpfs(disk, size);
      if (refused !== undefined) {
        console.error(
          `\n*** SKIPPING the full-disk CLI test: cannot mount a tmpfs (${refused}); ` +
            "run the tests as root to include it (store_run_test.ts covers it without) ***\n",
        );
        return;
      }
      await t.step(`tmpfs of ${size}`, async () => {
        try {
          const db = join(disk, "results.db");
          const scan = await cli(
            "scan",
            "--ioc",
            planted.iocs,
            "--scope",
            planted.tree,
            "--db",
            db,
            "--json",
          );
          deepStrictEqual(scan.code, 2, scan.stderr);
          const failures = scan.events.filter((event) =>
            event.type === "warning" && event.code === "store-failed"
          );
          ok(failures.length > 0, JSON.stringify(scan.events.filter((e) => e.type === "warning")));
          ok(
            failures.some((event) => /database or disk is full/.test(String(event.message))),
            JSON.stringify(failures),
          );
          ok(!/cannot rollback/.test(JSON.stringify(scan.events) + scan.stderr));
          const summary = scan.events.at(-1)!;
          deepStrictEqual([summary.type, summary.status, summary.runId], ["summary", "failed", 1]);
          deepStrictEqual(summary.detections, 1);
          ok(scan.events.some((event) => event.type === "detection"), "the detection is emitted");

          const listed = await cli("results", "--db", db, "--json");
          deepStrictEqual(listed.code, 0, listed.stderr);
          const run = listed.events.find((event) => event.type === "run")!;
          // "failed" when the store could still say so; otherwise the run was left running and
          // the results command, finding the scan's process gone, marked it abandoned.
          const markedFailed = !failures.some((event) =>
            /could not mark run 1 failed either/.test(String(event.message))
          );
          deepStrictEqual(run.status, markedFailed ? "failed" : "abandoned");
        } finally {
          await command("umount", [disk]);
        }
      });
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
