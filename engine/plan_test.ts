import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import type { IndicatorNode } from "../openioc/model.ts";
import { corpusDir } from "../tests/corpus.ts";
import { parseIoc } from "../openioc/load.ts";
import { and, detect, ioc, item, observed, or } from "./_model_fixtures.ts";
import { compilePlan } from "./plan.ts";
import { compileItem } from "./item_condition.ts";
import { iocItems } from "../openioc/ioc_description.ts";

Deno.test("compilePlan() needs lists the top-level fields per resolved document", () => {
  const plan = compilePlan([
    ioc(or(
      and(item("FileItem/FileName", "is", "a"), item("FileItem/MD5Sum", "is", "aa")),
      item("FileItem/PEInfo/PETimeStamp", "greater-than", "2010-01-01"),
      item("eventItem/processEvent/process", "is", "x", { document: "eventItem" }),
      item("Yara/TextString", "contains", "x"),
      item("RegistryItem/Text", "is", ""),
    )),
  ]);
  deepStrictEqual(
    [...plan.needs].map(([document, fields]) => [document, [...fields].sort()]),
    [["FileItem", ["FileName", "Md5sum", "PEInfo"]], ["processEvent", ["process"]]],
  );
  deepStrictEqual([...plan.documents].sort(), ["FileItem", "processEvent"]);
});

Deno.test("compilePlan() reports items that are not evaluated, and warns about invalid values", () => {
  const document = ioc(
    or(
      item("Yara/TextString", "contains", "x", { id: "yara" }),
      item("FileItem/Md5sum", "is", "", { id: "empty" }),
      item("FileItem/FileName", "matches", "([", { id: "regex" }),
      item("FileItem/SizeInBytes", "is", "12KB", { id: "size" }),
      item("FileItem/FileName", "is", "ok", { id: "fine" }),
    ),
    { id: "ioc-1", file: "dir/one.ioc", name: "One" },
  );
  const plan = compilePlan([document]);
  deepStrictEqual(plan.notEvaluated.map((event) => [event.itemId, event.reason, event.search]), [
    ["yara", "unsupported-term", "Yara/TextString"],
    ["empty", "empty-content", "FileItem/Md5sum"],
    ["regex", "invalid-value", "FileItem/FileName"],
    ["size", "invalid-value", "FileItem/SizeInBytes"],
  ]);
  deepStrictEqual(plan.notEvaluated[0]!.ioc, {
    id: "ioc-1",
    sha256: "0".repeat(64),
    name: "One",
    file: "dir/one.ioc",
    version: "1.1",
  });
  deepStrictEqual(plan.warnings.map((w) => [w.code, w.file, w.iocId, w.itemId]), [
    ["invalid-value", "dir/one.ioc", "ioc-1", "regex"],
    ["invalid-value", "dir/one.ioc", "ioc-1", "size"],
  ]);
  for (const warning of plan.warnings) {
    strictEqual(warning.message.includes("dir/one.ioc") && warning.message.includes("ioc-1"), true);
  }
});

Deno.test("compilePlan() sessions report detections by IOC file, then id", async () => {
  const name = () => item("FileItem/FileName", "is", "a.exe");
  const documents = [
    ioc(or(name()), { id: "b", file: "z.ioc" }),
    ioc(or(name()), { id: "c", file: "a.ioc" }),
    ioc(or(name()), { id: "a", file: "a.ioc" }),
    ioc(or(item("FileItem/FileName", "is", "other")), { id: "miss", file: "0.ioc" }),
  ];
  const detections = await detect(documents, [observed("FileItem", { FileName: "A.EXE" })]);
  deepStrictEqual(detections.map((d) => [d.ioc.file, d.ioc.id]), [["a.ioc", "a"], ["a.ioc", "c"], [
    "z.ioc",
    "b",
  ]]);
});

Deno.test("compilePlan() many IOCs sharing an index do not leak into each other", async () => {
  const documents = Array.from({ length: 50 }, (_, i) =>
    ioc(
      or(and(
        item("FileItem/FileName", "is", `f${i}.exe`),
        item("FileItem/FullPath", "contains", `\\dir${i}\\`),
        item("FileItem/FullPath", "ends-with", `${i}.exe`),
      )),
      { id: `ioc-${String(i).padStart(2, "0")}` },
    ));
  const detections = await detect(documents, [
    observed("FileItem", { FileName: "f7.exe", FullPath: "C:\\dir7\\f7.exe" }),
    observed("FileItem", { FileName: "f8.exe", FullPath: "C:\\dir9\\f8.exe" }),
    observed("FileItem", { FileName: "f12.exe", FullPath: "C:\\dir12\\f12.exe" }),
  ]);
  deepStrictEqual(detections.map((d) => d.ioc.id), ["ioc-07", "ioc-12"]);
});

Deno.test("compilePlan() groups that can hold without an index hit are still evaluated", async () => {
  // OR(NOT name is x, size > 5): true for most files although nothing is "hit".
  const root = or(and(
    item("FileItem/FileName", "is", "x.exe", { negate: true }),
    item("FileItem/SizeInBytes", "greater-than", "5"),
  ));
  strictEqual(
    (await detect(ioc(root), [observed("FileItem", { FileName: "y.exe", SizeInBytes: 6 })])).length,
    1,
  );
  strictEqual(
    (await detect(ioc(root), [observed("FileItem", { FileName: "x.exe", SizeInBytes: 6 })])).length,
    0,
  );
  const regexOnly = or(item("FileItem/FullPath", "matches", "\\\\temp\\\\[^\\\\]+\\.exe$"));
  strictEqual(
    (await detect(ioc(regexOnly), [observed("FileItem", { FullPath: "C:\\Temp\\a.exe" })])).length,
    1,
  );
});

Deno.test("compilePlan() from XML: a 1.0 file with isnot/containsnot and a 1.1 file", async () => {
  const xml10 = `<?xml version="1.0" encoding="us-ascii"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="ioc10" last-modified="2013-01-01T00:00:00">
  <short_description>Ten</short_description><authored_date>2013-01-01T00:00:00</authored_date>
  <definition><Indicator operator="OR" id="top">
    <Indicator operator="AND" id="and1">
      <IndicatorItem id="i1" condition="is"><Context document="FileItem" search="FileItem/Md5sum" type="mir"/><Content type="md5">0123456789ABCDEF0123456789ABCDEF</Content></IndicatorItem>
      <IndicatorItem id="i2" condition="isnot"><Context document="FileItem" search="FileItem/FileName" type="mir"/><Content type="string">good.exe</Content></IndicatorItem>
    </Indicator>
    <IndicatorItem id="i3" condition="contains"><Context document="PortItem" search="PortItem/remoteIP" type="mir"/><Content type="IP">103.41.124.</Content></IndicatorItem>
  </Indicator></definition>
</ioc>`;
  const xml11 = `<?xml version="1.0" encoding="utf-8"?>
<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="ioc11" last-modified="2020-01-01T00:00:00" published-date="0001-01-01T00:00:00">
  <metadata><short_description>Eleven</short_description><authored_date>2020-01-01T00:00:00</authored_date><links/></metadata>
  <criteria><Indicator operator="OR" id="top">
    <Indicator operator="AND" id="and1">
      <IndicatorItem id="p" condition="is" negate="false" preserve-case="false"><Context document="eventItem" search="eventItem/processEvent/process" type="event"/><Content type="string">cmd.exe</Content></IndicatorItem>
      <IndicatorItem id="q" condition="starts-with" negate="true" preserve-case="false"><Context document="processEvent" search="processEvent/parentProcess" type="event"/><Content type="string">explorer</Content></IndicatorItem>
    </Indicator>
  </Indicator></criteria>
</OpenIOC>`;
  const encoder = new TextEncoder();
  const documents = [
    parseIoc(encoder.encode(xml10), "ten.ioc").document,
    parseIoc(encoder.encode(xml11), "eleven.ioc").document,
  ];
  const detections = await detect(documents, [
    observed("FileItem", { Md5sum: "0123456789abcdef0123456789abcdef", FileName: "good.exe" }),
    observed("PortItem", { remoteIP: "103.41.124.99" }, "tcp 103.41.124.99:443"),
    observed("processEvent", { process: "CMD.EXE", parentProcess: "winword.exe" }, "evt-1"),
    observed("processEvent", { process: "cmd.exe", parentProcess: "explorer.exe" }, "evt-2"),
  ]);
  deepStrictEqual(
    detections.map((d) => [d.ioc.id, d.evidence.map((e) => [e.object, e.items.map((i) => i.id)])]),
    [
      ["ioc11", [["evt-1", ["p", "q"]]]],
      ["ioc10", [["tcp 103.41.124.99:443", ["i3"]]]],
    ],
  );
});

Deno.test("compilePlan() on the real corpus: every item is evaluable or reported, and a real HX IOC hits", async () => {
  const corpus = corpusDir("openioc");
  if (corpus === undefined) return;
  const { loadIocPaths } = await import("../openioc/load.ts");
  const set = await loadIocPaths([corpus]);
  const plan = compilePlan(set.documents);
  const items = set.documents.reduce((sum, d) => sum + countItems(d.root), 0);
  const reasons = new Set(plan.notEvaluated.map((event) => event.reason));
  ok(items > 3000, `${items} items`);
  ok(plan.notEvaluated.length > 0 && plan.notEvaluated.length < items);
  const known = [
    "unsupported-term",
    "no-collector",
    "not-produced",
    "empty-content",
    "invalid-value",
  ];
  ok([...reasons].every((r) => known.includes(r)));
  // One event, so one reason, per item that is not evaluated (item ids are not unique in the corpus).
  const notEvaluatedItems = set.documents.flatMap((d) => iocItems(d).map((i) => [d, i] as const))
    .filter(([d, i]) => compileItem(i, d.version).test.kind === "not-evaluated").length;
  strictEqual(plan.notEvaluated.length, notEvaluatedItems);
  // Every not-evaluated item names a document that was loaded.
  const ids = new Set(set.documents.map((d) => d.id));
  ok(plan.notEvaluated.every((event) => ids.has(event.ioc.id)));
  ok(plan.needs.has("processEvent") && plan.needs.has("FileItem"));

  const file = join(
    corpus,
    "dfir-ronin-APT-OpenIOC-Detection-Rules/Defense Evasion/System Binary Proxy Execution",
    "Rundll32 execution load with DllRegisterServer (Methodology).ioc",
  );
  const real = (await loadIocPaths([file])).documents;
  strictEqual(real.length, 1);
  const detections = await detect(real, [
    observed("processEvent", {
      process: "C:\\Windows\\System32\\rundll32.exe",
      processCmdLine: "rundll32.exe C:\\Windows\\System32\\shell32.dll,DllRegisterServer",
    }, "legit"),
    observed("processEvent", {
      process: "rundll32.exe",
      processCmdLine: "rundll32.exe C:\\Users\\Public\\evil.dll,DllRegisterServer",
    }, "evil"),
  ]);
  deepStrictEqual(detections.map((d) => d.evidence.map((e) => [e.object, e.items.length])), [[[
    "evil",
    5,
  ]]]);
});

function countItems(node: IndicatorNode): number {
  return node.kind === "item"
    ? 1
    : node.children.reduce((sum, child) => sum + countItems(child), 0);
}
