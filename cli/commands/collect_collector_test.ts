import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../../tests/_cli.ts";

async function iocscan(
  args: string[],
): Promise<{ code: number; lines: Record<string, unknown>[] }> {
  const output = await runCli(args);
  return { code: output.code, lines: output.events };
}

Deno.test("collectSourceOf(): collect file reads a mounted root, hashes included, and counts unread evidence", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-collect-file-" });
  try {
    await Deno.writeTextFile(join(dir, "a.txt"), "a");
    const run = await iocscan(["collect", "file", "--root", dir, "--json"]);
    strictEqual(run.code, 0);
    const item = run.lines.find((line) => line.type === "item")!;
    strictEqual(item.document, "FileItem");
    const fields = item.fields as Record<string, unknown>;
    strictEqual(fields.FullPath, "C:\\a.txt");
    strictEqual(fields.Md5sum, "0cc175b9c0f1b6a831c399e269772661");
    // Where it was read, and what could not be read on it (unknown, not absent).
    deepStrictEqual(item.provenance, { source: join(dir, "a.txt") });
    const unevaluated = item.unevaluated as Record<string, string> | undefined;
    strictEqual(typeof unevaluated?.Username, "string");
    const summary = run.lines.at(-1)!;
    deepStrictEqual([summary.type, summary.items], ["summary", { FileItem: 1 }]);

    const partial = await iocscan([
      "collect",
      "file",
      "--root",
      dir,
      "--evidence",
      join(dir, "missing.evtx"),
      "--json",
    ]);
    strictEqual(partial.code, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
