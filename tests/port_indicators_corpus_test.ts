/**
 * `iocscan indicators` on the real OpenIOC corpus counts every PortItem item
 * as evaluable now that the port collector exists: none is `no-collector`,
 * and the only ones not evaluated are those the IOC files leave empty.
 * Skips loudly when the corpus is missing (tests/corpus.ts).
 */
import { ok, strictEqual } from "node:assert/strict";
import { corpusDir } from "./corpus.ts";
import { type LooseEvent, runCli } from "./_cli.ts";

const openioc = corpusDir("openioc");

Deno.test({
  name: "indicators on the corpus: PortItem items are evaluable",
  ignore: openioc === undefined,
  async fn() {
    const output = await runCli<LooseEvent>(["indicators", "--json", openioc!], {
      denoFlags: ["-P=engine-offline"],
    });
    const portItems = output.events.filter((event) =>
      event.type === "not-evaluated" && /^PortItem\//i.test(event.search)
    );
    const reasons = new Set(portItems.map((event) => event.reason));
    ok(!reasons.has("no-collector"), [...reasons].join(", "));
    for (const reason of reasons) strictEqual(reason, "empty-content");
    const listed = output.events.filter((event) => event.type === "ioc");
    ok(listed.length > 100, output.stderr);
  },
});
