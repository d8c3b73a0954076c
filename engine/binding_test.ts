/**
 * The same-object binding rule, pinned both structurally (what bindIndicator
 * produces) and end to end (which objects make an IOC hit).
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import type { Indicator, IndicatorItem, IndicatorNode } from "../openioc/model.ts";
import { resolveTerm } from "../openioc/term_catalogue.ts";
import { bindIndicator, flatten } from "./binding.ts";
import { and, detect, hits, ioc, item, observed, or } from "./_model_fixtures.ts";

/** Binds `root`, numbering items in document order as compilePlan does. */
function bind(root: Indicator) {
  const numbers = new Map<IndicatorItem, number>();
  const walk = (node: IndicatorNode): void => {
    if (node.kind === "item") numbers.set(node, numbers.size);
    else node.children.forEach(walk);
  };
  walk(root);
  return bindIndicator(root, {
    number: (leaf) => numbers.get(leaf)!,
    document: (leaf) => resolveTerm(leaf.context.search)?.document,
  });
}

const fileA = () => item("FileItem/FileName", "is", "a.exe");
const fileMd5 = () => item("FileItem/Md5sum", "is", "aa");
const registry = () => item("RegistryItem/Text", "contains", "a.exe");

Deno.test("flatten() merges AND-in-AND and OR-in-OR but keeps alternations", () => {
  const a = fileA(), b = fileMd5(), c = registry();
  const flat = flatten(and(a, and(b, or(c))));
  deepStrictEqual(flat.children.map((child) => child.kind === "item" ? child.id : child.operator), [
    a.id,
    b.id,
    "OR",
  ]);
});

Deno.test("bindIndicator() merges same-document AND children into one group", () => {
  const root = or(and(fileA(), fileMd5(), registry()));
  const { host, groups } = bind(root);
  deepStrictEqual(groups.map((g) => [g.document, g.items]), [["FileItem", [0, 1]], [
    "RegistryItem",
    [2],
  ]]);
  deepStrictEqual(host, {
    op: "or",
    children: [{ op: "and", children: [{ op: "group", group: 0 }, { op: "group", group: 1 }] }],
  });
  strictEqual(groups[0]!.indicator, (root.children[0] as Indicator).id);
});

Deno.test("bindIndicator() AND(FileItem a, OR(FileItem b, RegistryItem c)) binds the OR's parts independently", () => {
  const { host, groups } = bind(and(fileA(), or(fileMd5(), registry())));
  deepStrictEqual(groups.map((g) => [g.document, g.items]), [
    ["FileItem", [0]],
    ["FileItem", [1]],
    ["RegistryItem", [2]],
  ]);
  deepStrictEqual(host, {
    op: "and",
    children: [
      { op: "group", group: 0 },
      { op: "or", children: [{ op: "group", group: 1 }, { op: "group", group: 2 }] },
    ],
  });
});

Deno.test("bindIndicator() a single-document OR under AND joins the document's group", () => {
  const { host, groups } = bind(and(fileA(), or(fileMd5(), item("FileItem/Sha1sum", "is", "bb"))));
  strictEqual(groups.length, 1);
  deepStrictEqual(groups[0]!.expr, {
    op: "and",
    children: [{ op: "item", item: 0 }, {
      op: "or",
      children: [{ op: "item", item: 1 }, { op: "item", item: 2 }],
    }],
  });
  deepStrictEqual(host, { op: "group", group: 0 });
});

Deno.test("bindIndicator() unsupported items are FALSE and never join a group", () => {
  const { host, groups } = bind(and(fileA(), item("Yara/TextString", "contains", "x")));
  deepStrictEqual(groups.map((g) => g.items), [[0]]);
  // The Yara item stays in the group's expression as a FALSE constant (an empty OR).
  deepStrictEqual(groups[0]!.expr, {
    op: "and",
    children: [{ op: "item", item: 0 }, { op: "or", children: [] }],
  });
  deepStrictEqual(host, { op: "group", group: 0 });
});

Deno.test("binding: items of one document under AND must hold on the same object", async () => {
  const root = or(
    and(item("FileItem/FileName", "is", "a.exe"), item("FileItem/SizeInBytes", "is", "10")),
  );
  strictEqual(
    await hits(root, [
      observed("FileItem", { FileName: "a.exe", SizeInBytes: 5 }),
      observed("FileItem", { FileName: "b.exe", SizeInBytes: 10 }),
    ]),
    false,
  );
  strictEqual(
    await hits(root, [observed("FileItem", { FileName: "a.exe", SizeInBytes: 10 })]),
    true,
  );
});

Deno.test("binding: items of different documents under AND combine at host level", async () => {
  const root = or(
    and(item("FileItem/FileName", "is", "a.exe"), item("RegistryItem/Text", "contains", "a.exe")),
  );
  strictEqual(
    await hits(root, [
      observed("FileItem", { FileName: "a.exe" }),
      observed("RegistryItem", { Text: "run a.exe" }),
    ]),
    true,
  );
  strictEqual(await hits(root, [observed("FileItem", { FileName: "a.exe" })]), false);
});

Deno.test("binding: AND(FileItem a, OR(FileItem b, RegistryItem c)) lets a and b hold on different files", async () => {
  const root = and(
    item("FileItem/FileName", "is", "a.exe"),
    or(item("FileItem/SizeInBytes", "is", "10"), item("RegistryItem/Text", "is", "c")),
  );
  const fileA = observed("FileItem", { FileName: "a.exe", SizeInBytes: 1 });
  const fileB = observed("FileItem", { FileName: "b.exe", SizeInBytes: 10 });
  strictEqual(await hits(root, [fileA, fileB]), true);
  strictEqual(await hits(root, [fileA, observed("RegistryItem", { Text: "c" })]), true);
  strictEqual(await hits(root, [fileB, observed("RegistryItem", { Text: "c" })]), false);
  strictEqual(await hits(root, [fileA]), false);
});

Deno.test("binding: a same-document OR inside AND is evaluated on the same object", async () => {
  const root = and(
    item("FileItem/FileName", "is", "a.exe"),
    or(item("FileItem/SizeInBytes", "is", "10"), item("FileItem/SizeInBytes", "is", "20")),
  );
  strictEqual(
    await hits(root, [
      observed("FileItem", { FileName: "a.exe", SizeInBytes: 1 }),
      observed("FileItem", { FileName: "b", SizeInBytes: 10 }),
    ]),
    false,
  );
  strictEqual(
    await hits(root, [observed("FileItem", { FileName: "a.exe", SizeInBytes: 20 })]),
    true,
  );
});

Deno.test("binding: eventItem/processEvent and processEvent spellings bind to one event", async () => {
  const root = or(and(
    item("eventItem/processEvent/process", "is", "rundll32.exe", { document: "eventItem" }),
    item("processEvent/processCmdLine", "contains", "javascript:"),
  ));
  strictEqual(
    await hits(root, [
      observed("processEvent", { process: "rundll32.exe", processCmdLine: "x" }),
      observed("processEvent", { process: "other.exe", processCmdLine: "javascript:alert" }),
    ]),
    false,
  );
  strictEqual(
    await hits(root, [
      observed("processEvent", { process: "rundll32.exe", processCmdLine: "javascript:x" }),
    ]),
    true,
  );
});

Deno.test("binding: negated exclusions under AND apply to the same object", async () => {
  const root = or(and(
    item("processEvent/process", "is", "cmd.exe"),
    item("processEvent/parentProcess", "starts-with", "explorer", { negate: true }),
  ));
  // The exclusion holds on another event, but not on the cmd.exe one.
  strictEqual(
    await hits(root, [
      observed("processEvent", { process: "cmd.exe", parentProcess: "explorer.exe" }),
      observed("processEvent", { process: "x.exe", parentProcess: "winword.exe" }),
    ]),
    false,
  );
  strictEqual(
    await hits(root, [
      observed("processEvent", { process: "cmd.exe", parentProcess: "winword.exe" }),
    ]),
    true,
  );
  // A missing parent field satisfies the exclusion (no value matches).
  strictEqual(await hits(root, [observed("processEvent", { process: "cmd.exe" })]), true);
});

Deno.test("binding: an unsupported item under AND blocks the hit; under OR it is ignored", async () => {
  const file = observed("FileItem", { FileName: "a.exe" });
  const yara = () => item("Yara/TextString", "contains", "x", { negate: true });
  strictEqual(await hits(and(item("FileItem/FileName", "is", "a.exe"), yara()), [file]), false);
  strictEqual(await hits(or(item("FileItem/FileName", "is", "a.exe"), yara()), [file]), true);
  strictEqual(await hits(or(yara()), [file]), false);
});

Deno.test("binding: a lone negated item holds iff some object of its document lacks the match", async () => {
  const root = or(item("FileItem/FileName", "is", "a.exe", { negate: true }));
  strictEqual(await hits(root, [observed("FileItem", { FileName: "a.exe" })]), false);
  strictEqual(await hits(root, [observed("FileItem", { FileName: "b.exe" })]), true);
  strictEqual(await hits(root, []), false);
});

Deno.test("binding: an empty Indicator is FALSE", async () => {
  strictEqual(await hits(or(and()), [observed("FileItem", { FileName: "a.exe" })]), false);
  strictEqual(
    await hits(and(item("FileItem/FileName", "is", "a.exe"), or()), [
      observed("FileItem", { FileName: "a.exe" }),
    ]),
    false,
  );
  // Flattening AND-in-AND must not make an empty AND vanish (and so turn TRUE).
  strictEqual(
    await hits(and(item("FileItem/FileName", "is", "a.exe"), and()), [
      observed("FileItem", { FileName: "a.exe" }),
    ]),
    false,
  );
});

Deno.test("binding: evidence names the group's Indicator, object and items that held", async () => {
  const inner = and(
    item("FileItem/FileName", "is", "A.EXE", { id: "name" }),
    item("FileItem/SizeInBytes", "is", "10", { id: "size", negate: true }),
    item("RegistryItem/Text", "contains", "a.exe", { id: "text" }),
  );
  const [detection] = await detect(ioc(or(inner), { id: "x", file: "x.ioc", name: "X" }), [
    observed("FileItem", { FileName: "a.exe", SizeInBytes: 5 }, "C:\\a.exe"),
    observed("RegistryItem", { Text: "run a.exe" }, "HKLM\\Run\\a"),
  ]);
  deepStrictEqual(detection, {
    type: "detection",
    ioc: { id: "x", sha256: "0".repeat(64), name: "X", file: "x.ioc", version: "1.1" },
    evidence: [
      {
        document: "FileItem",
        object: "C:\\a.exe",
        indicator: inner.id,
        items: [
          {
            id: "name",
            search: "FileItem/FileName",
            condition: "is",
            negate: false,
            preserveCase: false,
            expected: "A.EXE",
            observed: "a.exe",
          },
          {
            id: "size",
            search: "FileItem/SizeInBytes",
            condition: "is",
            negate: true,
            preserveCase: false,
            expected: "10",
            observed: 5,
          },
        ],
      },
      {
        document: "RegistryItem",
        object: "HKLM\\Run\\a",
        indicator: inner.id,
        items: [
          {
            id: "text",
            search: "RegistryItem/Text",
            condition: "contains",
            negate: false,
            preserveCase: false,
            expected: "a.exe",
            observed: "run a.exe",
          },
        ],
      },
    ],
  });
});

Deno.test("bindIndicator() an unsupported item inside a same-document OR does not split the group", () => {
  const yara = item("Yara/TextString", "contains", "x");
  const { host, groups } = bind(and(fileA(), or(fileMd5(), yara)));
  deepStrictEqual(groups.map((g) => g.items), [[0, 1]]);
  deepStrictEqual(host, { op: "group", group: 0 });
});

Deno.test("binding: AND(FileItem a, OR(FileItem b, Yara)) still needs a and b on one file", async () => {
  const root = and(
    item("FileItem/FileName", "is", "a.exe"),
    or(item("FileItem/SizeInBytes", "is", "10"), item("Yara/TextString", "contains", "x")),
  );
  const fileA = observed("FileItem", { FileName: "a.exe", SizeInBytes: 1 });
  const fileB = observed("FileItem", { FileName: "b.exe", SizeInBytes: 10 });
  strictEqual(await hits(root, [fileA, fileB]), false);
  strictEqual(
    await hits(root, [observed("FileItem", { FileName: "a.exe", SizeInBytes: 10 })]),
    true,
  );
});

Deno.test("bindIndicator() a host-level single-document OR keeps one group per alternative", () => {
  const pair = and(fileA(), fileMd5());
  const root = or(pair, item("FileItem/Sha1sum", "is", "bb"));
  const { host, groups } = bind(root);
  deepStrictEqual(groups.map((g) => [g.indicator, g.items]), [[pair.id, [0, 1]], [root.id, [2]]]);
  deepStrictEqual(host, {
    op: "or",
    children: [{ op: "group", group: 0 }, { op: "group", group: 1 }],
  });
});

Deno.test("binding: evidence of OR(AND(a, b), c) names the AND that held and only its items", async () => {
  const pair = and(
    item("FileItem/FileName", "is", "a.exe", { id: "name" }),
    item("FileItem/SizeInBytes", "is", "10", { id: "size" }),
  );
  const root = or(pair, item("FileItem/Sha1sum", "is", "bb", { id: "sha1" }));
  const both = observed("FileItem", { FileName: "a.exe", SizeInBytes: 10, Sha1sum: "cc" }, "f1");
  const nameOnly = observed("FileItem", { FileName: "a.exe", SizeInBytes: 1, Sha1sum: "bb" }, "f2");
  const [detection] = await detect(ioc(root, { id: "x", file: "x.ioc", name: "X" }), [
    both,
    nameOnly,
  ]);
  deepStrictEqual(
    detection?.evidence.map((e) => [e.object, e.indicator, e.items.map((i) => i.id)]),
    [["f1", pair.id, ["name", "size"]], ["f2", root.id, ["sha1"]]],
  );
});
