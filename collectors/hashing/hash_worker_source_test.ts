import { deepStrictEqual } from "node:assert/strict";
import { hashWorkerSource } from "./hash_worker_source.ts";
import { bundleHashWorker, renderSourceText, sourceTextPath } from "./hash_worker_source_write.ts";

Deno.test("hash_worker_source.ts is hash_worker.ts bundled now (regenerate: deno run -P=engine collectors/hashing/hash_worker_source_write.ts)", async () => {
  const program = await bundleHashWorker();
  deepStrictEqual(await Deno.readTextFile(sourceTextPath), renderSourceText(program));
  // The escaping loses nothing: the text the workers start from is the bundle itself.
  deepStrictEqual(hashWorkerSource, program);
});

Deno.test("renderSourceText keeps backslashes, backticks and ${ as they are", async () => {
  const program = "const a = `x${1}\\n`;\nconst b = /\\d+/;\nconst c = '\\\\${';\n";
  const folder = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${folder}/source.ts`, renderSourceText(program));
    const { hashWorkerSource } = await import(`file://${folder}/source.ts`);
    deepStrictEqual(hashWorkerSource, program);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
