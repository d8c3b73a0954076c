import { deepStrictEqual, fail, ok, strictEqual } from "node:assert/strict";
import { XmlSyntaxError } from "./xml_error.ts";
import {
  attributeValue,
  localName,
  ownNamespace,
  parseXml,
  textOf,
  type XmlElement,
} from "./xml_tree.ts";

function syntaxError(text: string, options?: { maxDepth?: number }): XmlSyntaxError {
  try {
    parseXml(text, options);
  } catch (error) {
    ok(error instanceof XmlSyntaxError, `expected XmlSyntaxError, got ${error}`);
    return error;
  }
  fail(`parsed without error: ${text.slice(0, 80)}`);
}

function names(element: XmlElement): string[] {
  return element.children.flatMap((c) => (c.kind === "element" ? [c.name] : []));
}

Deno.test("parseXml keeps document order across differently named siblings", () => {
  const { root } = parseXml("<I><II/><I2><x/></I2><II/><I2/></I>");
  deepStrictEqual(names(root), ["II", "I2", "II", "I2"]);
});

Deno.test("parseXml records the position of every element", () => {
  const xml = parseXml("<?xml version='1.0'?>\r\n<a>\r\n  <b/>\n\t<c/></a>");
  const [b, c] = xml.root.children.filter((n): n is XmlElement => n.kind === "element");
  deepStrictEqual(xml.lines.positionOf(xml.root.offset), { line: 2, column: 1 });
  deepStrictEqual(xml.lines.positionOf(b!.offset), { line: 3, column: 3 });
  deepStrictEqual(xml.lines.positionOf(c!.offset), { line: 4, column: 2 });
});

Deno.test("parseXml accepts comments and processing instructions around the root", () => {
  const xml = parseXml(
    "<?xml version=\"1.0\" encoding='us-ascii'?>\n<!-- licence -->\n<?pi x?>\n<a/>\n<!-- end -->\n",
  );
  strictEqual(xml.root.name, "a");
  deepStrictEqual(xml.declaration, { version: "1.0", encoding: "us-ascii" });
});

Deno.test("parseXml resolves predefined entities, character references and CDATA", () => {
  const { root } = parseXml(
    "<a t='&lt;&amp;&#x41;&#66;'>x &gt; y &quot;&apos;<![CDATA[<raw&>]]></a>",
  );
  strictEqual(attributeValue(root, "t"), "<&AB");
  strictEqual(textOf(root), "x > y \"'<raw&>");
});

Deno.test("parseXml normalises line ends in text and keeps whitespace as written", () => {
  const { root } = parseXml("<a>  one\r\ntwo\rthree  </a>");
  strictEqual(textOf(root), "  one\ntwo\nthree  ");
});

Deno.test("parseXml gives namespace helpers", () => {
  const { root } = parseXml("<p:ioc xmlns:p='urn:x' xmlns='urn:default'/>");
  strictEqual(localName(root.name), "ioc");
  strictEqual(ownNamespace(root), "urn:x");
  strictEqual(ownNamespace(parseXml("<ioc xmlns='urn:d'/>").root), "urn:d");
});

Deno.test("parseXml rejects any DOCTYPE before anything is expanded", () => {
  const error = syntaxError('<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY x "y">]>\n<a>&x;</a>');
  ok(error.message.includes("DOCTYPE"));
  deepStrictEqual(error.position, { line: 2, column: 1 });
});

Deno.test("parseXml rejects undefined entities and bare ampersands", () => {
  ok(syntaxError("<a>&nbsp;</a>").message.includes("undefined entity &nbsp;"));
  deepStrictEqual(syntaxError("<a>\n  x & y</a>").position, { line: 2, column: 5 });
  ok(syntaxError("<a>&#0;</a>").message.includes("not a valid XML character"));
});

Deno.test("parseXml reports mismatched and unclosed tags with both places", () => {
  const mismatch = syntaxError("<a>\n<b>\n</a>");
  ok(mismatch.message.includes("</a> does not match <b> opened at 2:1"), mismatch.message);
  deepStrictEqual(mismatch.position, { line: 3, column: 1 });
  const truncated = syntaxError("<a>\n <b>text");
  ok(truncated.message.includes("<b> opened at 2:2 is not closed"), truncated.message);
  ok(syntaxError("<a><b x='1'").message.includes("end of file inside the start tag"));
});

Deno.test("parseXml rejects malformed attributes", () => {
  ok(syntaxError("<a x=1/>").message.includes("not quoted"));
  ok(syntaxError("<a x='1' x='2'/>").message.includes("duplicate attribute x"));
  ok(syntaxError("<a x='1'y='2'/>").message.includes("expected whitespace"));
  ok(syntaxError("<a x='<'/>").message.includes("'<' in the value"));
  ok(syntaxError("<a x/>").message.includes("has no value"));
});

Deno.test("parseXml rejects text or elements outside the root", () => {
  ok(syntaxError("junk<a/>").message.includes("before the root"));
  ok(syntaxError("<a/><b/>").message.includes("after the root"));
  ok(syntaxError("<a/>junk").message.includes("after the root"));
  ok(syntaxError("   ").message.includes("no root element"));
});

Deno.test("parseXml rejects a declaration that is not at the start", () => {
  const error = syntaxError('<!-- first -->\n<?xml version="1.0"?>\n<a/>');
  ok(error.message.includes("only allowed at the very start"));
  deepStrictEqual(error.position, { line: 2, column: 1 });
});

Deno.test("parseXml rejects characters XML does not allow", () => {
  const error = syntaxError("<a>\n ok\u0001</a>");
  ok(error.message.includes("U+0001"));
  deepStrictEqual(error.position, { line: 2, column: 4 });
});

Deno.test("parseXml limits nesting depth without recursion", () => {
  const depth = 10_000;
  const text = "<a>".repeat(depth) + "</a>".repeat(depth);
  const error = syntaxError(text);
  ok(error.message.includes("nested deeper than 256"), error.message);
  strictEqual(parseXml("<a>".repeat(50) + "</a>".repeat(50)).root.name, "a");
  ok(syntaxError("<a><a><a></a></a></a>", { maxDepth: 2 }).message.includes("deeper than 2"));
});

Deno.test("parseXml accepts only the five predefined entities, not Object.prototype's names", () => {
  for (const name of ["constructor", "toString", "hasOwnProperty", "valueOf", "__proto__"]) {
    const error = syntaxError(`<a>x &${name}; y</a>`);
    ok(error.message.includes(`undefined entity &${name};`), error.message);
    syntaxError(`<a b="&${name};"/>`);
  }
  strictEqual(textOf(parseXml("<a>&lt;&gt;&amp;&quot;&apos;</a>").root), `<>&"'`);
});

Deno.test("parseXml quotes at most 40 characters of a bad reference", () => {
  const error = syntaxError(`<a>&${"x".repeat(100_000)};</a>`);
  ok(error.message.length < 200, error.message.slice(0, 300));
});
