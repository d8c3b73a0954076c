import { deepStrictEqual, throws } from "node:assert/strict";
import { versionResource } from "./_testing/pe_builder.ts";
import { parseVersionInfo } from "./version_info.ts";

Deno.test("parseVersionInfo() returns one item per string table with every key", () => {
  const bytes = versionResource({
    "040904B0": { CompanyName: "Contoso", FileVersion: "1.0", "Assembly Version": "1.0.0.0" },
    "040704B0": { CompanyName: "Contoso GmbH", SpecialBuild: "" },
  });
  deepStrictEqual(parseVersionInfo(bytes), [
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
  deepStrictEqual(parseVersionInfo(bytes), [{ Language: "040904B0", CompanyName: "Contoso" }]);
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
