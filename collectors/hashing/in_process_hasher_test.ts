import { deepStrictEqual } from "node:assert/strict";
import * as fs from "node:fs";
import { nodeFileOpener } from "./file_opener.ts";
import { createInProcessHasher } from "./in_process_hasher.ts";
import type { FileOpener } from "./types.ts";

Deno.test("createInProcessHasher reads at most 8 files at once, and answers every request", async () => {
  const folder = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${folder}/x.bin`, new Uint8Array(100));
    const base = nodeFileOpener(fs as never, false);
    let open = 0;
    let most = 0;
    const opener: FileOpener = {
      async open(path, options) {
        most = Math.max(most, ++open);
        const file = await base.open(path, options);
        await new Promise((resolve) => setTimeout(resolve, 2));
        return {
          ...file,
          size: file.size,
          read: (buffer, position) => file.read(buffer, position),
          close: async () => {
            open--;
            await file.close();
          },
        };
      },
    };
    const hasher = createInProcessHasher(opener);
    const outcomes = await Promise.all(
      Array.from(
        { length: 30 },
        () => hasher.hash({ path: `${folder}/x.bin`, algorithms: ["md5"], followSymlinks: false }),
      ),
    );
    deepStrictEqual(outcomes.every((outcome) => outcome.ok), true);
    deepStrictEqual(most, 8);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
