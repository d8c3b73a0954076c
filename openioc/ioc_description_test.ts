import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { ioc11, item11, utf8 } from "./_ioc_fixtures.ts";
import { describeIoc, iocItems } from "./ioc_description.ts";
import { parseIoc } from "./parse_ioc.ts";

const text = ioc11(
  `<Indicator operator="OR" id="top">${item11("a", "is", "FileItem/Md5sum", "x")}` +
    `<Indicator operator="AND" id="s">${item11("b", "contains", "Yara/TextString", "y")}` +
    `${item11("c", "is", "eventItem/processEvent/process", "cmd.exe")}</Indicator>` +
    `${item11("d", "is", "yara/textstring", "z")}${
      item11("e", "is", "urlMonitorEvent/requestUrl", "u")
    }</Indicator>`,
);

Deno.test("describeIoc counts items and lists unsupported terms once, in order", () => {
  const { document } = parseIoc(utf8(text), "d.ioc");
  deepStrictEqual(describeIoc(document), {
    name: "Test 1.1",
    items: 5,
    catalogued: 2,
    unsupported: ["Yara/TextString", "urlMonitorEvent/requestUrl"],
  });
});

Deno.test("describeIoc falls back to the id for a document without short_description", () => {
  const { document } = parseIoc(
    utf8(text.replace(/<short_description>.*?<\/short_description>/, "")),
    "d.ioc",
  );
  strictEqual(describeIoc(document).name, "ioc-11");
});

Deno.test("iocItems lists items depth first in document order", () => {
  const { document } = parseIoc(utf8(text), "d.ioc");
  deepStrictEqual(iocItems(document).map((i) => i.id), ["a", "b", "c", "d", "e"]);
});
