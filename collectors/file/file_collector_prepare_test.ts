/**
 * The file collector's hash pool over its life: prepared, undone, prepared
 * again, with digests in the fields of every pass. (A review test of the
 * hashing path, moved here from the hashing wing's pool tests.)
 */
import { deepStrictEqual } from "node:assert/strict";
import { deadline, digestsOf, patterned } from "../hashing/_test_helpers.ts";
import { createFileCollector } from "./file_collector.ts";

Deno.test("createFileCollector: prepare, undo, then collect twice; digests in fields each time", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const contents = new Map<string, Uint8Array>();
    for (let index = 0; index < 50; index++) {
      const bytes = patterned(index * 811, 3000 + index);
      await Deno.writeFile(`${folder}/c${String(index).padStart(2, "0")}`, bytes);
      contents.set(`${folder}/c${String(index).padStart(2, "0")}`, bytes);
    }
    const collector = createFileCollector({ scopes: [{ path: folder }] });
    const needs = new Map([["FileItem", new Set(["Md5sum", "Sha1sum"])]]);
    const undo = collector.prepare!(needs);
    undo(); // As a scan whose store fails does; a later collect must still hash.
    for (let pass = 0; pass < 2; pass++) {
      if (pass === 1) collector.prepare!(needs);
      const found = new Map<string, unknown>();
      const skipped: string[] = [];
      const reporter = {
        skipped: (entry: { object: string; reason: string }) => skipped.push(entry.object),
        warning() {},
        progress() {},
      };
      await deadline(
        (async () => {
          for await (const item of collector.collect({ needs, reporter })) {
            found.set(item.key, { md5: item.fields.Md5sum, sha1: item.fields.Sha1sum });
          }
        })(),
        10_000,
        `collect pass ${pass}`,
      );
      deepStrictEqual(skipped, []);
      deepStrictEqual(
        found,
        new Map(
          [...contents].map(([path, bytes]) => {
            const { md5, sha1 } = digestsOf(bytes, ["md5", "sha1"]);
            return [path, { md5, sha1 }];
          }),
        ),
      );
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
