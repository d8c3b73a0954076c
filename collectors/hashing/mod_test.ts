/**
 * The hashing wing through its door alone, as a process collector or a
 * quarantine would use it: files hashed by both hashers, and a module graph
 * that reaches nothing of the file collector and has no import cycle.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { createHash } from "node:crypto";
import { createInProcessHasher, createWorkerHasher, type HashAlgorithm } from "./mod.ts";

const algorithms: HashAlgorithm[] = ["md5", "sha1", "sha256"];

Deno.test("mod.ts: both hashers give node:crypto's digests and skip reasons, through the door alone", async () => {
  const folder = await Deno.makeTempDir();
  const workers = createWorkerHasher({ workers: 2 });
  try {
    const contents = [0, 1, 4096, 1 << 20, (1 << 20) + 1].map((size) =>
      new Uint8Array(size).map((_, index) => (index * 31 + size) & 0xff)
    );
    for (const [index, bytes] of contents.entries()) {
      await Deno.writeFile(`${folder}/f${index}`, bytes);
    }
    const expected = contents.map((bytes) => ({
      ok: true,
      digests: Object.fromEntries(
        algorithms.map((
          algorithm,
        ) => [algorithm, createHash(algorithm).update(bytes).digest("hex")]),
      ),
      bytes: bytes.length,
    }));
    const requests = contents.map((_, index) => ({
      path: `${folder}/f${index}`,
      algorithms,
      followSymlinks: false,
    }));
    const gone = { path: `${folder}/gone`, algorithms, followSymlinks: false };
    for (const hasher of [workers, createInProcessHasher()]) {
      deepStrictEqual(await hasher.hashBatch(requests), expected);
      const outcome = await hasher.hash(gone);
      deepStrictEqual(outcome.ok ? "ok" : outcome.reason, "not-found");
    }
  } finally {
    workers.release();
    await Deno.remove(folder, { recursive: true });
  }
});

/** The local modules `entry` imports, directly or not, with their local imports (types included). */
async function localGraph(entry: string): Promise<Map<string, string[]>> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL(entry, import.meta.url).pathname],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  ok(output.success, `deno info ${entry}`);
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    modules: {
      specifier: string;
      dependencies?: { code?: { specifier?: string }; type?: { specifier?: string } }[];
    }[];
  };
  const local = (specifier: string | undefined): specifier is string =>
    specifier?.startsWith("file://") ?? false;
  const graph = new Map<string, string[]>();
  for (const module of info.modules) {
    if (!local(module.specifier)) continue;
    const imports = (module.dependencies ?? []).flatMap((dependency) =>
      [dependency.code?.specifier, dependency.type?.specifier].filter(local)
    );
    graph.set(module.specifier, [...new Set(imports)]);
  }
  return graph;
}

/** A cycle of `graph` as a list of modules, or undefined when there is none. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (module: string): string[] | undefined => {
    if (state.get(module) === "done") return undefined;
    if (state.get(module) === "open") return [...path.slice(path.indexOf(module)), module];
    state.set(module, "open");
    path.push(module);
    for (const next of graph.get(module) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(module, "done");
    return undefined;
  };
  for (const module of graph.keys()) {
    const cycle = visit(module);
    if (cycle) return cycle;
  }
  return undefined;
}

for (const entry of ["./mod.ts", "./hash_worker.ts"]) {
  Deno.test(`${entry}: imports nothing of the file collector and nothing in a circle`, async () => {
    const graph = await localGraph(entry);
    const root = new URL("../../", import.meta.url).href;
    const outside = [...graph.keys()]
      .map((module) => module.slice(root.length))
      .filter((path) =>
        !path.startsWith("collectors/hashing/") && path !== "collectors/collector.ts"
      );
    // The collector contract gives the skip reasons; it imports the engine's item types.
    deepStrictEqual(outside.filter((path) => path.startsWith("collectors/")), []);
    deepStrictEqual(findCycle(graph)?.map((module) => module.slice(root.length)), undefined);
  });
}
