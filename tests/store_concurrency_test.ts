/**
 * Two processes writing runs into the same results database at the same time
 * lose nothing. The test spawns this very file twice with `deno run` (writer
 * mode); under `deno test` it is the test.
 *
 * @module
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { openStore } from "../store/mod.ts";
import { testPostgresUrl } from "../store/_test_backends.ts";
import type { DetectionEvent } from "../contracts/events.ts";

const BATCHES = 40;
const BATCH_SIZE = 100;
const encoder = new TextEncoder();
const sharedIoc = encoder.encode(
  '<ioc id="shared"><short_description>Shared</short_description></ioc>',
);

/** What a writer reports on stdout. */
interface WriterReport {
  runId: number;
  firstWrite: number;
  lastWrite: number;
}

/** Writer mode: `deno run … store_concurrency_test.ts LOCATION TAG BARRIER_FILE`. */
async function writer(location: string, tag: string, barrier: string): Promise<void> {
  const store = await openStore(location);
  const runId = await store.startRun({
    taskName: `writer-${tag}`,
    iocFiles: [
      { file: "/iocs/shared.ioc", content: sharedIoc, iocs: [{ id: "shared", name: "Shared" }] },
      {
        file: `/iocs/${tag}.ioc`,
        content: encoder.encode(`<ioc id="${tag}"/>`),
        iocs: [{ id: tag, name: `Only ${tag}` }],
      },
    ],
  });
  // Both writers start writing together once the test creates the barrier file.
  while (!(await exists(barrier))) await new Promise((resolve) => setTimeout(resolve, 5));
  const firstWrite = Date.now();
  for (let batch = 0; batch < BATCHES; batch++) {
    const objects = Array.from({ length: BATCH_SIZE }, (_, index) => `/${tag}/${batch}/${index}`);
    await store.addDetections(
      runId,
      objects.map((object): DetectionEvent => ({
        type: "detection",
        ioc: {
          id: "shared",
          sha256: "0".repeat(64),
          name: "Shared",
          file: "/iocs/shared.ioc",
          version: "1.1",
        },
        evidence: [{ document: "FileItem", object, indicator: "i", items: [] }],
      })),
    );
    await store.addSkipped(
      runId,
      objects.map((object) => ({
        type: "skipped",
        collector: "file",
        object,
        reason: "unreadable",
      })),
    );
    await store.addWarnings(runId, [{
      type: "warning",
      code: "batch",
      message: `${tag} ${batch}`,
    }]);
  }
  const lastWrite = Date.now();
  await store.finishRun(runId, {
    status: "completed",
    counts: { detections: BATCHES * BATCH_SIZE, skipped: BATCHES * BATCH_SIZE },
  });
  await store.close();
  const report: WriterReport = { runId, firstWrite, lastWrite };
  console.log(JSON.stringify(report));
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function runTwoWriters(location: string, extraFlags: string[]): Promise<WriterReport[]> {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-concurrency-" });
  const barrier = join(dir, "go");
  const repoRoot = join(dirname(fromFileUrl(import.meta.url)), "..");
  try {
    const children = ["a", "b"].map((tag) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-P=test",
          ...extraFlags,
          fromFileUrl(import.meta.url),
          location,
          tag,
          barrier,
        ],
        cwd: repoRoot,
        stdout: "piped",
        stderr: "piped",
      }).spawn()
    );
    // Let both open (and race to migrate) the database, then release them together.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await Deno.writeTextFile(barrier, "");
    const outputs = await Promise.all(children.map((child) => child.output()));
    const decoder = new TextDecoder();
    return outputs.map((output, index) => {
      strictEqual(
        output.code,
        0,
        `writer ${index} failed:\n${decoder.decode(output.stderr)}`,
      );
      return JSON.parse(decoder.decode(output.stdout).trim().split("\n").at(-1)!) as WriterReport;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function checkNothingLost(location: string, reports: WriterReport[]): Promise<void> {
  // The two writers really overlapped.
  const [a, b] = reports as [WriterReport, WriterReport];
  ok(a.firstWrite < b.lastWrite && b.firstWrite < a.lastWrite, "the writers did not overlap");
  const store = await openStore(location);
  try {
    for (const [index, tag] of ["a", "b"].entries()) {
      const details = await store.getRun(reports[index]!.runId);
      ok(details);
      strictEqual(details.run.status, "completed");
      strictEqual(details.run.taskName, `writer-${tag}`);
      const objects = new Set(details.detections.map((detection) => detection.evidence[0]?.object));
      strictEqual(objects.size, BATCHES * BATCH_SIZE);
      for (let batch = 0; batch < BATCHES; batch++) {
        for (let item = 0; item < BATCH_SIZE; item++) ok(objects.has(`/${tag}/${batch}/${item}`));
      }
      deepStrictEqual(details.skippedByReason, [
        { collector: "file", reason: "unreadable", count: BATCHES * BATCH_SIZE },
      ]);
      strictEqual(details.skippedStored, BATCHES * BATCH_SIZE);
      strictEqual(details.warnings.length, BATCHES);
      deepStrictEqual(details.iocFiles.map((file) => file.file), [
        `/iocs/${tag}.ioc`,
        "/iocs/shared.ioc",
      ]);
    }
    // The shared IOC file is stored once for both runs.
    deepStrictEqual(await store.countRows(), {
      runs: 2,
      iocContents: 3,
      detections: 2 * BATCHES * BATCH_SIZE,
      skippedObjects: 2 * BATCHES * BATCH_SIZE,
      warnings: 2 * BATCHES,
    });
  } finally {
    await store.close();
  }
}

Deno.test("ResultStore: two processes writing runs to one SQLite file at once lose nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-concurrency-db-" });
  try {
    const location = join(dir, "results.db");
    const reports = await runTwoWriters(location, []);
    await checkNothingLost(location, reports);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ResultStore: two processes writing runs to one PostgreSQL database at once lose nothing", async (t) => {
  const serverUrl = await testPostgresUrl();
  if (serverUrl === undefined) {
    await t.step({ name: "skipped: no PostgreSQL (see above)", ignore: true, fn: () => {} });
    return;
  }
  const { default: pg } = await import("pg");
  const name = `iocscan_conc_${crypto.randomUUID().replaceAll("-", "")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const reports = await runTwoWriters(url.toString(), ["--allow-net"]);
    await checkNothingLost(url.toString(), reports);
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
});

if (import.meta.main && Deno.args.length === 3) {
  const [location, tag, barrier] = Deno.args as [string, string, string];
  await writer(location, tag, barrier);
}
