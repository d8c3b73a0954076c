import { deepStrictEqual, rejects } from "node:assert/strict";
import * as fs from "node:fs";
import { nodeFileOpener, type NodeFsSubset } from "./file_opener.ts";

const opener = nodeFileOpener(fs as unknown as NodeFsSubset, Deno.build.os === "windows");

Deno.test({
  name: "nodeFileOpener refuses a FIFO at once instead of waiting for a writer",
  ignore: Deno.build.os === "windows",
  async fn() {
    const folder = await Deno.makeTempDir();
    try {
      const made = await new Deno.Command("mkfifo", { args: [`${folder}/pipe`] }).output();
      deepStrictEqual(made.success, true);
      await rejects(opener.open(`${folder}/pipe`, { followSymlinks: false }), { code: "ESPECIAL" });
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  },
});

Deno.test({
  name: "nodeFileOpener does not follow a link unless asked",
  ignore: Deno.build.os === "windows",
  async fn() {
    const folder = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(`${folder}/target`, "x");
      await Deno.symlink(`${folder}/target`, `${folder}/link`);
      await rejects(opener.open(`${folder}/link`, { followSymlinks: false }), { code: "ELOOP" });
      const file = await opener.open(`${folder}/link`, { followSymlinks: true });
      deepStrictEqual(file.size, 1);
      await file.close();
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  },
});
