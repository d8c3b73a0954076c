import { deepStrictEqual, throws } from "node:assert/strict";
import { versionResource } from "./_testing/pe_builder.ts";
import { maxStringsPerTable, maxTables, maxValueChars, parseVersionInfo } from "./version_info.ts";

Deno.test("parseVersionInfo() returns one item per string table with every key", () => {
  const bytes = versionResource({
    "040904B0": { CompanyName: "Contoso", FileVersion: "1.0", "Assembly Version": "1.0.0.0" },
    "040704B0": { CompanyName: "Contoso GmbH", SpecialBuild: "" },
  });
  deepStrictEqual(parseVersionInfo(bytes).items, [
    {
      Language: "040904B0",
      CompanyName: "Contoso",
      FileVersion: "1.0",
      "Assembly Version": "1.0.0.0",
    },
    { Language: "040704B0", CompanyName: "Contoso GmbH", SpecialBuild: "" },
  ]);
});

Deno.test("parseVersionInfo() rejects a damaged root and stops at a zero-length block", () => {
  throws(() => parseVersionInfo(new Uint8Array(4)), /root block/);
  const bytes = versionResource({ "040904B0": { CompanyName: "Contoso", ProductName: "Suite" } });
  const text = new TextDecoder("utf-16le").decode(bytes);
  // Zero the length of the ProductName block: the walk ends before it.
  const at = text.indexOf("ProductName") * 2 - 6;
  bytes[at] = 0;
  bytes[at + 1] = 0;
  deepStrictEqual(parseVersionInfo(bytes).items, [{
    Language: "040904B0",
    CompanyName: "Contoso",
  }]);
});

Deno.test("parseVersionInfo() never throws anything but its own error on truncations", () => {
  const bytes = versionResource({ "040904B0": { CompanyName: "Contoso", ProductName: "Suite" } });
  for (let length = 0; length <= bytes.length; length++) {
    try {
      parseVersionInfo(bytes.subarray(0, length));
    } catch (error) {
      deepStrictEqual(error instanceof Error && error.message.startsWith("version resource"), true);
    }
  }
});

Deno.test("parseVersionInfo() leaves out a value longer than maxValueChars and names it in a gap", () => {
  const bytes = versionResource({
    "040904B0": {
      CompanyName: "Contoso",
      Comments: "x".repeat(maxValueChars + 1),
      ProductName: "y".repeat(maxValueChars),
    },
  });
  const { items, gaps } = parseVersionInfo(bytes);
  deepStrictEqual(items, [
    { Language: "040904B0", CompanyName: "Contoso", ProductName: "y".repeat(maxValueChars) },
  ]);
  deepStrictEqual(gaps.map(({ code, fields }) => ({ code, fields })), [
    { code: "pe-capped", fields: ["VersionInfoList/VersionInfoItem/Comments"] },
  ]);
});

Deno.test("parseVersionInfo() reports the string tables and strings past its limits as unknown", () => {
  const tables: Record<string, Record<string, string>> = {};
  for (let index = 0; index <= maxTables; index++) {
    tables[`0409${index.toString(16).padStart(4, "0")}`] = { CompanyName: "Contoso" };
  }
  const manyTables = parseVersionInfo(versionResource(tables));
  deepStrictEqual(manyTables.items.length, maxTables);
  deepStrictEqual(manyTables.gaps.map(({ code, fields }) => ({ code, fields })), [
    { code: "pe-capped", fields: ["VersionInfoList"] },
  ]);

  const strings: Record<string, string> = {};
  for (let index = 0; index <= maxStringsPerTable; index++) strings[`Key${index}`] = "v";
  const manyStrings = parseVersionInfo(versionResource({ "040904B0": strings }));
  deepStrictEqual(Object.keys(manyStrings.items[0]!).length, 1 + maxStringsPerTable);
  deepStrictEqual(manyStrings.gaps.map(({ code, fields }) => ({ code, fields })), [
    { code: "pe-capped", fields: ["VersionInfoList/VersionInfoItem"] },
  ]);
  deepStrictEqual(parseVersionInfo(versionResource({ "040904B0": { A: "1" } })).gaps, []);
});
