import { deepStrictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { createFileCollector } from "./file_collector.ts";
import { type FileOpener, nodeFileOpener } from "../hashing/mod.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";

/** Builds a folder of 300 files (more than the read-ahead), a sub-folder, a link and a FIFO. */
async function readAheadTree(root: string): Promise<Map<string, Uint8Array>> {
  const contents = new Map<string, Uint8Array>();
  for (let index = 0; index < 300; index++) {
    const bytes = new Uint8Array(index * 37).map((_, at) => (at * 7 + index) & 0xff);
    const path = `${root}/${index < 150 ? "a" : "b"}/f${String(index).padStart(3, "0")}.bin`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeFile(path, bytes);
    contents.set(path, bytes);
  }
  await Deno.symlink(`${root}/a/f001.bin`, `${root}/a/link.bin`);
  await new Deno.Command("mkfifo", { args: [`${root}/b/pipe`] }).output();
  return contents;
}

Deno.test({
  name: "createFileCollector reads ahead when only digests are wanted: same events, same order",
  ignore: Deno.build.os === "windows",
  async fn() {
    const root = await Deno.makeTempDir();
    try {
      const contents = await readAheadTree(root);
      const run = async (fields: string[], maxFileSize: number) => {
        const log: string[] = [];
        const reporter = {
          skipped: (entry: { object: string; reason: string }) =>
            log.push(`skip ${entry.object} ${entry.reason}`),
          warning() {},
          progress() {},
        };
        const collector = createFileCollector({ scopes: [{ path: root }], maxFileSize });
        const needs = new Map([["FileItem", new Set(fields)]]);
        for await (const item of collector.collect({ needs, reporter })) {
          // Read-ahead items come with their digests; others load them lazily.
          const loaded = item.lazy ? await item.lazy.load(["Md5sum"]) : item.fields;
          log.push(`file ${item.key} ${loaded.Md5sum ?? "-"}`);
        }
        return { log, stats: collector.stats };
      };
      // FileName makes the engine decide per file whether to hash: no read-ahead.
      const lazy = await run(["FileName", "Md5sum"], 8000);
      const ahead = await run(["Md5sum", "Sha256sum"], 8000);
      deepStrictEqual(ahead.log, lazy.log);
      deepStrictEqual(ahead.stats, lazy.stats);
      deepStrictEqual(ahead.stats.files, 300);
      // Files over the cap are skipped once each, in walk order, before their item.
      const tooLarge = [...contents.keys()].filter((path) => contents.get(path)!.length > 8000);
      deepStrictEqual(ahead.stats.skipped, {
        "too-large": tooLarge.length,
        symlink: 1,
        "special-file": 1,
      });
      for (const [path, bytes] of contents) {
        const expected = bytes.length > 8000 ? "-" : createHash("md5").update(bytes).digest("hex");
        deepStrictEqual(ahead.log.includes(`file ${path} ${expected}`), true, path);
      }
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "createFileCollector collectBatches gives collect's items and skips, in order, at most 128 at a time",
  ignore: Deno.build.os === "windows",
  async fn() {
    const root = await Deno.makeTempDir();
    try {
      await readAheadTree(root);
      for (const fields of [["Md5sum", "Sha1sum"], ["FileName", "Md5sum"], ["FullPath"]]) {
        const events = async (batched: boolean) => {
          const log: string[] = [];
          const sizes: number[] = [];
          const reporter = {
            skipped: (entry: { object: string; reason: string }) =>
              log.push(`skip ${entry.object} ${entry.reason}`),
            warning() {},
            progress() {},
          };
          const collector = createFileCollector({ scopes: [{ path: root }], maxFileSize: 8000 });
          const request = { needs: new Map([["FileItem", new Set(fields)]]), reporter };
          const record = (item: ObservedItem) =>
            log.push(`file ${item.key} ${item.fields.Md5sum ?? "-"}`);
          if (batched) {
            for await (const batch of collector.collectBatches!(request)) {
              sizes.push(batch.length);
              batch.forEach(record);
            }
          } else {
            for await (const item of collector.collect(request)) record(item);
          }
          return { log, sizes };
        };
        const oneByOne = await events(false);
        const batched = await events(true);
        deepStrictEqual(batched.log, oneByOne.log, fields.join("+"));
        deepStrictEqual(batched.sizes.reduce((sum, size) => sum + size, 0), 300);
        deepStrictEqual(Math.max(...batched.sizes) <= 128, true);
        // Folder a: 150 small files and a link; the link's skip comes in walk order.
        deepStrictEqual(batched.sizes.slice(0, 2).reduce((sum, size) => sum + size, 0), 150);
        deepStrictEqual(batched.sizes.includes(128), true, `${batched.sizes}`);
      }
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test("createFileCollector collectBatches hands over the items made before a failure, then the failure", async () => {
  const root = await Deno.makeTempDir();
  try {
    for (let index = 0; index < 40; index++) {
      await Deno.writeFile(`${root}/f${String(index).padStart(2, "0")}`, new Uint8Array(index));
    }
    // An owner lookup (a host's plug-in) that fails on the 30th file of the folder.
    const owners = {
      ownerOf(path: string) {
        if (path.endsWith("/f29")) return Promise.reject(new Error("owner lookup broke"));
        return Promise.resolve("someone");
      },
    };
    const collector = createFileCollector({ scopes: [{ path: root }], owners });
    const reporter = { skipped() {}, warning() {}, progress() {} };
    const request = { needs: new Map([["FileItem", new Set(["Username"])]]), reporter };
    const seen: string[] = [];
    let failure: unknown;
    try {
      for await (const batch of collector.collectBatches!(request)) {
        for (const item of batch) seen.push(item.key.slice(root.length + 1));
      }
    } catch (error) {
      failure = error;
    }
    deepStrictEqual((failure as Error).message, "owner lookup broke");
    deepStrictEqual(
      seen,
      Array.from({ length: 29 }, (_, index) => `f${String(index).padStart(2, "0")}`),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("createFileCollector starts hashing files ahead of the consumer only when only digests are wanted", async () => {
  const root = await Deno.makeTempDir();
  try {
    await readAheadTree(root);
    const opened = async (fields: string[]) => {
      const base = nodeFileOpener(fs as never, false);
      let opens = 0;
      const opener: FileOpener = {
        open(path, options) {
          opens++;
          return base.open(path, options);
        },
      };
      const collector = createFileCollector({ scopes: [{ path: root }], opener });
      const needs = new Map([["FileItem", new Set(fields)]]);
      const items = collector.collect({
        needs,
        reporter: { skipped() {}, warning() {}, progress() {} },
      })[
        Symbol.asyncIterator
      ]();
      const first = (await items.next()).value as ObservedItem;
      if (first.lazy) await first.lazy.load(["Md5sum"]);
      const count = opens;
      await items.return?.(undefined);
      return count;
    };
    deepStrictEqual(await opened(["FileName", "Md5sum"]), 1);
    // The in-process hasher reads 8 files at once: the first 8 files of the read-ahead are open.
    deepStrictEqual(await opened(["Md5sum"]) >= 8, true);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("createFileCollector reads at most its read-ahead of one large folder before the consumer takes it", async () => {
  const root = await Deno.makeTempDir();
  try {
    // One folder of 3,000 files, far more than the read-ahead (512 files, hashed 128 at a time).
    for (let index = 0; index < 3000; index++) {
      await Deno.writeFile(
        `${root}/f${String(index).padStart(4, "0")}`,
        new Uint8Array([index & 255]),
      );
    }
    const base = nodeFileOpener(fs as never, false);
    let opens = 0;
    const opener: FileOpener = {
      open(path, options) {
        opens++;
        return base.open(path, options);
      },
    };
    const collector = createFileCollector({ scopes: [{ path: root }], opener });
    const items = collector.collect({
      needs: new Map([["FileItem", new Set(["Md5sum"])]]),
      reporter: { skipped() {}, warning() {}, progress() {} },
    })[Symbol.asyncIterator]();
    await items.next();
    // The consumer pauses: the hasher finishes what it was given, and no more.
    let before = -1;
    for (let waited = 0; waited < 5000 && opens !== before; waited += 50) {
      before = opens;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await items.return?.(undefined);
    deepStrictEqual(opens <= 512 + 128, true, `${opens} files hashed ahead of the first item`);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

// Runs in a child process, alone, so that no other test's workers are counted, and ends by
// itself: a worker left running would keep it alive past the parent's deadline.
const prepareChild = `
import { createFileCollector } from ${
  JSON.stringify(new URL("./file_collector.ts", import.meta.url).href)
};
const root = Deno.args[0];
const workerThreads = () => new TextDecoder().decode(
  new Deno.Command("ps", { args: ["-T", "-o", "comm=", "-p", String(Deno.pid)] }).outputSync().stdout,
).split("\\n").filter((name) => name.startsWith("worker")).length;
const settle = async (expected) => {
  for (let waited = 0; waited < 5000 && workerThreads() !== expected; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return workerThreads();
};
const needs = new Map([["FileItem", new Set(["Md5sum"])]]);
const reporter = { skipped() {}, warning() {}, progress() {} };
const counts = [];
const undo = createFileCollector({ scopes: [{ path: root }] }).prepare(needs);
counts.push(await settle(2));
undo();
counts.push(await settle(0));
const collector = createFileCollector({ scopes: [{ path: root }] });
collector.prepare(needs);
const digests = [];
for await (const item of collector.collect({ needs, reporter })) digests.push(item.fields.Md5sum);
counts.push(await settle(0));
createFileCollector({ scopes: [{ path: root }] }).prepare(new Map([["FileItem", new Set(["FileName"])]]));
counts.push(await settle(0));
console.log(JSON.stringify({ counts, digests }));
`;

Deno.test({
  name:
    "createFileCollector prepare starts the hash workers that collect uses, and its undo ends them",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const root = await Deno.makeTempDir();
    const script = await Deno.makeTempFile({ suffix: ".ts" });
    try {
      const bytes = new TextEncoder().encode("prepared\n");
      await Deno.writeFile(`${root}/one.txt`, bytes);
      await Deno.writeTextFile(script, prepareChild);
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--config",
          new URL("../../deno.json", import.meta.url).pathname,
          "-P=engine",
          script,
          root,
        ],
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const deadline = setTimeout(() => child.kill("SIGKILL"), 30_000);
      const output = await child.output();
      clearTimeout(deadline);
      const stdout = new TextDecoder().decode(output.stdout);
      deepStrictEqual(output.success, true, new TextDecoder().decode(output.stderr));
      // Both workers after prepare, none after its undo, none after collecting, none for a
      // collector without content.
      deepStrictEqual(JSON.parse(stdout), {
        counts: [2, 0, 0, 0],
        digests: [createHash("md5").update(bytes).digest("hex")],
      });
    } finally {
      await Deno.remove(script);
      await Deno.remove(root, { recursive: true });
    }
  },
});
