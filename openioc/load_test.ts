import { deepStrictEqual, notStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { ioc10, ioc11, item10, item11 } from "./_ioc_fixtures.ts";
import { loadIocPaths } from "./load.ts";

const item = item10("a", "is", "FileItem/FileName", "x");
const doc10 = (id: string) =>
  ioc10(`<Indicator operator="OR" id="top">${item}</Indicator>`, { id });
const doc11 = (id: string) =>
  ioc11(
    `<Indicator operator="OR" id="top">${item11("a", "is", "FileItem/FileName", "x")}</Indicator>`,
    { id },
  );

async function tree(files: Record<string, string>): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "iocscan-load-" });
  for (const [name, text] of Object.entries(files)) {
    const path = join(root, name);
    await Deno.mkdir(join(path, ".."), { recursive: true });
    await Deno.writeTextFile(path, text);
  }
  return root;
}

Deno.test("loadIocPaths walks folders for .ioc/.xml in any case, sorted by path", async () => {
  const root = await tree({
    "b/two.IOC": doc10("two"),
    "a/one.xml": doc11("one"),
    "a/deeper/three.ioc": doc10("three"),
    "a/notes.txt": "not an ioc",
    "readme.md": "# no",
  });
  try {
    const set = await loadIocPaths([root]);
    deepStrictEqual(set.files, [
      join(root, "a/deeper/three.ioc"),
      join(root, "a/one.xml"),
      join(root, "b/two.IOC"),
    ]);
    deepStrictEqual(set.documents.map((d) => d.id), ["three", "one", "two"]);
    deepStrictEqual(set.rejected, []);
    deepStrictEqual(set.missing, []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("loadIocPaths loads explicitly named files whatever their extension", async () => {
  const root = await tree({ "indicator.txt": doc10("txt"), "other.txt": "plain text" });
  try {
    const set = await loadIocPaths([join(root, "indicator.txt"), join(root, "other.txt")]);
    deepStrictEqual(set.documents.map((d) => d.id), ["txt"]);
    strictEqual(set.rejected.length, 1);
    strictEqual(set.rejected[0]!.file, join(root, "other.txt"));
    ok(set.rejected[0]!.error.includes("text before the root element"));
    deepStrictEqual([set.rejected[0]!.line, set.rejected[0]!.column], [1, 1]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("loadIocPaths loads every file of a shared id whose content differs", async () => {
  const root = await tree({
    "2.ioc": doc10("same"),
    "1.ioc": doc11("same"),
    "3.ioc": doc10("other"),
  });
  try {
    const set = await loadIocPaths([root]);
    deepStrictEqual(set.documents.map((d) => [d.file, d.id]), [
      [join(root, "1.ioc"), "same"],
      [join(root, "2.ioc"), "same"],
      [join(root, "3.ioc"), "other"],
    ]);
    notStrictEqual(set.documents[0]!.contentHash, set.documents[1]!.contentHash);
    deepStrictEqual(set.duplicates, []);
    deepStrictEqual(set.warnings, []);
    // The bytes that were parsed are kept, by content hash, for the run's snapshot.
    for (const document of set.documents) {
      deepStrictEqual(
        set.contents.get(document.contentHash),
        await Deno.readFile(document.file),
      );
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("loadIocPaths folds byte-identical copies with one warning for the whole load", async () => {
  const root = await tree({
    "a/1.ioc": doc10("same"),
    "b/1-copy.ioc": doc10("same"),
    "c/1-copy.ioc": doc10("same"),
    "d/2.ioc": doc11("two"),
    "e/2-copy.ioc": doc11("two"),
  });
  try {
    const set = await loadIocPaths([root]);
    deepStrictEqual(set.documents.map((d) => d.file), [
      join(root, "a/1.ioc"),
      join(root, "d/2.ioc"),
    ]);
    deepStrictEqual(set.duplicates.map((d) => [d.document.file, d.keptFile]), [
      [join(root, "b/1-copy.ioc"), join(root, "a/1.ioc")],
      [join(root, "c/1-copy.ioc"), join(root, "a/1.ioc")],
      [join(root, "e/2-copy.ioc"), join(root, "d/2.ioc")],
    ]);
    strictEqual(set.warnings.length, 1);
    const [warning] = set.warnings;
    strictEqual(warning!.code, "identical-ioc-files");
    strictEqual(warning!.file, join(root, "b/1-copy.ioc"));
    ok(warning!.message.startsWith("3 IOC files are byte-identical copies"), warning!.message);
    ok(warning!.message.includes(`${join(root, "e/2-copy.ioc")} (= ${join(root, "d/2.ioc")})`));
    strictEqual(set.contents.size, 2);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("loadIocPaths names at most ten copies in its one warning", async () => {
  const files: Record<string, string> = { "0.ioc": doc10("same") };
  for (let i = 1; i <= 12; i++) files[`${String(i).padStart(2, "0")}.ioc`] = doc10("same");
  const root = await tree(files);
  try {
    const set = await loadIocPaths([root]);
    strictEqual(set.duplicates.length, 12);
    strictEqual(set.warnings.length, 1);
    ok(set.warnings[0]!.message.endsWith("… and 2 more"), set.warnings[0]!.message);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("loadIocPaths rejects bad files and keeps loading the others", async () => {
  const root = await tree({
    "a.ioc": doc10("good-a"),
    "b.ioc": "<ioc><broken",
    "c.ioc": doc11("good-c").replace('condition="is"', 'condition="near"'),
    "d.ioc": doc11("good-d"),
  });
  try {
    const set = await loadIocPaths([root]);
    deepStrictEqual(set.documents.map((d) => d.id), ["good-a", "good-d"]);
    deepStrictEqual(set.rejected.map((r) => r.file), [join(root, "b.ioc"), join(root, "c.ioc")]);
    ok(set.rejected.every((r) => r.line !== undefined && r.column !== undefined));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("loadIocPaths rejects files over the limit without reading them", async () => {
  const root = await tree({ "small.ioc": doc10("small") });
  const huge = join(root, "huge.ioc");
  try {
    // A sparse 8 GiB file: reading it would exhaust memory, so passing means stat decided.
    await Deno.writeFile(huge, new Uint8Array());
    await Deno.truncate(huge, 8 * 1024 ** 3);
    const set = await loadIocPaths([root]);
    deepStrictEqual(set.documents.map((d) => d.id), ["small"]);
    strictEqual(set.rejected.length, 1);
    ok(
      set.rejected[0]!.error.includes(
        `${8 * 1024 ** 3} bytes, over the ${3 * 1024 * 1024}-byte limit`,
      ),
    );
    const strict = await loadIocPaths([root], { maxFileBytes: 100 });
    strictEqual(strict.documents.length, 0);
    strictEqual(strict.rejected.length, 2);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("loadIocPaths reports paths that do not exist", async () => {
  const root = await tree({ "a.ioc": doc10("a") });
  try {
    const missing = join(root, "nope");
    const set = await loadIocPaths([missing, root]);
    deepStrictEqual(set.missing, [missing]);
    deepStrictEqual(set.rejected, [{ file: missing, error: "no such file or folder" }]);
    strictEqual(set.documents.length, 1);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("loadIocPaths does not follow symbolic links to folders, and does not read FIFOs", async () => {
  const root = await tree({ "real/a.ioc": doc10("a") });
  try {
    await Deno.symlink(join(root, "real"), join(root, "loop"));
    await Deno.symlink(join(root, "real/a.ioc"), join(root, "link.ioc"));
    const set = await loadIocPaths([root]);
    deepStrictEqual(set.files, [join(root, "link.ioc"), join(root, "real/a.ioc")]);
    ok(set.warnings.some((w) => w.code === "symlink-folder-skipped"));
    strictEqual(set.duplicates.length, 1);
    if (Deno.build.os !== "windows") {
      const fifo = join(root, "pipe.ioc");
      const made = await new Deno.Command("mkfifo", { args: [fifo] }).output().catch(() =>
        undefined
      );
      if (made?.success) {
        const withFifo = await loadIocPaths([fifo]);
        deepStrictEqual(withFifo.rejected, [{ file: fifo, error: "not a regular file" }]);
      }
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
