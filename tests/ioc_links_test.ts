/**
 * IOC files that are not what their name says, through the real CLI: a `.ioc`
 * link in an IOC folder to /proc/self/pagemap (reads for gigabytes while its
 * size says 0), to a FIFO (an open that waits for a writer forever), to
 * /proc/kmsg (a read that waits for kernel messages forever). Each must be
 * rejected at once, naming the file and why, and the other files must load.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { ioc10, item10 } from "../openioc/_ioc_fixtures.ts";
import { runCli } from "./_cli.ts";
import { repositoryRoot } from "./corpus.ts";

const linux = Deno.build.os === "linux";

/** Runs the CLI with a deadline; a hang fails the test instead of stalling the suite. */
async function iocscan(args: string[]) {
  // A backstop only, never the assertion: the runs below take well under a second of work.
  const output = await runCli(args, { cwd: repositoryRoot, deadlineMs: 60_000 });
  return {
    code: output.code,
    signal: output.signal,
    events: output.events as Record<string, unknown>[],
    stderr: output.stderr,
  };
}

async function linkFolder(): Promise<{ root: string; iocs: string; fifo: string }> {
  const root = await Deno.makeTempDir({ prefix: "iocscan-links-" });
  const iocs = join(root, "iocs");
  await Deno.mkdir(iocs);
  const good = ioc10(
    `<Indicator operator="OR" id="t">${item10("a", "is", "FileItem/FileName", "x")}</Indicator>`,
    { id: "good" },
  );
  await Deno.writeTextFile(join(iocs, "good.ioc"), good);
  await Deno.writeTextFile(join(root, "outside.ioc"), good.replace('id="good"', 'id="outside"'));
  const fifo = join(root, "pipe");
  const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
  strictEqual(made.success, true, "mkfifo failed");
  await Deno.symlink("/proc/self/pagemap", join(iocs, "pagemap.ioc"));
  await Deno.symlink("/proc/kmsg", join(iocs, "kmsg.ioc"));
  await Deno.symlink(fifo, join(iocs, "fifo.ioc"));
  await Deno.symlink(join(root, "outside.ioc"), join(iocs, "elsewhere.ioc"));
  await Deno.mkdir(join(iocs, "sub"));
  await Deno.symlink(join(iocs, "good.ioc"), join(iocs, "sub", "inside.ioc"));
  return { root, iocs, fifo };
}

function byFile(events: Record<string, unknown>[], type: string, iocs: string) {
  return Object.fromEntries(
    events.filter((event) => event.type === type).map((event) => [
      (event.file as string).slice(iocs.length + 1),
      type === "rejected" ? event.error : event.id,
    ]),
  );
}

Deno.test({
  name: "iocscan indicators rejects .ioc links out of the folder (pagemap, kmsg, FIFO) at once",
  ignore: !linux,
  async fn() {
    const { root, iocs } = await linkFolder();
    try {
      const listed = await iocscan(["indicators", iocs, "--json"]);
      strictEqual(listed.signal, null, "the command hung and was killed");
      strictEqual(listed.code, 3, `files not loaded: incomplete\n${listed.stderr}`);
      // The good file and the link that stays inside the folder load.
      deepStrictEqual(byFile(listed.events, "ioc", iocs), {
        "good.ioc": "good",
        "sub/inside.ioc": "good",
      });
      const rejected = byFile(listed.events, "rejected", iocs) as Record<string, string>;
      deepStrictEqual(Object.keys(rejected).sort(), [
        "elsewhere.ioc",
        "fifo.ioc",
        "kmsg.ioc",
        "pagemap.ioc",
      ]);
      for (const [file, error] of Object.entries(rejected)) {
        ok(error.includes(`outside the IOC folder ${iocs}: not followed`), `${file}: ${error}`);
      }
      ok(rejected["fifo.ioc"]!.includes(join(root, "pipe")), rejected["fifo.ioc"]);
      ok(/\/proc\/\d+\/pagemap/.test(rejected["pagemap.ioc"]!), rejected["pagemap.ioc"]);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "iocscan with --follow-ioc-links still rejects pagemap, kmsg and the FIFO at once, reading nothing past the limit",
  ignore: !linux,
  async fn() {
    const { root, iocs } = await linkFolder();
    try {
      const listed = await iocscan(["indicators", iocs, "--json", "--follow-ioc-links"]);
      strictEqual(listed.signal, null, "the command hung and was killed");
      strictEqual(listed.code, 3, `files not loaded: incomplete\n${listed.stderr}`);
      deepStrictEqual(byFile(listed.events, "ioc", iocs), {
        "elsewhere.ioc": "outside",
        "good.ioc": "good",
        "sub/inside.ioc": "good",
      });
      const rejected = byFile(listed.events, "rejected", iocs) as Record<string, string>;
      deepStrictEqual(Object.keys(rejected).sort(), ["fifo.ioc", "kmsg.ioc", "pagemap.ioc"]);
      // The FIFO is never opened for reading: it is not a regular file (the walk says so, or
      // the opened descriptor does).
      ok(/not a regular file/.test(rejected["fifo.ioc"]!), rejected["fifo.ioc"]);
      // pagemap says size 0 and is read only up to the limit (or refuses the read).
      ok(/more than the \d+-byte limit|cannot read/.test(rejected["pagemap.ioc"]!));
      // kmsg would block: refused to open or to read, never waited on.
      ok(/would block|permission denied|cannot read/.test(rejected["kmsg.ioc"]!));

      // A scan through the task-file key does the same and still evaluates the good files.
      const taskFile = join(root, "task.json");
      await Deno.writeTextFile(
        taskFile,
        JSON.stringify({
          version: 1,
          iocPaths: [iocs],
          scopes: [join(root, "iocs", "sub")],
          followIocLinks: true,
          databasePath: join(root, "results.db"),
        }),
      );
      const scan = await iocscan(["scan", "--task", taskFile, "--json"]);
      strictEqual(scan.signal, null, "the scan hung and was killed");
      strictEqual(scan.code, 0, scan.stderr);
      deepStrictEqual(
        Object.keys(byFile(scan.events, "rejected", iocs)).sort(),
        ["fifo.ioc", "kmsg.ioc", "pagemap.ioc"],
      );
      strictEqual(scan.events.at(-1)!.iocs, 2);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
