import { deepStrictEqual, strictEqual } from "node:assert/strict";
import type { IndicatorNode } from "../openioc/model.ts";
import type { LazyFieldSource, ObservedFields, ObservedItem } from "../contracts/observed_item.ts";
import { and, ioc, item, observed, or } from "./_model_fixtures.ts";
import { compilePlan } from "./plan.ts";

const md5 = "0123456789abcdef0123456789abcdef";

/** A lazy source that counts its loads and what they asked for. */
class CountingSource implements LazyFieldSource {
  loads: string[][] = [];
  constructor(private readonly values: ObservedFields, private readonly delayMs = 0) {}
  provides(name: string): boolean {
    return ["Md5sum", "Sha1sum", "Sha256sum", "PEInfo"].includes(name);
  }
  async load(names: readonly string[]): Promise<ObservedFields> {
    this.loads.push([...names].sort());
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return Object.fromEntries(
      names.flatMap((name) => name in this.values ? [[name, this.values[name]]] : []),
    );
  }
}

function lazyFile(key: string, fields: ObservedFields, lazy: LazyFieldSource): ObservedItem {
  return { document: "FileItem", key, fields, lazy };
}

async function run(root: IndicatorNode, objects: ObservedItem[]) {
  const session = compilePlan([ioc(root)]).createSession();
  await Promise.all(objects.map((object) => session.observe(object)));
  return { detections: session.finish(), session };
}

Deno.test("MatchSession.observe() never hashes a file whose name rules it out", async () => {
  const source = new CountingSource({ Md5sum: md5 });
  const root = or(
    and(item("FileItem/FileName", "is", "x.exe"), item("FileItem/Md5sum", "is", md5)),
  );
  const { detections } = await run(root, [lazyFile("/y.exe", { FileName: "y.exe" }, source)]);
  deepStrictEqual(source.loads, []);
  strictEqual(detections.length, 0);
});

Deno.test("MatchSession.observe() loads lazy fields once, with every name still needed", async () => {
  const source = new CountingSource({
    Md5sum: md5,
    Sha1sum: "aa",
    PEInfo: { PETimeStamp: "2012-01-01" },
  });
  const root = or(
    and(item("FileItem/FileName", "is", "x.exe"), item("FileItem/Md5sum", "is", md5)),
    and(item("FileItem/FileName", "is", "x.exe"), item("FileItem/Sha1sum", "is", "bb")),
    and(
      item("FileItem/FileName", "is", "other.exe"),
      item("FileItem/PEInfo/PETimeStamp", "is", "2012-01-01"),
    ),
  );
  const { detections } = await run(root, [lazyFile("/x.exe", { FileName: "x.exe" }, source)]);
  deepStrictEqual(source.loads, [["Md5sum", "Sha1sum"]]);
  strictEqual(detections.length, 1);
  // Only the alternative that held is evidence: the Sha1sum AND did not.
  deepStrictEqual(detections[0]!.evidence.map((e) => e.items.map((i) => i.observed)), [[
    "x.exe",
    md5,
  ]]);
});

Deno.test("MatchSession.observe() hash-only IOCs load the hash for every file", async () => {
  const hit = new CountingSource({ Md5sum: md5.toUpperCase() });
  const miss = new CountingSource({ Md5sum: "ff" });
  const { detections } = await run(or(item("FileItem/Md5sum", "is", md5)), [
    lazyFile("/a", { FileName: "a" }, hit),
    lazyFile("/b", { FileName: "b" }, miss),
  ]);
  deepStrictEqual([hit.loads, miss.loads], [[["Md5sum"]], [["Md5sum"]]]);
  deepStrictEqual(detections[0]!.evidence.map((e) => e.object), ["/a"]);
});

Deno.test("MatchSession.observe() skips the load when present fields already decide", async () => {
  const source = new CountingSource({ Md5sum: md5 });
  // AND(.exe, OR(name, hash)) is one group: the name hit settles it.
  const root = and(
    item("FileItem/FileName", "ends-with", ".exe"),
    or(item("FileItem/FileName", "is", "x.exe"), item("FileItem/Md5sum", "is", md5)),
  );
  const { detections } = await run(root, [lazyFile("/x.exe", { FileName: "x.exe" }, source)]);
  deepStrictEqual(source.loads, []);
  strictEqual(detections.length, 1);
  // Unknown items are not evidence.
  deepStrictEqual(detections[0]!.evidence[0]!.items.map((i) => i.search), [
    "FileItem/FileName",
    "FileItem/FileName",
  ]);
});

Deno.test("MatchSession.observe() does not load fields that were already given", async () => {
  const source = new CountingSource({ Md5sum: "ff" });
  const { detections } = await run(or(item("FileItem/Md5sum", "is", md5)), [
    lazyFile("/a", { md5sum: md5 }, source),
  ]);
  deepStrictEqual(source.loads, []);
  strictEqual(detections.length, 1);
});

Deno.test("MatchSession.observe() a field the source cannot compute counts as missing", async () => {
  const source = new CountingSource({});
  const root = or(and(
    item("FileItem/FileName", "is", "x.exe"),
    item("FileItem/Md5sum", "is", md5, { negate: true }),
  ));
  const { detections } = await run(root, [lazyFile("/x.exe", { FileName: "x.exe" }, source)]);
  deepStrictEqual(source.loads, [["Md5sum"]]);
  strictEqual(detections.length, 1);
});

Deno.test("MatchSession.observe() a failing load becomes a warning, not a crash", async () => {
  const failing: LazyFieldSource = {
    provides: () => true,
    load: () => Promise.reject(new Error("permission denied")),
  };
  const { detections, session } = await run(or(item("FileItem/Md5sum", "is", md5)), [
    lazyFile("/locked", { FileName: "locked" }, failing),
  ]);
  strictEqual(detections.length, 0);
  deepStrictEqual(session.warnings.map((w) => [w.code, w.place]), [[
    "lazy-load-failed",
    "/locked",
  ]]);
});

Deno.test("MatchSession.observe() is safe with many objects in flight", async () => {
  const objects = Array.from({ length: 200 }, (_, i) =>
    lazyFile(
      `/f${String(i).padStart(3, "0")}`,
      { FileName: `f${i}` },
      new CountingSource({ Md5sum: i % 20 === 0 ? md5 : "ff" }, (i * 7) % 5),
    ));
  const { detections } = await run(or(item("FileItem/Md5sum", "is", md5)), objects);
  deepStrictEqual(
    detections[0]!.evidence.map((e) => e.object),
    Array.from({ length: 10 }, (_, i) => `/f${String(i * 20).padStart(3, "0")}`),
  );
});

Deno.test("MatchSession.finish() truncates evidence at the limit with a warning", async () => {
  const plan = compilePlan([
    ioc(or(item("FileItem/FileName", "ends-with", ".exe")), { id: "many", file: "m.ioc" }),
  ], {
    maxEvidencePerIoc: 5,
  });
  const session = plan.createSession();
  for (let i = 0; i < 8; i++) {
    await session.observe(observed("FileItem", { FileName: `${i}.exe` }, `/${i}`));
  }
  const [detection] = session.finish();
  strictEqual(detection!.evidence.length, 5);
  deepStrictEqual(session.warnings.map((w) => [w.code, w.iocId, w.file]), [[
    "evidence-truncated",
    "many",
    "m.ioc",
  ]]);
  strictEqual(session.observedCount, 8);
});

Deno.test("MatchSession ignores documents no IOC reads and matches document names case-insensitively", async () => {
  const { detections } = await run(or(item("FileItem/FileName", "is", "a")), [
    { document: "RegistryItem", key: "r", fields: { FileName: "a" } },
    { document: "fileitem", key: "f", fields: { FileName: "a" } },
  ]);
  deepStrictEqual(detections[0]!.evidence.map((e) => e.object), ["f"]);
});

Deno.test("MatchSession gives the same answers with lazy and with eager fields (random IOCs)", async () => {
  let seed = 11;
  // xorshift32: exact in 32-bit integer arithmetic, unlike a float LCG.
  const random = (n: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const hashes = ["aa", "bb", "cc"], names = ["a.exe", "b.exe", "c.dll"];
  const leaf = () => {
    const negate = random(3) === 0;
    switch (random(4)) {
      case 0:
        return item("FileItem/Md5sum", "is", hashes[random(3)]!, { negate });
      case 1:
        return item("FileItem/FileName", "is", names[random(3)]!, { negate });
      case 2:
        return item("FileItem/FileName", "ends-with", random(2) ? ".exe" : ".dll", { negate });
      default:
        return item(
          "FileItem/PEInfo/PETimeStamp",
          "greater-than",
          random(2) ? "2010-01-01" : "2015-01-01",
          { negate },
        );
    }
  };
  const tree = (depth: number): IndicatorNode => {
    if (depth === 0 || random(3) === 0) return leaf();
    const children = Array.from({ length: 1 + random(3) }, () => tree(depth - 1));
    return random(2) ? and(...children) : or(...children);
  };
  for (let round = 0; round < 60; round++) {
    const documents = Array.from(
      { length: 3 },
      (_, i) => ioc(or(tree(3)), { id: `r${round}-${i}` }),
    );
    const files = Array.from({ length: 6 }, (_, i) => ({
      key: `/f${i}`,
      present: { FileName: names[random(3)]! },
      lazy: {
        Md5sum: hashes[random(3)]!,
        PEInfo: { PETimeStamp: random(2) ? "2012-01-01" : "2018-01-01" },
      },
    }));
    const plan = compilePlan(documents);
    const eager = plan.createSession(), lazy = plan.createSession();
    for (const file of files) {
      await eager.observe({
        document: "FileItem",
        key: file.key,
        fields: { ...file.present, ...file.lazy },
      });
      await lazy.observe(lazyFile(file.key, file.present, new CountingSource(file.lazy)));
    }
    deepStrictEqual(
      lazy.finish().map((d) => [d.ioc.id, d.evidence.map((e) => e.object)]),
      eager.finish().map((d) => [d.ioc.id, d.evidence.map((e) => e.object)]),
      `round ${round}`,
    );
  }
});

Deno.test("MatchSession.observe() evaluates at once when nothing is lazy, and returns a promise only for a load", async () => {
  const root = or(item("FileItem/Md5sum", "is", md5), item("FileItem/FileName", "is", "x.exe"));
  const session = compilePlan([ioc(root)]).createSession();
  // Every field at hand: evaluated when the call returns, no promise.
  strictEqual(
    session.observe(observed("FileItem", { Md5sum: md5.toUpperCase() }, "/a.bin")),
    undefined,
  );
  strictEqual(session.observe(observed("FileItem", { FileName: "b.bin" }, "/b.bin")), undefined);
  // A digest still to compute: a promise, and the object counts once loaded.
  const source = new CountingSource({ Md5sum: md5 });
  const loading = session.observe(lazyFile("/c.bin", { FileName: "c.bin" }, source));
  strictEqual(loading instanceof Promise, true);
  await loading;
  deepStrictEqual(source.loads, [["Md5sum"]]);
  const [detection] = session.finish();
  deepStrictEqual(detection!.evidence.map((evidence) => evidence.object), ["/a.bin", "/c.bin"]);
});

Deno.test("MatchSession.finish() reports exactly the IOCs whose host logic held, among thousands untouched", () => {
  const digest = (index: number) => index.toString(16).padStart(32, "0");
  // 3,000 hash-list IOCs of one item each, plus an AND over two files and an OR over two.
  const documents = Array.from(
    { length: 3000 },
    (_, index) =>
      ioc(item("FileItem/Md5sum", "is", digest(index)), {
        id: `hash-${String(index).padStart(4, "0")}`,
        file: "hashes.ioc",
      }),
  );
  documents.push(
    ioc(
      and(item("FileItem/FileName", "is", "a.exe"), item("RegistryItem/KeyPath", "is", "x")),
      { id: "and-half", file: "logic.ioc" },
    ),
    ioc(or(item("FileItem/FileName", "is", "b.exe"), item("FileItem/FileName", "is", "a.exe")), {
      id: "or-second",
      file: "logic.ioc",
    }),
  );
  const session = compilePlan(documents).createSession();
  for (const index of [2999, 7, 1500]) {
    session.observe(observed("FileItem", { Md5sum: digest(index) }, `/h${index}`));
  }
  session.observe(observed("FileItem", { FileName: "a.exe" }, "/a.exe"));
  session.observe(observed("FileItem", { Md5sum: digest(4000) }, "/other"));
  const detections = session.finish();
  deepStrictEqual(
    detections.map((detection) => [detection.ioc.file, detection.ioc.id]),
    [
      ["hashes.ioc", "hash-0007"],
      ["hashes.ioc", "hash-1500"],
      ["hashes.ioc", "hash-2999"],
      ["logic.ioc", "or-second"],
    ],
  );
  deepStrictEqual(detections.at(-1)!.evidence.map((evidence) => evidence.object), ["/a.exe"]);
});

Deno.test("MatchSession.finish() keeps two IOCs of one id apart by content hash", async () => {
  // Same id, same file name order broken by the hash: each IOC keeps its own groups and evidence.
  const first = ioc(item("FileItem/FileName", "is", "anydesk.exe"), {
    id: "shared",
    file: "a.ioc",
    name: "Anydesk",
    contentHash: "a".repeat(64),
  });
  const second = ioc(item("FileItem/FileName", "is", "atera.exe"), {
    id: "shared",
    file: "b.ioc",
    name: "Atera",
    contentHash: "b".repeat(64),
  });
  const plan = compilePlan([second, first]);
  deepStrictEqual(plan.iocs.map((ref) => [ref.id, ref.sha256]), [
    ["shared", "a".repeat(64)],
    ["shared", "b".repeat(64)],
  ]);
  const session = plan.createSession();
  await session.observe(observed("FileItem", { FileName: "atera.exe" }, "/x/atera.exe"));
  await session.observe(observed("FileItem", { FileName: "anydesk.exe" }, "/x/anydesk.exe"));
  deepStrictEqual(
    session.finish().map((detection) => [
      detection.ioc.sha256[0],
      detection.ioc.name,
      detection.evidence.map((evidence) => evidence.object),
    ]),
    [["a", "Anydesk", ["/x/anydesk.exe"]], ["b", "Atera", ["/x/atera.exe"]]],
  );
});
