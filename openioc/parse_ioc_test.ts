import { deepStrictEqual, fail, ok, strictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { ioc10, ioc11, item10, item11, ns10, ns11, param11, utf8 } from "./_ioc_fixtures.ts";
import { iocItems } from "./ioc_description.ts";
import { IocLoadError } from "./load_error.ts";
import type { Indicator, IndicatorItem, LoadWarning } from "./model.ts";
import { parseIoc } from "./parse_ioc.ts";

function load(text: string | Uint8Array, options?: { maxFileBytes?: number }) {
  return parseIoc(typeof text === "string" ? utf8(text) : text, "t.ioc", options);
}

function rejection(text: string | Uint8Array, options?: { maxFileBytes?: number }): IocLoadError {
  try {
    load(text, options);
  } catch (error) {
    ok(error instanceof IocLoadError, `expected IocLoadError, got ${error}`);
    strictEqual(error.file, "t.ioc");
    return error;
  }
  fail("loaded, expected a rejection");
}

function codes(warnings: LoadWarning[]): string[] {
  return warnings.map((w) => w.code);
}

const md5Item = item10("i1", "is", "FileItem/Md5sum", "d41d8cd98f00b204e9800998ecf8427e", {
  contentType: "md5",
});

Deno.test("parseIoc loads a 1.0 document into the model", () => {
  const text = ioc10(
    `<Indicator operator="OR" id="top">${md5Item}
    <Indicator operator="AND" id="and1">${
      item10("i2", "containsnot", "FileItem/FullPath", "C:\\Windows", { comment: " legit " })
    }
    ${item10("i3", "isnot", "FileItem/FileName", "a.exe")}</Indicator></Indicator>`,
    {
      head:
        `<links><link rel="report" href="http://x">see</link></links><description> d </description>`,
    },
  );
  const { document, warnings } = load(text);
  deepStrictEqual(warnings, []);
  strictEqual(document.version, "1.0");
  strictEqual(document.id, "ioc-10");
  strictEqual(document.file, "t.ioc");
  strictEqual(document.contentHash, createHash("sha256").update(utf8(text)).digest("hex"));
  strictEqual(document.metadata.shortDescription, "Test 1.0");
  strictEqual(document.metadata.description, "d");
  strictEqual(document.metadata.lastModified, "2013-01-01T00:00:00");
  deepStrictEqual(document.metadata.links, [{ rel: "report", href: "http://x", value: "see" }]);
  strictEqual(document.root.id, "top");
  strictEqual(document.root.operator, "OR");
  const [first, and] = document.root.children as [IndicatorItem, Indicator];
  deepStrictEqual(first.context, { document: "FileItem", search: "FileItem/Md5sum", type: "mir" });
  deepStrictEqual(first.content, { type: "md5", value: "d41d8cd98f00b204e9800998ecf8427e" });
  strictEqual(first.negate, false);
  strictEqual(first.preserveCase, false);
  deepStrictEqual(first.position, { line: 6, column: 35 });
  strictEqual(and.operator, "AND");
  const [containsNot, isNot] = and.children as [IndicatorItem, IndicatorItem];
  strictEqual(containsNot.condition, "contains");
  strictEqual(containsNot.negate, true);
  strictEqual(containsNot.comment, "legit");
  strictEqual(containsNot.content.value, "C:\\Windows");
  strictEqual(isNot.condition, "is");
  strictEqual(isNot.negate, true);
});

Deno.test("parseIoc loads a 1.1 document with negate, preserve-case and parameters", () => {
  const text = ioc11(
    `<Indicator operator="OR" id="top"><Indicator operator="AND" id="and1">` +
      item11("i1", "starts-with", "ProcessItem/name", "svc", { negate: true, preserveCase: true }) +
      item11("i2", "matches", "processEvent/processCmdLine", "^a.*b$") +
      `</Indicator></Indicator>`,
    { parameters: param11("i1", "comment", "why") + param11("and1", "score", "80") },
  );
  const { document, warnings } = load(text);
  deepStrictEqual(warnings, []);
  strictEqual(document.version, "1.1");
  strictEqual(document.metadata.authoredBy, "t");
  strictEqual(document.metadata.publishedDate, "0001-01-01T00:00:00");
  const and = document.root.children[0] as Indicator;
  const [i1, i2] = and.children as [IndicatorItem, IndicatorItem];
  strictEqual(i1.condition, "starts-with");
  strictEqual(i1.negate, true);
  strictEqual(i1.preserveCase, true);
  strictEqual(i1.comment, "why");
  deepStrictEqual(i1.parameters, [{
    id: "p-i1-comment",
    refId: "i1",
    name: "comment",
    value: "why",
    valueType: "string",
  }]);
  strictEqual(and.parameters[0]?.name, "score");
  strictEqual(i2.condition, "matches");
  strictEqual(document.parameters.length, 2);
});

Deno.test("parseIoc tolerates a BOM, a comment before the root, CRLF and a single-quoted declaration", () => {
  const body = ioc10(`<Indicator operator="OR" id="top">${md5Item}</Indicator>`)
    .replace(/^<\?xml[^>]*>/, "<?xml version='1.0' encoding='UTF-8'?>\n<!-- licence header -->")
    .replaceAll("\n", "\r\n");
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(body)]);
  const { document, warnings } = load(bytes);
  deepStrictEqual(warnings, []);
  strictEqual(iocItems(document).length, 1);
  strictEqual(iocItems(document)[0]!.position?.line, 7);
});

Deno.test("parseIoc tolerates a file without XML declaration and UTF-16 with BOM", () => {
  const text = ioc11(
    `<Indicator operator="OR" id="top">${item11("a", "is", "FileItem/FileName", "x")}</Indicator>`,
  );
  strictEqual(load(text.replace(/^<\?xml[^>]*>\n/, "")).document.version, "1.1");
  const units = "\uFEFF" + text.replace("UTF-8", "UTF-16");
  const bytes = new Uint8Array(units.length * 2);
  for (let i = 0; i < units.length; i++) {
    new DataView(bytes.buffer).setUint16(i * 2, units.charCodeAt(i), true);
  }
  strictEqual(load(bytes).document.id, "ioc-11");
});

Deno.test("parseIoc tolerates a missing last-modified and Indicators without id (stable synthesised ids)", () => {
  const text = ioc10(
    `<Indicator operator="OR"><Indicator operator="AND">${md5Item}</Indicator>` +
      `<IndicatorItem condition="is"><Context document="FileItem" search="FileItem/FileName" type="mir"/>` +
      `<Content type="string">a</Content></IndicatorItem></Indicator>`,
  ).replace(/ last-modified="[^"]*"/, "");
  const first = load(text);
  const second = load(text);
  strictEqual(first.document.metadata.lastModified, undefined);
  strictEqual(first.document.root.id, "ioc-10/1");
  strictEqual(first.document.root.children[0]!.id, "ioc-10/1/1");
  strictEqual(first.document.root.children[1]!.id, "ioc-10/1/2");
  deepStrictEqual(first.document, second.document);
  deepStrictEqual(codes(first.warnings), ["missing-id", "missing-id", "missing-id"]);
});

Deno.test("parseIoc keeps items after sub-Indicators in document order", () => {
  const text = ioc11(
    `<Indicator operator="OR" id="top">` +
      item11("a", "is", "FileItem/FileName", "1") +
      `<Indicator operator="AND" id="sub">${
        item11("b", "is", "FileItem/FileName", "2")
      }</Indicator>` +
      item11("c", "is", "FileItem/FileName", "3") +
      `<Indicator operator="AND" id="sub2">${
        item11("d", "is", "FileItem/FileName", "4")
      }</Indicator>` +
      `</Indicator>`,
  );
  const { document } = load(text);
  deepStrictEqual(document.root.children.map((c) => c.id), ["a", "sub", "c", "sub2"]);
  deepStrictEqual(iocItems(document).map((i) => i.id), ["a", "b", "c", "d"]);
});

Deno.test("parseIoc accepts 1.1 attributes inside a 1.0 file", () => {
  const text = ioc10(
    `<Indicator operator="OR" id="top">${
      item10("a", "contains", "FileItem/FullPath", "X", {
        attributes: ' preserve-case="true" negate="true"',
      })
    }${
      item10("b", "isnot", "FileItem/FileName", "y", { attributes: ' negate="true"' })
    }</Indicator>`,
  );
  const { document, warnings } = load(text);
  deepStrictEqual(warnings, []);
  const [a, b] = iocItems(document);
  strictEqual(a!.preserveCase, true);
  strictEqual(a!.negate, true);
  strictEqual(b!.negate, false, "isnot with negate=true cancels out");
});

Deno.test("parseIoc warns about dangling param ref-ids and keeps the param", () => {
  const text = ioc11(
    `<Indicator operator="OR" id="top">${item11("a", "is", "FileItem/FileName", "x")}</Indicator>`,
    {
      parameters: param11("nowhere", "score", "10"),
    },
  );
  const { document, warnings } = load(text);
  deepStrictEqual(codes(warnings), ["dangling-param-ref"]);
  ok(warnings[0]!.message.includes('"nowhere"'));
  strictEqual(warnings[0]!.line, 7);
  strictEqual(document.parameters.length, 1);
});

Deno.test("parseIoc warns about empty Content and keeps the value as written", () => {
  const text = ioc10(
    `<Indicator operator="OR" id="top">${item10("evil.example", "is", "Network/DNS", "")}` +
      `${item10("b", "is", "FileItem/FileName", "  spaced name  ")}</Indicator>`,
  );
  const { document, warnings } = load(text);
  deepStrictEqual(codes(warnings), ["empty-content"]);
  strictEqual(warnings[0]!.itemId, "evil.example");
  strictEqual(warnings[0]!.iocId, "ioc-10");
  strictEqual(iocItems(document)[1]!.content.value, "  spaced name  ");
});

Deno.test("parseIoc warns about a document/search mismatch and repeated node ids", () => {
  const text = ioc10(
    `<Indicator operator="OR" id="top">` +
      `<IndicatorItem id="a" condition="is"><Context document="Network" search="RegistryItem/KeyPath" type="mir"/>` +
      `<Content type="string">x</Content></IndicatorItem>${
        item10("a", "is", "FileItem/FileName", "y")
      }</Indicator>`,
  );
  deepStrictEqual(codes(load(text).warnings), ["context-document-mismatch", "duplicate-node-id"]);
});

Deno.test("parseIoc accepts the HX eventItem document spelling without warning", () => {
  const text = ioc11(
    `<Indicator operator="OR" id="top"><IndicatorItem id="a" condition="is" negate="false" ` +
      `preserve-case="false"><Context document="eventItem" search="eventItem/processEvent/process" type="event"/>` +
      `<Content type="string">cmd.exe</Content></IndicatorItem></Indicator>`,
  );
  deepStrictEqual(load(text).warnings, []);
});

Deno.test("parseIoc reads conditions and operators case-insensitively with a warning", () => {
  const text = ioc10(
    `<Indicator operator="or" id="top">${item10("a", "IS", "FileItem/FileName", "y")}</Indicator>`,
  );
  const { document, warnings } = load(text);
  strictEqual(document.root.operator, "OR");
  strictEqual((document.root.children[0] as IndicatorItem).condition, "is");
  deepStrictEqual(codes(warnings), ["nonstandard-operator", "nonstandard-condition"]);
});

Deno.test("parseIoc combines several top Indicators with OR and warns", () => {
  const text = ioc10(
    `<Indicator operator="AND" id="t1">${md5Item}</Indicator><Indicator operator="OR" id="t2">` +
      `${item10("b", "is", "FileItem/FileName", "y")}</Indicator>`,
  );
  const { document, warnings } = load(text);
  strictEqual(document.root.operator, "OR");
  deepStrictEqual(document.root.children.map((c) => c.id), ["t1", "t2"]);
  deepStrictEqual(codes(warnings), ["multiple-top-indicators"]);
});

Deno.test("parseIoc rejects XML that is not well-formed, with line and column", () => {
  const text = ioc10(`<Indicator operator="OR" id="top">${md5Item}</Indicatr>`);
  const error = rejection(text);
  ok(error.reason.startsWith("not well-formed XML: end tag </Indicatr>"), error.reason);
  strictEqual(error.line, 6);
  ok(error.message.startsWith("t.ioc:6:"));
});

Deno.test("parseIoc rejects an unknown root or namespace", () => {
  ok(rejection(`<root xmlns="${ns10}"/>`).reason.includes("unknown root element <root>"));
  ok(rejection(`<ioc id="x"/>`).reason.includes("has no namespace"));
  ok(rejection(`<ioc xmlns="urn:other" id="x"/>`).reason.includes('namespace "urn:other"'));
  ok(rejection(`<OpenIOC xmlns="${ns10}" id="x"/>`).reason.includes(`namespace "${ns10}"`));
  ok(rejection(`<ioc xmlns="${ns11}" id="x"/>`).reason.includes("expected"));
  const error = rejection(
    `<?xml version="1.0"?>\n\n  <schema xmlns="http://www.w3.org/2001/XMLSchema"/>`,
  );
  deepStrictEqual([error.line, error.column], [3, 3]);
});

Deno.test("parseIoc accepts a prefixed root element", () => {
  const text = `<i:ioc xmlns:i="${ns10}" id="p"><i:definition><i:Indicator operator="OR" id="t">` +
    `<i:IndicatorItem id="a" condition="is"><i:Context document="FileItem" search="FileItem/FileName" type="mir"/>` +
    `<i:Content type="string">x</i:Content></i:IndicatorItem></i:Indicator></i:definition></i:ioc>`;
  strictEqual(iocItems(load(text).document).length, 1);
});

Deno.test("parseIoc rejects an unknown operator or condition", () => {
  const badOperator = rejection(ioc10(`<Indicator operator="XOR" id="top">${md5Item}</Indicator>`));
  ok(badOperator.reason.includes('unknown operator "XOR"'));
  strictEqual(badOperator.line, 6);
  const badCondition = rejection(
    ioc11(
      `<Indicator operator="OR" id="top">\n${
        item11("z", "near", "FileItem/FileName", "x")
      }</Indicator>`,
    ),
  );
  ok(badCondition.reason.includes('unknown condition "near" in IndicatorItem "z"'));
  strictEqual(badCondition.line, 6);
  ok(
    rejection(ioc10(`<Indicator id="top">${md5Item}</Indicator>`)).reason.includes("no @operator"),
  );
  ok(
    rejection(
      ioc10(
        `<Indicator operator="OR" id="t"><IndicatorItem id="q"><Context document="FileItem" search="FileItem/FileName" type="mir"/><Content type="string">x</Content></IndicatorItem></Indicator>`,
      ),
    ).reason.includes("no @condition"),
  );
});

Deno.test("parseIoc rejects a 1.1 item without Context or Content, tolerates it in 1.0", () => {
  const noContext =
    `<IndicatorItem id="q" condition="is" negate="false" preserve-case="false"><Content type="string">x</Content></IndicatorItem>`;
  const noContent =
    `<IndicatorItem id="r" condition="is" negate="false" preserve-case="false"><Context document="FileItem" search="FileItem/FileName" type="mir"/></IndicatorItem>`;
  ok(
    rejection(ioc11(`<Indicator operator="OR" id="t">${noContext}</Indicator>`)).reason.includes(
      '"q" has no Context',
    ),
  );
  ok(
    rejection(ioc11(`<Indicator operator="OR" id="t">${noContent}</Indicator>`)).reason.includes(
      '"r" has no Content',
    ),
  );
  const tolerated = load(
    ioc10(`<Indicator operator="OR" id="t">${noContext}${noContent}</Indicator>`),
  );
  deepStrictEqual(codes(tolerated.warnings), ["missing-context", "empty-content"]);
});

Deno.test("parseIoc rejects a negate or preserve-case that is not a boolean", () => {
  const text = ioc11(
    `<Indicator operator="OR" id="t">${item11("a", "is", "FileItem/FileName", "x")}</Indicator>`,
  )
    .replace('negate="false"', 'negate="maybe"');
  ok(rejection(text).reason.includes('@negate="maybe"'));
});

Deno.test("parseIoc rejects a file over the size limit before parsing", () => {
  const text = ioc10(`<Indicator operator="OR" id="top">${md5Item}</Indicator>`);
  const error = rejection(text, { maxFileBytes: 100 });
  ok(error.reason.includes(`${utf8(text).length} bytes, over the 100-byte limit`));
  strictEqual(error.line, undefined);
  strictEqual(load(text, { maxFileBytes: utf8(text).length }).document.id, "ioc-10");
});

Deno.test("parseIoc synthesises an id for a document without one", () => {
  const text = ioc10(`<Indicator operator="OR" id="top">${md5Item}</Indicator>`).replace(
    ' id="ioc-10"',
    "",
  );
  const { document, warnings } = load(text);
  ok(document.id.startsWith("sha256:"));
  strictEqual(document.id, load(text).document.id);
  deepStrictEqual(codes(warnings), ["missing-ioc-id"]);
});

Deno.test("parseIoc warns about a document without Indicators", () => {
  const { document, warnings } = load(ioc11(""));
  strictEqual(document.root.children.length, 0);
  deepStrictEqual(codes(warnings), ["no-indicators"]);
});

Deno.test("parseIoc turns decoding notes into encoding warnings", () => {
  const text = ioc10(`<Indicator operator="OR" id="top">${md5Item}</Indicator>`).replace(
    "us-ascii",
    "latin-1",
  );
  const { warnings } = load(text);
  deepStrictEqual(codes(warnings), ["encoding"]);
  strictEqual(warnings[0]!.iocId, "ioc-10");
});
