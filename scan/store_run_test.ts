import { deepStrictEqual, ok } from "node:assert/strict";
import { sql } from "kysely";
import type { DetectionEvent } from "../contracts/events.ts";
import { openDatabase } from "../store/open_database.ts";
import { ResultStore } from "../store/result_store.ts";
import { storeRun, storeSkipped, StoreWriteError } from "./store_run.ts";

/** A store on a SQLite file held to a few more pages than it has: the next large write fails. */
async function nearlyFullStore(dir: string): Promise<{ store: ResultStore; runId: number }> {
  const opened = await openDatabase(`${dir}/results.db`);
  const store = new ResultStore(opened.db, opened.kind, opened.location);
  const runId = await store.startRun({ iocFiles: [] });
  // The store's CamelCasePlugin renames the pragma's column.
  const { rows } = await sql<{ pageCount: number }>`pragma page_count`.execute(opened.db);
  await sql.raw(`pragma max_page_count = ${Number(rows[0]!.pageCount) + 2}`).execute(opened.db);
  return { store, runId };
}

function bulkyDetections(count: number): DetectionEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    type: "detection",
    ioc: {
      id: `ioc-${index}`,
      name: "bulky",
      file: "/iocs/bulky.ioc",
      version: "1.1",
      sha256: "ab".repeat(32),
    },
    evidence: [{
      document: "FileItem",
      object: `/srv/${"x".repeat(4000)}/${index}`,
      indicator: "top",
      items: [],
    }],
  }));
}

Deno.test("storeRun: a full disk is named, the run marked failed, and nothing thrown", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-store-run-" });
  try {
    const { store, runId } = await nearlyFullStore(dir);
    const result = await storeRun(store, runId, {
      skipped: [],
      warnings: [],
      detections: bulkyDetections(40),
      status: "completed",
      counts: { objects: 40, detections: 40, warnings: 0 },
    });
    deepStrictEqual(result.status, "failed");
    deepStrictEqual(result.warnings.map((warning) => warning.code), ["store-failed"]);
    ok(
      /could not store run 1 in .*results\.db: database or disk is full/.test(
        result.warnings[0]!.message,
      ),
      result.warnings[0]!.message,
    );
    ok(!/cannot rollback/.test(result.warnings[0]!.message));

    const opened = await openDatabase(`${dir}/results.db`);
    const reader = new ResultStore(opened.db, opened.kind, opened.location);
    try {
      const details = await reader.getRun(runId);
      deepStrictEqual(details?.run.status, "failed");
      deepStrictEqual(details?.detections, []);
      deepStrictEqual(details?.warnings.map((warning) => warning.code), ["store-failed"]);
    } finally {
      await reader.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("storeSkipped: a failed write becomes a StoreWriteError with its store-failed warning", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-store-run-" });
  try {
    const { store, runId } = await nearlyFullStore(dir);
    try {
      const skipped = Array.from({ length: 400 }, (_, index) => ({
        type: "skipped" as const,
        collector: "file",
        object: `/srv/${"y".repeat(200)}/${index}`,
        reason: "unreadable" as const,
      }));
      let thrown: unknown;
      await storeSkipped(store, runId, skipped).catch((error) => thrown = error);
      ok(thrown instanceof StoreWriteError);
      deepStrictEqual(thrown.warning.code, "store-failed");
      ok(/database or disk is full/.test(thrown.warning.message), thrown.warning.message);
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
