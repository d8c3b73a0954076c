import { ok } from "node:assert/strict";
import { join } from "node:path";
import { repositoryRoot } from "../../tests/corpus.ts";
import { DEFAULT_KEY_SET } from "./key_set.ts";

Deno.test("DEFAULT_KEY_SET is listed in docs/registry.md", async () => {
  const doc = await Deno.readTextFile(join(repositoryRoot, "docs", "registry.md"));
  // deno fmt pads table cells, so compare rows with the spacing around `|` squeezed.
  const rows = new Set(doc.split("\n").map((line) => line.replace(/\s*\|\s*/g, "|").trim()));
  for (const entry of DEFAULT_KEY_SET) {
    ok(rows.has(`|\`${entry.path}\`|${entry.why}|`), entry.path);
  }
});
