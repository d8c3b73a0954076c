import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../../store/mod.ts";
import { ExitCode } from "../../contracts/exit_codes.ts";
import { runCli } from "../../tests/_cli.ts";
import { formatRunTable } from "../../report/mod.ts";
import { purgeResults, showResults } from "./results.ts";

/** Collects what a command writes to stdout. */
class Captured {
  readonly #chunks: Uint8Array[] = [];
  writeSync(bytes: Uint8Array): number {
    this.#chunks.push(bytes.slice());
    return bytes.length;
  }
  get text(): string {
    return new TextDecoder().decode(new Uint8Array(this.#chunks.flatMap((chunk) => [...chunk])));
  }
  get events(): Record<string, unknown>[] {
    return this.text.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line));
  }
}

/** SHA-256 of the seeded IOC file's content, `<ioc/>`. */
const evilSha256 = "dc9684b21b9e55186d5e95a925a685e8217471b47de6d4f992f05168cda79ae7";

/** A database with one finished run (one detection) and one older run, 40 days back. */
async function seed(dir: string): Promise<{ location: string; recent: number; old: number }> {
  const location = join(dir, "results.db");
  let clock = new Date(Date.now() - 40 * 86_400_000);
  const store = await openStore(location, { clock: () => clock, purgeOnStart: false });
  try {
    const old = await store.startRun({ taskName: "weekly", iocFiles: [] });
    await store.finishRun(old, { status: "completed", counts: { objects: 5, detections: 0 } });
    clock = new Date();
    const recent = await store.startRun({
      taskName: "nightly",
      host: "ws-01",
      user: "ann",
      iocFiles: [{
        file: "/iocs/evil.ioc",
        content: new TextEncoder().encode("<ioc/>"),
        iocs: [{ id: "ioc-1", name: "Evil dropper" }],
      }],
    });
    await store.addDetections(recent, [{
      type: "detection",
      ioc: {
        id: "ioc-1",
        sha256: evilSha256,
        name: "Evil dropper",
        file: "/iocs/evil.ioc",
        version: "1.1",
      },
      evidence: [{
        document: "FileItem",
        object: "/srv/drop.exe",
        indicator: "i-1",
        items: [{
          id: "item-1",
          search: "FileItem/Md5sum",
          condition: "is",
          negate: false,
          preserveCase: false,
          expected: "0cc175b9c0f1b6a831c399e269772661",
          observed: "0cc175b9c0f1b6a831c399e269772661",
        }],
      }],
    }]);
    await store.addSkipped(recent, [
      { type: "skipped", collector: "file", object: "/srv/fifo", reason: "special-file" },
    ]);
    await store.finishRun(recent, {
      status: "completed",
      counts: { objects: 3, detections: 1, skipped: 1, warnings: 0 },
    });
    return { location, recent, old };
  } finally {
    await store.close();
  }
}

Deno.test("showResults() lists runs as run events and a summary", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { location, recent, old } = await seed(dir);
    const out = new Captured();
    strictEqual(await showResults({ db: location, json: true }, out), ExitCode.Clean);
    const events = out.events;
    deepStrictEqual(events.map((event) => [event.type, event.id]), [
      ["run", old],
      ["run", recent],
      ["summary", undefined],
    ]);
    deepStrictEqual(events[1], {
      type: "run",
      id: recent,
      taskName: "nightly",
      host: "ws-01",
      user: "ann",
      started: events[1]!.started,
      finished: events[1]!.finished,
      status: "completed",
      options: {},
      counts: { objects: 3, detections: 1, skipped: 1, warnings: 0 },
    });
    deepStrictEqual(events[2], { type: "summary", runs: 2, database: location });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("showResults() filters by --since and --task", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { location, recent } = await seed(dir);
    const since = new Captured();
    await showResults(
      { db: location, json: true, since: new Date(Date.now() - 7 * 86_400_000) },
      since,
    );
    deepStrictEqual(
      since.events.filter((event) => event.type === "run").map((event) => event.id),
      [recent],
    );
    const task = new Captured();
    await showResults({ db: location, json: true, task: "weekly" }, task);
    deepStrictEqual(task.events.map((event) => event.taskName ?? event.type), [
      "weekly",
      "summary",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("showResults() with --run gives the run, its detections with evidence and a summary", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { location, recent } = await seed(dir);
    const out = new Captured();
    strictEqual(await showResults({ db: location, run: recent, json: true }, out), ExitCode.Clean);
    const [run, detection, summary, ...rest] = out.events;
    strictEqual(rest.length, 0);
    strictEqual(run?.type, "run");
    strictEqual(detection?.type, "detection");
    strictEqual(detection?.runId, recent);
    deepStrictEqual(detection?.ioc, {
      id: "ioc-1",
      sha256: evilSha256,
      name: "Evil dropper",
      file: "/iocs/evil.ioc",
      version: "1.1",
    });
    deepStrictEqual(
      (detection?.evidence as { object: string }[]).map((evidence) => evidence.object),
      [
        "/srv/drop.exe",
      ],
    );
    strictEqual(summary?.type, "summary");
    strictEqual(summary?.detections, 1);
    deepStrictEqual(summary?.skippedByReason, [{
      collector: "file",
      reason: "special-file",
      count: 1,
    }]);

    const text = new Captured();
    strictEqual(await showResults({ db: location, run: recent }, text), ExitCode.Clean);
    match(text.text, /Run \d+ · completed · task nightly/);
    match(text.text, /\/iocs\/evil\.ioc {2}sha256 [0-9a-f]{16}… {2}Evil dropper \[ioc-1\]/);
    match(text.text, /■ Evil dropper {2}\[ioc-1 sha256 dc9684b21b9e\]/);
    match(text.text, /FileItem\/Md5sum is "0cc175b9c0f1b6a831c399e269772661"/);
    match(text.text, /file\/special-file: 1/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("showResults() exits 2 for a missing database or run, creating nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = new Captured();
    strictEqual(await showResults({ db: join(dir, "none.db") }, out), ExitCode.Error);
    strictEqual(out.text, "");
    deepStrictEqual(await Array.fromAsync(Deno.readDir(dir)), []);
    const { location } = await seed(dir);
    strictEqual(await showResults({ db: location, run: 999 }, out), ExitCode.Error);
    await Deno.writeTextFile(join(dir, "junk.db"), "not a database at all, really not".repeat(50));
    strictEqual(await showResults({ db: join(dir, "junk.db") }, out), ExitCode.Error);
    strictEqual(out.text, "");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("purgeResults() deletes runs past --older-than-days and reports them", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { location, recent } = await seed(dir);
    const out = new Captured();
    strictEqual(
      await purgeResults({ db: location, olderThanDays: 30, json: true }, out),
      ExitCode.Clean,
    );
    deepStrictEqual(out.events, [{
      type: "summary",
      purgedRuns: 1,
      purgedIocContents: 0,
      olderThanDays: 30,
      database: location,
    }]);
    const listed = new Captured();
    await showResults({ db: location, json: true }, listed);
    deepStrictEqual(
      listed.events.filter((event) => event.type === "run").map((event) => event.id),
      [recent],
    );
    const text = new Captured();
    strictEqual(await purgeResults({ db: location, olderThanDays: 0 }, text), ExitCode.Clean);
    match(text.text, /^Purged 1 run started more than 0 days ago and 1 IOC file content/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("formatRunTable() aligns columns and says how to show one run", () => {
  const text = formatRunTable([{
    id: 7,
    taskName: null,
    host: "h",
    user: "u",
    started: "2026-11-28T00:00:00.000Z",
    finished: "2026-11-28T00:02:30.000Z",
    status: "completed",
    options: {},
    counts: { files: 10, detections: 2 },
  }], "/db");
  const [header, row] = text.split("\n");
  ok(header?.startsWith("RUN  STARTED (UTC)"));
  match(
    row ?? "",
    /^7 {4}2026-11-28 00:00:00 {2}2 min {5}completed {2}- {5}h {5}u {5}10 {7}2 {11}- {8}-$/,
  );
  match(text, /1 run in \/db\. Show one with: iocscan results --run ID/);
  strictEqual(formatRunTable([], "/db"), "No runs stored in /db.\n");
});

Deno.test("formatRunTable() shows interrupted and abandoned runs; an abandoned one has no duration", () => {
  const run = {
    taskName: null,
    host: "h",
    user: "u",
    started: "2026-11-28T00:00:00.000Z",
    finished: "2026-11-28T00:00:30.000Z",
    options: {},
    counts: {},
  };
  const rows = formatRunTable([
    { ...run, id: 1, status: "interrupted" },
    { ...run, id: 2, status: "abandoned" },
  ], "/db").split("\n");
  match(rows[1] ?? "", /^1 .* 30\.0 s {4}interrupted /);
  match(rows[2] ?? "", /^2 .* - {9}abandoned /);
});

Deno.test("iocscan results and results purge run from the CLI with their exit codes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { location, recent } = await seed(dir);
    const cli = async (...args: string[]) => {
      const output = await runCli(args);
      return { code: output.code, stdout: output.stdout };
    };
    const listed = await cli("results", "--db", location, "--json");
    strictEqual(listed.code, ExitCode.Clean);
    strictEqual(listed.stdout.trim().split("\n").length, 3);
    const one = await cli("results", "--db", location, "--run", String(recent), "--json");
    strictEqual(one.code, ExitCode.Clean);
    match(one.stdout, /"type":"detection"/);
    strictEqual((await cli("results", "--db", join(dir, "missing.db"))).code, ExitCode.Error);
    strictEqual(
      (await cli("results", "--db", location, "--since", "not-a-time")).code,
      ExitCode.Error,
    );
    const purged = await cli(
      "results",
      "purge",
      "--db",
      location,
      "--older-than-days",
      "30",
      "--json",
    );
    strictEqual(purged.code, ExitCode.Clean);
    match(purged.stdout, /"purgedRuns":1/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
