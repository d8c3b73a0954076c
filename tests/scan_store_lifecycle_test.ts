/**
 * Review tests of the scan around the results store that now opens while the first objects are
 * collected: a store that cannot open ends the scan at once with exit code 2 and nothing stored;
 * a store that opens records every run, also one whose collecting failed; the `deno bundle`
 * output hashes in its workers as the sources do. Every child process has a deadline.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { runScan } from "../scan/run_scan.ts";
import { openStore } from "../store/mod.ts";
import { cliArgs, cliMain, runProgram } from "./_cli.ts";
import { repositoryRoot } from "./corpus.ts";

function hashIoc(md5: string, sha256: string): string {
  const item = (id: string, search: string, value: string) =>
    `<IndicatorItem id="${id}" condition="is" negate="false" preserve-case="false">` +
    `<Context document="FileItem" search="${search}" type="mir"/>` +
    `<Content type="string">${value}</Content></IndicatorItem>`;
  return `<?xml version="1.0" encoding="us-ascii"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="review-hashes" last-modified="2026-11-28T00:00:00">
  <short_description>review hashes</short_description>
  <authored_date>2026-11-28T00:00:00</authored_date>
  <definition>
    <Indicator operator="OR" id="review-top">${item("m", "FileItem/Md5sum", md5)}${
    item("s", "FileItem/Sha256sum", sha256)
  }</Indicator>
  </definition>
</ioc>`;
}

interface Planted {
  root: string;
  tree: string;
  iocs: string;
  /** The files the IOC matches, sorted. */
  hits: string[];
}

/** 120 files, two of them hits (one by MD5, one by SHA-256), a link, and the IOC. */
async function plant(): Promise<Planted> {
  const root = await Deno.makeTempDir({ prefix: "iocscan-review-" });
  const tree = join(root, "tree");
  const iocs = join(root, "iocs");
  await Deno.mkdir(join(tree, "sub"), { recursive: true });
  await Deno.mkdir(iocs);
  const contents: Uint8Array[] = [];
  for (let index = 0; index < 120; index++) {
    const bytes = new Uint8Array(index * 997 + 3).map((_, at) => (at * 13 + index * 7) & 255);
    contents.push(bytes);
    await Deno.writeFile(join(tree, index % 2 ? "sub" : "", `f${index}.bin`), bytes);
  }
  await Deno.symlink(join(tree, "f0.bin"), join(tree, "link.bin"));
  const md5 = createHash("md5").update(contents[17]!).digest("hex");
  const sha256 = createHash("sha256").update(contents[64]!).digest("hex");
  await Deno.writeTextFile(join(iocs, "hashes.ioc"), hashIoc(md5, sha256));
  return { root, tree, iocs, hits: [join(tree, "f64.bin"), join(tree, "sub", "f17.bin")].sort() };
}

interface Run {
  code: number;
  events: { type: string; [key: string]: unknown }[];
  stderr: string;
}

/** Runs a Deno program with a deadline: a scan that hangs fails the test. */
async function run(args: string[], timeoutMs = 20_000): Promise<Run> {
  const output = await runProgram(Deno.execPath(), args, {
    cwd: repositoryRoot,
    deadlineMs: timeoutMs,
  });
  ok(output.signal === null, `killed after ${timeoutMs} ms: ${args.join(" ")}`);
  return { code: output.code, events: output.events, stderr: output.stderr };
}

const scanArgs = (planted: Planted, db: string, scope = planted.tree) => [
  "scan",
  "--ioc",
  planted.iocs,
  "--scope",
  scope,
  "--db",
  db,
  "--json",
];

function hitsOf(events: Run["events"]): string[] {
  return events
    .filter((event) => event.type === "detection")
    .flatMap((event) => (event.evidence as { object: string }[]).map((evidence) => evidence.object))
    .sort();
}

Deno.test("iocscan scan: a store that cannot open ends the scan at once with exit 2; nothing stored", async () => {
  const planted = await plant();
  try {
    const folderDb = join(planted.root, "db-folder");
    await Deno.mkdir(folderDb);
    const underFile = join(planted.tree, "f0.bin", "results.db");
    for (const db of [folderDb, underFile]) {
      // A large scope: the scan must stop when the store fails, not walk it to the end.
      const scan = await run(cliArgs(scanArgs(planted, db, "/usr")), 15_000);
      deepStrictEqual(scan.code, 2, scan.stderr);
      ok(/cannot open the results database/.test(scan.stderr), scan.stderr);
      deepStrictEqual(
        scan.events.filter((event) => event.type === "detection" || event.type === "summary"),
        [],
      );
    }
    deepStrictEqual(await Array.fromAsync(Deno.readDir(folderDb)), []);
    deepStrictEqual((await Deno.stat(join(planted.tree, "f0.bin"))).isFile, true);
  } finally {
    await Deno.remove(planted.root, { recursive: true });
  }
});

Deno.test("iocscan scan: scans in a row into one store are complete runs with the same hits, from the sources and from deno bundle output", async () => {
  const planted = await plant();
  try {
    const db = join(planted.root, "results.db");
    const bundle = join(planted.root, "iocscan_bundle.js");
    const bundled = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--platform", "deno", "-o", bundle, cliMain],
      cwd: repositoryRoot,
      stdout: "null",
      stderr: "piped",
    }).output();
    ok(bundled.success, new TextDecoder().decode(bundled.stderr));
    const sources = cliArgs([]);
    // The bundle starts its hash workers from the same source text, built from its own copies
    // of the functions: a function that referred to a name outside itself fails here.
    const fromBundle = [
      "run",
      "--config",
      join(repositoryRoot, "deno.json"),
      "-P=engine",
      bundle,
    ];
    const runIds: unknown[] = [];
    for (const program of [sources, fromBundle, sources]) {
      const scan = await run([...program, ...scanArgs(planted, db)]);
      deepStrictEqual(scan.code, 1, scan.stderr);
      deepStrictEqual(hitsOf(scan.events), planted.hits);
      const summary = scan.events.find((event) => event.type === "summary")!;
      deepStrictEqual(summary.status, "completed");
      deepStrictEqual(summary.objects, 120);
      deepStrictEqual(summary.skippedByReason, { symlink: 1 });
      runIds.push(summary.runId);
    }
    deepStrictEqual(runIds, [1, 2, 3]);
    const store = await openStore(db);
    try {
      const runs = await store.listRuns();
      deepStrictEqual(runs.map((stored) => stored.status), ["completed", "completed", "completed"]);
      for (const runId of [1, 2, 3]) {
        const details = await store.getRun(runId);
        ok(details, `run ${runId}`);
        deepStrictEqual((await store.listSkipped(runId)).length, 1);
      }
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(planted.root, { recursive: true });
  }
});

Deno.test("runScan: a scan whose collecting fails still records its run as failed and closes the store", async () => {
  const planted = await plant();
  try {
    const db = join(planted.root, "results.db");
    let thrown = false;
    // A sink that fails once, on the first skip: the file collector's walk fails with it.
    const outcome = await runScan(
      { version: 1, iocPaths: [planted.iocs], scopes: [{ path: planted.tree }], databasePath: db },
      {
        event(event) {
          if (event.type === "skipped" && !thrown) {
            thrown = true;
            throw new Error("the sink failed once");
          }
        },
      },
    );
    ok(thrown);
    deepStrictEqual(outcome.exitCode, 2);
    deepStrictEqual(outcome.runId, 1);
    const store = await openStore(db);
    try {
      const runs = await store.listRuns();
      deepStrictEqual(runs.map((stored) => [stored.id, stored.status]), [[1, "failed"]]);
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(planted.root, { recursive: true });
  }
});
