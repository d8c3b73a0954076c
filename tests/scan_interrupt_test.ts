/**
 * Interrupted and abandoned runs through the real CLI: a scan sent SIGINT, SIGTERM or SIGHUP
 * while it collects stores what it found as an `interrupted` run, emits its summary and exits
 * 130, 143 or 129; a scan killed outright is marked `abandoned` by the next command that opens
 * the store; the run of a live process is left alone. Every child process has a deadline.
 *
 * The tree is slow to scan on purpose: a thousand hard links to one 16 MB file (about 19 GB to hash), which the IOC
 * makes the scan hash one by one (the collector does not share hashes between links).
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../store/mod.ts";
import { runCli } from "./_cli.ts";
import { repositoryRoot } from "./corpus.ts";

const LINKS = 1200;
const HIT_EVERY = 20;
const SIGNAL_AFTER_OBJECTS = 40;
const DEADLINE_MS = 60_000;
/** How long after the terminal's SIGINT the copy `deno task` relays may come (on a busy machine). */
const RELAYED_SIGNAL_DELAY_MS = 100;

interface Planted {
  root: string;
  tree: string;
  iocs: string;
}

function ioc(): string {
  const item = (id: string, search: string, condition: string, type: string, value: string) =>
    `<IndicatorItem id="${id}" condition="${condition}" negate="false" preserve-case="false">` +
    `<Context document="FileItem" search="${search}" type="mir"/>` +
    `<Content type="${type}">${value}</Content></IndicatorItem>`;
  return `<?xml version="1.0" encoding="us-ascii"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="interrupt-test" last-modified="2026-12-07T00:00:00">
  <short_description>interrupt test</short_description>
  <authored_date>2026-12-07T00:00:00</authored_date>
  <definition>
    <Indicator operator="OR" id="top">${
    item("name", "FileItem/FileName", "contains", "string", "-evil.exe")
  }${item("md5", "FileItem/Md5sum", "is", "md5", "00112233445566778899aabbccddeeff")}</Indicator>
  </definition>
</ioc>`;
}

/**
 * One 16 MB file and {@linkcode LINKS} hard links to it in 10 folders; one link in
 * {@linkcode HIT_EVERY} is named `*-evil.exe`, and each folder has some.
 */
async function plant(): Promise<Planted> {
  const root = await Deno.makeTempDir({ prefix: "iocscan-interrupt-" });
  const tree = join(root, "tree");
  const iocs = join(root, "iocs");
  await Deno.mkdir(iocs);
  await Deno.writeTextFile(join(iocs, "interrupt.ioc"), ioc());
  const original = join(root, "original.bin");
  const bytes = new Uint8Array(16 << 20);
  for (let at = 0; at < bytes.length; at += 65_536) {
    crypto.getRandomValues(bytes.subarray(at, at + 65_536));
  }
  await Deno.writeFile(original, bytes);
  for (let index = 0; index < LINKS; index++) {
    const folder = join(tree, `d${index % 10}`);
    if (index < 10) await Deno.mkdir(folder, { recursive: true });
    const hit = Math.floor(index / 10) % HIT_EVERY === 0;
    const name = hit ? `${index}-evil.exe` : `f${index}.bin`;
    await Deno.link(original, join(folder, name));
  }
  return { root, tree, iocs };
}

type Event = { type: string; [key: string]: unknown };

interface Finished {
  code: number;
  signal: Deno.Signal | null;
  events: Event[];
  stderr: string;
}

/** Whether `event` is the progress event after which a test signals the scan. */
const pastSignalPoint = (event: Event) =>
  event.type === "progress" && Number(event.objects) >= SIGNAL_AFTER_OBJECTS;

/**
 * Runs the CLI, reading its events as they come; once a progress event counts
 * {@linkcode SIGNAL_AFTER_OBJECTS} objects, sends `signal` (when given). Kills it at the deadline.
 */
async function runSignalled(args: string[], signal?: Deno.Signal): Promise<Finished> {
  let sent = false;
  const run = await runCli(args, {
    cwd: repositoryRoot,
    deadlineMs: DEADLINE_MS,
    onEvent: (event, control) => {
      if (signal && !sent && pastSignalPoint(event)) {
        sent = true;
        control.kill(signal);
      }
    },
  });
  ok(!run.late, `killed at the deadline: ${args.join(" ")}`);
  if (signal) ok(sent, `the scan ended before ${SIGNAL_AFTER_OBJECTS} objects`);
  return { code: run.code, signal: run.signal, events: run.events, stderr: run.stderr };
}

const scanArgs = (planted: Planted, db: string) => [
  "scan",
  "--ioc",
  planted.iocs,
  "--scope",
  planted.tree,
  "--db",
  db,
  "--json",
];

function evidenceObjects(detections: readonly object[]): string[] {
  return detections
    .flatMap((detection) =>
      (detection as { evidence: { object: string }[] }).evidence.map((item) => item.object)
    )
    .sort();
}

for (
  const [signal, exitCode] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const
) {
  Deno.test(`iocscan scan: ${signal} mid-scan stores what was found as an interrupted run, emits the summary and exits ${exitCode}`, async () => {
    const planted = await plant();
    try {
      const db = join(planted.root, "results.db");
      const scan = await runSignalled(scanArgs(planted, db), signal);
      deepStrictEqual(scan.code, exitCode, scan.stderr);
      deepStrictEqual(scan.signal, null);
      ok(scan.stderr.includes(`interrupted by ${signal}`), scan.stderr);

      const summary = scan.events.at(-1)!;
      deepStrictEqual(summary.type, "summary");
      deepStrictEqual(summary.status, "interrupted");
      deepStrictEqual(summary.signal, signal);
      deepStrictEqual(summary.runId, 1);
      const objects = Number(summary.objects);
      ok(objects >= SIGNAL_AFTER_OBJECTS && objects < LINKS, `objects: ${objects}`);

      const detections = scan.events.filter((event) => event.type === "detection");
      deepStrictEqual(detections.length, 1);
      deepStrictEqual(summary.detections, 1);
      const found = evidenceObjects(detections);
      ok(found.length >= 1 && found.length < LINKS / HIT_EVERY, `evidence: ${found.length}`);
      const warning = scan.events.find((event) =>
        event.type === "warning" && event.code === "scan-interrupted"
      );
      ok(warning, "a scan-interrupted warning");

      const store = await openStore(db, { create: false });
      try {
        const details = await store.getRun(1);
        ok(details);
        deepStrictEqual(details.run.status, "interrupted");
        ok(details.run.finished !== null);
        deepStrictEqual(details.run.counts.objects, objects);
        deepStrictEqual(evidenceObjects(details.detections), found);
        ok(details.warnings.some((stored) => stored.code === "scan-interrupted"));
      } finally {
        await store.close();
      }
    } finally {
      await Deno.remove(planted.root, { recursive: true });
    }
  });
}

Deno.test("iocscan scan: stopped by the end of stdin (--stop-on-stdin-close), the run is interrupted with exit 130", async () => {
  const planted = await plant();
  try {
    const db = join(planted.root, "results.db");
    const run = await runCli([...scanArgs(planted, db), "--stop-on-stdin-close"], {
      cwd: repositoryRoot,
      holdStdin: true,
      deadlineMs: DEADLINE_MS,
      onEvent: async (event, control) => {
        if (pastSignalPoint(event)) await control.closeStdin();
      },
    });
    deepStrictEqual(run.code, 130, run.stderr);
    const summary = run.events.at(-1)!;
    deepStrictEqual(summary.type, "summary");
    deepStrictEqual(summary.status, "interrupted");
    deepStrictEqual(summary.signal, "SIGINT");
    deepStrictEqual(summary.via, "stdin");
    ok(Number(summary.objects) < LINKS);
  } finally {
    await Deno.remove(planted.root, { recursive: true });
  }
});

/** `iocscan results --db DB --json`: the run events. */
async function storedRuns(db: string): Promise<Event[]> {
  const results = await runSignalled(["results", "--db", db, "--json"]);
  deepStrictEqual(results.code, 0, results.stderr);
  return results.events.filter((event) => event.type === "run");
}

Deno.test("iocscan results: a scan killed with SIGKILL is marked abandoned by the next command that opens the store", async () => {
  const planted = await plant();
  try {
    const db = join(planted.root, "results.db");
    const scan = await runSignalled(scanArgs(planted, db), "SIGKILL");
    deepStrictEqual(scan.signal, "SIGKILL");
    deepStrictEqual(scan.events.filter((event) => event.type === "summary"), []);

    const runs = await storedRuns(db);
    deepStrictEqual(runs.map((run) => [run.id, run.status]), [[1, "abandoned"]]);
    const text = await runCli(["results", "--db", db, "--run", "1"], { cwd: repositoryRoot });
    const shown = text.stdout;
    ok(/Run 1 · abandoned/.test(shown), shown);
    ok(/run-abandoned: the process that ran this run \(pid \d+\) was gone/.test(shown), shown);
  } finally {
    await Deno.remove(planted.root, { recursive: true });
  }
});

Deno.test("iocscan scan: a second signal while the scan finishes exits at once; the run is then abandoned", async () => {
  const planted = await plant();
  try {
    const db = join(planted.root, "results.db");
    let interrupted = false;
    const run = await runCli(scanArgs(planted, db), {
      cwd: repositoryRoot,
      deadlineMs: DEADLINE_MS,
      // SIGTERM as soon as the scan says it is finishing after the SIGINT.
      onStderr: (text, control) => {
        if (text.includes("storing what was found so far")) control.kill("SIGTERM");
      },
      onEvent: (event, control) => {
        if (!interrupted && pastSignalPoint(event)) {
          interrupted = true;
          control.kill("SIGINT");
        }
      },
    });
    deepStrictEqual(run.code, 143, run.stderr);
    deepStrictEqual(run.events.filter((event) => event.type === "summary"), []);
    deepStrictEqual((await storedRuns(db)).map((run) => run.status), ["abandoned"]);
  } finally {
    await Deno.remove(planted.root, { recursive: true });
  }
});

Deno.test("iocscan scan: one Ctrl-C delivered twice at once (the terminal signals the group, `deno task` relays it) still stores an interrupted run", async () => {
  const planted = await plant();
  try {
    const db = join(planted.root, "results.db");
    let sent = false;
    const run = await runCli(scanArgs(planted, db), {
      cwd: repositoryRoot,
      deadlineMs: DEADLINE_MS,
      onEvent: async (event, control) => {
        if (!sent && pastSignalPoint(event)) {
          sent = true;
          control.kill("SIGINT");
          await new Promise((resolve) => setTimeout(resolve, RELAYED_SIGNAL_DELAY_MS));
          control.kill("SIGINT");
        }
      },
    });
    const text = run.stderr;
    ok(sent, "the scan ended before the signal");
    deepStrictEqual(run.code, 130, text);
    deepStrictEqual(run.events.at(-1)?.type, "summary", text);
    deepStrictEqual(run.events.at(-1)?.status, "interrupted");
    deepStrictEqual((await storedRuns(db)).map((run) => run.status), ["interrupted"]);
  } finally {
    await Deno.remove(planted.root, { recursive: true });
  }
});

Deno.test("iocscan results: the running run of a live process stays running; one whose pid now names a process started at another time is abandoned", async () => {
  const root = await Deno.makeTempDir({ prefix: "iocscan-live-" });
  try {
    const db = join(root, "results.db");
    const store = await openStore(db);
    try {
      await store.startRun({ iocFiles: [] });
      await store.startRun({
        iocFiles: [],
        process: { pid: Deno.pid, startedAt: "2001-01-01T00:00:00.000Z" },
      });
    } finally {
      await store.close();
    }
    // The engine runs with all permissions, so it reads start times from /proc on Linux;
    // elsewhere a live pid is taken as the run's process.
    const reused = Deno.build.os === "linux" ? "abandoned" : "running";
    deepStrictEqual((await storedRuns(db)).map((run) => run.status), ["running", reused]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
