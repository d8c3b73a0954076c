import { deepStrictEqual, strictEqual } from "node:assert/strict";
import type { FindingEvent } from "../contracts/events.ts";
import { testBackends } from "./_test_backends.ts";

const findings: FindingEvent[] = [
  {
    type: "finding",
    source: "clamav",
    kind: "antivirus",
    object: "/tmp/x/evil.bin",
    severity: "detection",
    detail: "ClamAV: Iocscan.Test.Planted.UNOFFICIAL",
    time: "2026-12-07T05:00:00.000Z",
    data: { engine: "clamav", signature: "Iocscan.Test.Planted.UNOFFICIAL" },
  },
  {
    type: "finding",
    source: "process-modules",
    kind: "anonymous-executable-memory",
    object: "pid 42 [7f00-7f01]",
    severity: "notice",
    detail: "4096 bytes of executable memory no file backs",
    time: "2026-12-07T05:00:01.000Z",
  },
];

Deno.test("ResultStore.addFindings/listFindings round-trip findings with their data; purge deletes them", async () => {
  for (const backend of await testBackends()) {
    const store = await backend.open();
    try {
      const runId = await store.startRun({
        taskName: null,
        host: "h",
        user: "u",
        options: {},
        iocFiles: [],
      });
      const other = await store.startRun({
        taskName: null,
        host: "h",
        user: "u",
        options: {},
        iocFiles: [],
      });
      await store.addFindings(runId, findings);
      await store.addFindings(other, [findings[1]!]);
      deepStrictEqual(
        await store.listFindings(runId),
        findings.map((finding) => ({ ...finding, runId })),
        backend.name,
      );
      strictEqual((await store.listFindings(other)).length, 1, backend.name);
      await store.finishRun(runId, { status: "completed", counts: {} });
      await store.finishRun(other, { status: "completed", counts: {} });
      await store.purge({ olderThanDays: 1, now: new Date(Date.now() + 3 * 86_400_000) });
      deepStrictEqual(await store.listFindings(runId), [], backend.name);
      deepStrictEqual(await store.listFindings(other), [], backend.name);
    } finally {
      await store.close();
      await backend.dispose();
    }
  }
});
