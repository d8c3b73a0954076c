import { deepStrictEqual, fail, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import {
  ECS_EVENT_CATEGORIES,
  ECS_EVENT_KINDS,
  ECS_REFERENCE_FIELDS,
} from "./_ecs_reference_fields.ts";
import { buildHostileRun } from "./_report_fixtures.ts";
import { ECS_VERSION, renderEcs } from "./ecs.ts";
import { readRunReport } from "./run_report.ts";

/** Every leaf field of a document as a dotted name; arrays are values, not paths. */
function fieldNames(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, child]) =>
    key === "iocscan" && prefix === ""
      ? []
      : fieldNames(child, prefix === "" ? key : `${prefix}.${key}`)
  );
}

async function hostileEcs() {
  const folder = await Deno.makeTempDir({ prefix: "iocscan-ecs-" });
  const { store, runId } = await buildHostileRun(join(folder, "results.db"));
  try {
    const report = await readRunReport(store, runId);
    ok(report);
    return renderEcs(report).trimEnd().split("\n").map((line) => JSON.parse(line));
  } finally {
    await store.close();
    await Deno.remove(folder, { recursive: true });
  }
}

Deno.test("renderEcs: every field outside iocscan.* is an ECS 8.11 field, with allowed values", async () => {
  const documents = await hostileEcs();
  strictEqual(documents.length, 2, "one per detection and one for the run");
  strictEqual(ECS_VERSION.startsWith("8.11"), true);
  for (const document of documents) {
    for (const name of fieldNames(document)) {
      if (!ECS_REFERENCE_FIELDS.has(name)) fail(`${name} is not an ECS 8.11 field`);
    }
    ok(ECS_EVENT_KINDS.has(document.event.kind));
    for (const category of document.event.category) ok(ECS_EVENT_CATEGORIES.has(category));
    strictEqual(document.event.module, "iocscan");
    strictEqual(document.host.name, "ws-17");
    ok(!isNaN(Date.parse(document["@timestamp"])));
  }
});

Deno.test("renderEcs: an alert per detection with rule, file, registry and severity; a run event", async () => {
  const [alert, run] = await hostileEcs();
  strictEqual(alert.event.kind, "alert");
  deepStrictEqual(alert.event.category, ["file", "host", "registry"]);
  strictEqual(alert.rule.id, "6f7a9a57-0b6c-4d8e-9a4e-3f2b1c0d9e8f");
  strictEqual(alert.rule.uuid, alert.rule.id);
  strictEqual(alert.rule.name, `<script>alert("ioc")</script>`);
  ok(alert.file.path.startsWith("/srv/upload/<img"));
  ok(alert.registry.path.startsWith("HKEY_LOCAL_MACHINE\\SOFTWARE"));
  strictEqual(alert.event.severity, 99);
  strictEqual(alert.iocscan.severity, "critical");
  strictEqual(alert.iocscan.run_id, 1);
  strictEqual(alert.iocscan.ioc.sha256.length, 64);
  strictEqual(run.event.kind, "event");
  strictEqual(run.iocscan.detections, 1);
  strictEqual(run.event.outcome, "success");
});
