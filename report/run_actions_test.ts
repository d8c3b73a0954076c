import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import type { ActionEvent } from "../contracts/events.ts";
import { buildHostileRun, PAYLOADS } from "./_report_fixtures.ts";
import { renderHtml } from "./html/render_html.ts";
import { readRunActions } from "./run_actions.ts";
import { readRunReport } from "./run_report.ts";

const quarantined: ActionEvent = {
  type: "action",
  runId: 1,
  action: "quarantine",
  object: `/srv/upload/${PAYLOADS.fileName}`,
  outcome: "quarantined",
  entry: "q-0001",
  time: "2026-12-01T10:00:00.000Z",
};

Deno.test("readRunActions: a store without listActions gives none; one with it, its events", async () => {
  deepStrictEqual(await readRunActions({}, 1), []);
  const asked: number[] = [];
  const store = {
    listActions(runId: number) {
      asked.push(runId);
      return Promise.resolve([quarantined]);
    },
  };
  deepStrictEqual(await readRunActions(store, 1), [quarantined]);
  deepStrictEqual(asked, [1]);
});

Deno.test("renderHtml: the actions taken, escaped, and every section", async () => {
  const folder = await Deno.makeTempDir({ prefix: "iocscan-actions-" });
  const { store, runId } = await buildHostileRun(join(folder, "results.db"));
  try {
    const report = await readRunReport(store, runId);
    ok(report);
    deepStrictEqual(report.actions, [], "this store keeps no actions yet");
    const page = renderHtml({ ...report, actions: [quarantined] });
    ok(page.includes(`<span id="action-count">1</span>`));
    ok(page.includes("q-0001"));
    ok(page.includes("&lt;img src=x onerror=alert(&quot;file&quot;)&gt;.exe"));
    ok(!page.includes("<img"));
    for (const id of ["run", "detections", "actions", "not-evaluated", "skipped", "warnings"]) {
      ok(page.includes(`<section id="${id}">`), id);
    }
  } finally {
    await store.close();
    await Deno.remove(folder, { recursive: true });
  }
});
