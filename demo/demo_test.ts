import { deepStrictEqual } from "node:assert/strict";
import { join } from "node:path";
import { type LooseEvent, runCli } from "../tests/_cli.ts";
import { demoFiles } from "./demo_tree.ts";

Deno.test("iocscan demo detects exactly the planted files, and the decoys stay clean", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-demo-test-" });
  try {
    const output = await runCli<LooseEvent>(["demo", "--dir", dir, "--json"]);
    deepStrictEqual(output.code, 0);
    const events = output.events;
    const found = events.filter((event) => event.type === "detection").flatMap((event) =>
      (event.evidence as { object: string }[]).map((evidence) =>
        `${event.ioc.id} ${evidence.object.slice(join(dir, "tree").length + 1)}`
      )
    ).sort();
    const planted = demoFiles.filter((file) => file.detectedBy !== undefined).map((file) =>
      `${file.detectedBy} ${file.path}`
    ).sort();
    deepStrictEqual(found, planted);
    const notEvaluated = events.filter((event) => event.type === "not-evaluated");
    deepStrictEqual(notEvaluated.map((event) => event.reason), ["unsupported-term"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
