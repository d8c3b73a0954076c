/**
 * The OpenIOC loader against every real file in ../shared/corpus/openioc.
 *
 * Figures are measured on the shared corpus (210 IOC files). Where they
 * overlap with research/openioc-stats.md (297 files: the shared 210 plus a set
 * kept aside), the per-subset figures were cross-checked with an independent
 * Python xml.etree count: 46 OpenIOC 1.0 and 164 1.1 files, 3,385 items, 644
 * Indicators, 486 empty Contents, 4 Indicators without id, 9 repeated IOC ids (in files whose
 * contents all differ: 210 distinct IOCs, none folded).
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join, relative } from "node:path";
import { describeIoc, type IocDocument, iocItems, loadIocPaths } from "../openioc/mod.ts";
import { type LooseEvent, runCli } from "./_cli.ts";
import { corpusDir, repositoryRoot } from "./corpus.ts";

const root = corpusDir("openioc");
const ignore = root === undefined;

async function everyFile(folder: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(folder)) {
    const path = join(folder, entry.name);
    if (entry.isDirectory) files.push(...await everyFile(path));
    else files.push(path);
  }
  return files;
}

function countBy<T>(values: T[], key: (value: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[key(value)] = (counts[key(value)] ?? 0) + 1;
  return counts;
}

Deno.test({
  name: "loadIocPaths loads every IOC file of the corpus folder, with the real counts",
  ignore,
  async fn() {
    const set = await loadIocPaths([root!]);
    strictEqual(set.files.length, 210);
    deepStrictEqual(set.rejected, []);
    const all: IocDocument[] = [...set.documents, ...set.duplicates.map((d) => d.document)];
    strictEqual(all.length, 210);
    strictEqual(set.documents.length, 210);
    strictEqual(set.duplicates.length, 0);
    strictEqual(new Set(set.documents.map((d) => d.id)).size, 201);
    deepStrictEqual(countBy(all, (d) => d.version), { "1.0": 46, "1.1": 164 });
    const items = all.flatMap(iocItems);
    strictEqual(items.length, 3385);
    // 1.0 containsnot (5 in the corpus) becomes a negated contains; 1.1 negate=true is kept.
    deepStrictEqual(countBy(items, (i) => i.condition + (i.negate ? " negated" : "")), {
      "is": 1705,
      "is negated": 112,
      "contains": 1195,
      "contains negated": 56,
      "matches": 127,
      "matches negated": 26,
      "starts-with": 13,
      "starts-with negated": 101,
      "ends-with": 13,
      "ends-with negated": 31,
      "greater-than": 5,
      "less-than": 1,
    });
    deepStrictEqual(countBy(set.warnings, (w) => w.code), {
      "empty-content": 486,
      "dangling-param-ref": 19,
      "missing-id": 4,
      "context-document-mismatch": 3,
      "duplicate-node-id": 1,
    });
    const catalogued = all.reduce((sum, d) => sum + describeIoc(d).catalogued, 0);
    // 12 of them RegistryItem/ShimCache/ExecutablePath (formats/shimcache).
    strictEqual(catalogued, 3232);
  },
});

Deno.test({
  name:
    "loadIocPaths loads or rejects every file under the corpus (spec/ included), never throwing",
  ignore,
  async fn() {
    const files = await everyFile(root!);
    strictEqual(files.length, 237);
    const set = await loadIocPaths(files);
    strictEqual(set.documents.length + set.duplicates.length, 210);
    strictEqual(set.rejected.length, 27);
    for (const rejected of set.rejected) {
      ok(
        rejected.error.length > 0 && rejected.line !== undefined,
        `${rejected.file}: ${rejected.error}`,
      );
    }
    const reasons = countBy(set.rejected, (r) => r.error.replace(/;.*/, ""));
    deepStrictEqual(reasons, {
      "not well-formed XML: text before the root element": 21,
      "unknown root element <xs:schema>": 3,
      "unknown root element <ioctermlist>": 2,
      "not well-formed XML: XML declaration is only allowed at the very start of the file": 1,
    });
    // Mandiant's own term list has a comment before <?xml …?>; expat rejects it too.
    const termList = set.rejected.find((r) => r.file.endsWith("current.iocterms"));
    deepStrictEqual([termList?.line, termList?.column], [19, 1]);
  },
});

Deno.test({
  name: "loadIocPaths handles the corpus oddities listed in openioc-stats.md",
  ignore,
  async fn() {
    const set = await loadIocPaths([root!]);
    const all = [...set.documents, ...set.duplicates.map((d) => d.document)];
    const byName = (suffix: string) => all.filter((d) => d.file.endsWith(suffix));

    // No @last-modified.
    strictEqual(
      byName("mantis-openioc-importer/zeus_no_timestamp.ioc")[0]?.metadata.lastModified,
      undefined,
    );
    // No XML declaration, metadata out of schema order.
    strictEqual(byName("d7ec102e-b8df-41d5-8189-352f378f0cce.ioc").length, 1);
    // Indicators without id: the four files the stats list for the shared subset.
    const missingIds = set.warnings.filter((w) => w.code === "missing-id").map((w) =>
      relative(root!, w.file)
    ).sort();
    deepStrictEqual(missingIds, [
      "alienvault-labs/Batchwiper/548cfc54-42b9-48c6-a753-02e74246699b.ioc",
      "alienvault-labs/Georbot/georbot.ioc",
      "jeffbryner-pyioc/10.83-16/sshto10.83.222.50.ioc",
      "jeffbryner-pyioc/172.18.6.0-24/pybackdoor.ioc",
    ]);
    // Dangling param ref-ids: the four haruyama files of the stats.
    const dangling = new Set(
      set.warnings.filter((w) => w.code === "dangling-param-ref").map((w) =>
        relative(root!, w.file)
      ),
    );
    strictEqual(dangling.size, 4);
    ok([...dangling].every((f) => f.startsWith("haruyama-openioc_scan/generic/")));
    // Items after sub-Indicators (haruyama) keep document order.
    let itemAfterIndicator = 0;
    for (const document of all.filter((d) => d.file.includes("haruyama"))) {
      const pending = [document.root];
      while (pending.length > 0) {
        const node = pending.pop()!;
        const kinds = node.children.map((c) => c.kind);
        if (
          kinds.indexOf("indicator") !== -1 &&
          kinds.lastIndexOf("item") > kinds.indexOf("indicator")
        ) {
          itemAfterIndicator++;
        }
        for (const child of node.children) if (child.kind === "indicator") pending.push(child);
      }
    }
    strictEqual(itemAfterIndicator, 3);
    // Empty Contents (citizenlab MISP exports and three others) warn, value kept empty.
    const empty = set.warnings.filter((w) => w.code === "empty-content");
    strictEqual(empty.filter((w) => w.file.includes("citizenlab")).length, 483);
    // Upper-case MD5s are stored as written (the matcher compares hashes case-insensitively).
    const upper = all.find((d) => d.file.endsWith("CFR/41bd34a6-dff3-435b-8a98-6ec7ab0d222b.ioc"));
    ok(
      upper !== undefined &&
        iocItems(upper).some((i) => /^[0-9A-F]{32}$/.test(i.content.value)),
    );
    // Repeated ids (9 later files): every file is loaded, each IOC told apart by its hash.
    const ids = new Set(set.documents.map((d) => d.id));
    strictEqual(set.documents.length - ids.size, 9);
    strictEqual(new Set(set.documents.map((d) => d.contentHash)).size, set.documents.length);
    // The BOM files of the shared subset load like the others.
    let boms = 0;
    for (const file of set.files) {
      const head = (await Deno.readFile(file)).subarray(0, 3);
      if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) boms++;
    }
    strictEqual(boms, 21);
  },
});

Deno.test({
  name: "iocscan indicators --json runs on the corpus and ends with the summary",
  ignore,
  async fn() {
    const output = await runCli<LooseEvent>(["indicators", root!, "--json"], {
      cwd: repositoryRoot,
    });
    strictEqual(output.code, 0, output.stderr);
    const events = output.events;
    deepStrictEqual(events.at(-1), {
      type: "summary",
      files: 210,
      documents: 210,
      duplicates: 0,
      rejected: 0,
      warnings: 513,
      byVersion: { "1.0": 46, "1.1": 164 },
      items: 3385,
      // What a scan evaluates (the catalogue knows 3,232 of the items' terms, 12 of them
      // RegistryItem/ShimCache/ExecutablePath, 7 regKeyEvent/valueType, 1 DiskItem/DiskName,
      // but 35 terms no collector fills (5 of them Network/String and Network/UserAgent, 5
      // HookItem), 474 have empty content (229 of them Network items, 146 of them
      // UrlHistoryItem/URL templates)).
      evaluable: 2723,
      notEvaluated: {
        "not-produced": 35,
        "unsupported-term": 153,
        "empty-content": 474,
      },
      cannotFire: 38,
    });
    const iocs = events.filter((e) => e.type === "ioc");
    strictEqual(iocs.length, 210);
    strictEqual(iocs.filter((e) => e.duplicate === true).length, 0);
    strictEqual(new Set(iocs.map((e) => `${e.id} ${e.sha256}`)).size, 210);
    strictEqual(events.filter((e) => e.type === "warning").length, 513);
    const yara = iocs.find((e) => e.unsupported.includes("Yara/TextString"));
    ok(yara !== undefined && yara.evaluable < yara.items);
  },
});
