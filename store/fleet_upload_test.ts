import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { openStore, type ResultStore } from "./result_store.ts";
import { uploadPendingRuns } from "./fleet_upload.ts";
import { testBackends } from "./_test_backends.ts";

const target = "postgres://host17@fleet.example/iocscan";
const content = new TextEncoder().encode("<ioc id='a'/>");
const sha256 = createHash("sha256").update(content).digest("hex");

async function localRun(store: ResultStore, uploadTarget?: string): Promise<number> {
  const runId = await store.startRun({
    host: "host17",
    user: "SYSTEM",
    iocFiles: [{ file: "/iocs/a.ioc", content, iocs: [{ id: "a", name: "A" }] }],
    ...(uploadTarget === undefined ? {} : { uploadTarget }),
  });
  await store.addDetections(runId, [{
    type: "detection",
    ioc: { id: "a", sha256, name: "A", file: "/iocs/a.ioc", version: "1.1" },
    evidence: [{ itemId: "i", document: "FileItem", search: "FileItem/FileName", value: "x" }],
  } as never]);
  await store.addSkipped(runId, [{
    type: "skipped",
    collector: "file",
    object: "/l",
    reason: "symlink",
  }]);
  await store.addWarnings(runId, [{ type: "warning", code: "w", message: "m" }]);
  await store.finishRun(runId, { status: "completed", counts: { detections: 1 } });
  return runId;
}

Deno.test("uploadPendingRuns copies a finished local run whole, once, keeping its identity", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-upload-" });
  for (const backend of await testBackends()) {
    const local = await openStore(`${dir}/local-${backend.name}.db`);
    const fleet = await backend.open();
    // The fleet store as the upload sees it: its location is the target the runs name.
    Object.defineProperty(fleet, "location", { value: target });
    try {
      const runId = await localRun(local, target);
      await localRun(local); // a run that stays local
      const running = await local.startRun({ host: "host17", iocFiles: [], uploadTarget: target });
      const uploaded = await uploadPendingRuns(local, fleet);
      strictEqual(uploaded.length, 1, backend.name);
      strictEqual(uploaded[0]!.already, false);
      const copy = await fleet.getRun(uploaded[0]!.fleetRunId);
      const original = await local.getRun(runId);
      deepStrictEqual(
        copy?.detections.map(({ runId: _, ...rest }) => rest),
        original?.detections.map(({ runId: _, ...rest }) => rest),
      );
      deepStrictEqual(copy?.iocFiles, original?.iocFiles);
      deepStrictEqual(copy?.skippedByReason, original?.skippedByReason);
      deepStrictEqual(copy?.warnings, original?.warnings);
      deepStrictEqual(await fleet.readIocContent(sha256), content);
      strictEqual(await local.countPendingUploads(target), 1, "the running run waits");
      deepStrictEqual(await uploadPendingRuns(local, fleet), []);

      // Uploaded but never marked (the process died in between): marked now, not copied again.
      await local.database.updateTable("runs").set({ uploadedAt: null }).where("id", "=", runId)
        .execute();
      const again = await uploadPendingRuns(local, fleet);
      deepStrictEqual(again.map((run) => run.already), [true]);
      strictEqual((await fleet.listRuns()).length, 1);

      await local.finishRun(running, { status: "completed", counts: {} });
      strictEqual((await uploadPendingRuns(local, fleet)).length, 1);
      strictEqual((await fleet.listRuns()).length, 2);
    } finally {
      await local.close();
      await fleet.close();
      await backend.dispose();
    }
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("listRuns: --host patterns (* ?, any case, _ and % literal) and detections only", async () => {
  for (const backend of await testBackends()) {
    const store = await backend.open();
    try {
      const ids = new Map<string, number>();
      for (const host of ["web-01", "WEB-02", "db_1", "dbx1", "mail%1"]) {
        ids.set(host, await store.startRun({ host, iocFiles: [] }));
      }
      await store.addDetections(ids.get("dbx1")!, [{
        type: "detection",
        ioc: { id: "a", sha256: "", name: "A", file: "/a.ioc", version: "1.1" },
        evidence: [],
      }]);
      const hosts = async (host: string, detectionsOnly = false) =>
        (await store.listRuns({ host, detectionsOnly })).map((run) => run.host);
      deepStrictEqual(await hosts("web-*"), ["web-01", "WEB-02"], backend.name);
      deepStrictEqual(await hosts("Web-0?"), ["web-01", "WEB-02"]);
      deepStrictEqual(await hosts("db_1"), ["db_1"]);
      deepStrictEqual(await hosts("mail%1"), ["mail%1"]);
      deepStrictEqual(await hosts("*"), ["web-01", "WEB-02", "db_1", "dbx1", "mail%1"]);
      deepStrictEqual(await hosts("*", true), ["dbx1"]);
    } finally {
      await store.close();
      await backend.dispose();
    }
  }
});
