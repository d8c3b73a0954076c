import { rejects, strictEqual } from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { testBackends } from "./_test_backends.ts";
import { StoreOpenError } from "./store_open_error.ts";

Deno.test("openStore({ readOnly }) reads a store and refuses to write it, on every backend", async () => {
  for (const backend of await testBackends()) {
    try {
      // Nothing created yet: an empty database (or a missing file) is no iocscan store.
      if (backend.name === "sqlite") writeFileSync(backend.location, "");
      await rejects(
        backend.open({ readOnly: true }),
        (error: unknown) =>
          error instanceof StoreOpenError && /not an iocscan store/.test(error.message),
        backend.name,
      );
      const writer = await backend.open();
      const runId = await writer.startRun({ taskName: "nightly", iocFiles: [] });
      await writer.finishRun(runId, { status: "completed", counts: {} });
      await writer.close();

      const reader = await backend.open({ readOnly: true });
      try {
        strictEqual((await reader.listRuns()).length, 1, backend.name);
        strictEqual((await reader.getRun(runId))?.run.taskName, "nightly", backend.name);
        await rejects(
          reader.startRun({ iocFiles: [] }),
          /readonly|read-only/i,
          backend.name,
        );
      } finally {
        await reader.close();
      }
    } finally {
      await backend.dispose();
    }
  }
});
