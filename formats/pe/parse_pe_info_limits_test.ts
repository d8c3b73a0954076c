import { deepStrictEqual, ok } from "node:assert/strict";
import { byteSourceFromBytes, parsePeInfo, type PeGap, type PeParseOptions } from "./mod.ts";
import { expectOk } from "./_testing/expect_ok.ts";
import { buildPe, offsetOfRva, type PeSpec, setU32 } from "./_testing/pe_builder.ts";

// Every table cut at a limit or damaged leaves the fields it lost unknown (a gap with
// their PEInfo paths), never merely shorter: a negated item on a cut list must not hold.

const baseSpec: PeSpec = {
  bits: 32,
  imports: [
    { name: "KERNEL32.dll", functions: ["CreateFileW", "ReadFile", "WriteFile"] },
    { name: "USER32.dll", functions: ["MessageBoxW"] },
  ],
  exports: { dllName: "x.dll", names: ["One", "Two", "Three"] },
  version: { "040904B0": { CompanyName: "Contoso" } },
  resources: [
    { type: 10, name: 1, language: 0x0409, data: Uint8Array.of(1) },
    { type: 10, name: 2, language: 0x0409, data: Uint8Array.of(2) },
  ],
};

async function gapsOf(spec: PeSpec, options: PeParseOptions = {}) {
  return expectOk(await parsePeInfo(byteSourceFromBytes(buildPe(spec).bytes), options));
}

/** The gaps as code and fields only (messages name offsets). */
const shapes = (gaps: readonly PeGap[]) => gaps.map(({ code, fields }) => ({ code, fields }));

const resourceFields = ["ResourceInfoList", "VersionInfoList"];

Deno.test("parsePeInfo() reports no gap for an image within every limit", async () => {
  deepStrictEqual((await gapsOf(baseSpec)).gaps, []);
});

Deno.test("parsePeInfo() leaves the function lists unknown past maxImportedFunctions", async () => {
  const { info, gaps } = await gapsOf(baseSpec, { maxImportedFunctions: 2 });
  deepStrictEqual(info.ImportedModules.Module.map((module) => module.Name), [
    "KERNEL32.dll",
    "USER32.dll",
  ]);
  deepStrictEqual(shapes(gaps)[0], {
    code: "pe-capped",
    fields: [
      "ImportedModules/Module/ImportedFunctions",
      "ImportedModules/Module/NumberOfFunctions",
    ],
  });
});

Deno.test("parsePeInfo() leaves the exported names unknown past maxExportedNames", async () => {
  const { info, gaps } = await gapsOf(baseSpec, { maxExportedNames: 2 });
  deepStrictEqual(info.Exports?.ExportedFunctions.string, ["One", "Two"]);
  deepStrictEqual(shapes(gaps), [{ code: "pe-capped", fields: ["Exports/ExportedFunctions"] }]);
});

Deno.test("parsePeInfo() leaves resources and version strings unknown past maxResources", async () => {
  const { info, gaps } = await gapsOf(baseSpec, { maxResources: 1 });
  deepStrictEqual(info.ResourceInfoList.ResourceInfoItem.length, 1);
  deepStrictEqual(shapes(gaps), [{ code: "pe-capped", fields: resourceFields }]);
});

Deno.test("parsePeInfo() leaves the sections past maxSections unknown", async () => {
  const { info, gaps } = await gapsOf(baseSpec, { maxSections: 2 });
  deepStrictEqual(info.Sections.ActualNumberOfSections, 2);
  deepStrictEqual(shapes(gaps)[0], {
    code: "pe-capped",
    fields: ["Sections/Section", "Sections/ActualNumberOfSections", "ExtraneousBytes"],
  });
  // The resource directory lies in the third section, which was not read: it is unknown too.
  ok(gaps.some((gap) => gap.fields.includes("ResourceInfoList")), JSON.stringify(gaps));
});

Deno.test("parsePeInfo() reports a version string past 4,096 characters as unknown, not as a value", async () => {
  const long = "C".repeat(4097);
  const { info, gaps } = await gapsOf({
    ...baseSpec,
    version: { "040904B0": { CompanyName: "Contoso", LegalCopyright: long } },
  });
  deepStrictEqual(info.VersionInfoList.VersionInfoItem, [
    { Language: "040904B0", CompanyName: "Contoso" },
  ]);
  deepStrictEqual(shapes(gaps), [
    { code: "pe-capped", fields: ["VersionInfoList/VersionInfoItem/LegalCopyright"] },
  ]);
});

Deno.test("parsePeInfo() leaves the version list unknown past four version resources or 1 MiB", async () => {
  const version = (name: number, data: Uint8Array) => ({ type: 16, name, language: 0x0409, data });
  const small = new Uint8Array(8);
  const many = await gapsOf({
    ...baseSpec,
    resources: [2, 3, 4, 5].map((name) => version(name, small)),
  });
  ok(
    many.gaps.some((gap) =>
      gap.code === "pe-capped" && gap.message.includes("5 version resources") &&
      gap.fields.includes("VersionInfoList")
    ),
    JSON.stringify(many.gaps),
  );
  const oversize = await gapsOf({
    ...baseSpec,
    resources: [version(2, new Uint8Array(1024 * 1024 + 4))],
  });
  ok(
    oversize.gaps.some((gap) =>
      gap.code === "pe-capped" && gap.message.includes("1048580 bytes is larger") &&
      gap.fields.includes("VersionInfoList")
    ),
    JSON.stringify(oversize.gaps),
  );
});

Deno.test("parsePeInfo() leaves resources unknown when a resource name is cut at 1,024 characters", async () => {
  const { gaps } = await gapsOf({
    ...baseSpec,
    resources: [{ type: 10, name: "N".repeat(1025), language: 0x0409, data: Uint8Array.of(1) }],
  });
  deepStrictEqual(shapes(gaps), [{ code: "pe-capped", fields: resourceFields }]);
});

Deno.test("parsePeInfo() leaves the lists unknown when names exceed 4,096 bytes", async () => {
  const longName = "a".repeat(5000);
  const { info, gaps } = await gapsOf({
    ...baseSpec,
    imports: [{ name: longName, functions: ["f"] }, { name: "KERNEL32.dll", functions: ["g"] }],
    exports: { dllName: "x.dll", names: ["One", longName] },
  });
  deepStrictEqual(info.ImportedModules.Module.map((module) => module.Name), ["KERNEL32.dll"]);
  deepStrictEqual(info.Exports?.ExportedFunctions.string, ["One"]);
  deepStrictEqual(shapes(gaps), [
    { code: "pe-corrupt", fields: ["ImportedModules"] },
    { code: "pe-corrupt", fields: ["Exports/ExportedFunctions"] },
  ]);
});

Deno.test("parsePeInfo() leaves Type unknown when a native image's import list is damaged", async () => {
  const native = { ...baseSpec, subsystem: 1 };
  const { bytes, layout } = buildPe(native);
  const descriptor = offsetOfRva(layout, layout.importDescriptorsRva);
  setU32(bytes, descriptor + 12, 0x7ffff000); // the first module's name
  const { gaps } = expectOk(await parsePeInfo(byteSourceFromBytes(bytes)));
  ok(gaps.some((gap) => gap.fields.includes("Type")), JSON.stringify(gaps));
  // A DLL's type does not depend on its imports.
  const { bytes: dll, layout: dllLayout } = buildPe({ ...native, dll: true });
  setU32(dll, offsetOfRva(dllLayout, dllLayout.importDescriptorsRva) + 12, 0x7ffff000);
  const dllResult = expectOk(await parsePeInfo(byteSourceFromBytes(dll)));
  ok(!dllResult.gaps.some((gap) => gap.fields.includes("Type")), JSON.stringify(dllResult.gaps));
});

Deno.test("parsePeInfo() reports the sections a capped table lost when the optional header is damaged", async () => {
  const { bytes, layout } = buildPe(baseSpec);
  bytes[layout.optionalHeaderOffset] = 0x07; // the magic
  const result = await parsePeInfo(byteSourceFromBytes(bytes), { maxSections: 2 });
  ok(!result.ok && result.partial !== undefined, JSON.stringify(result));
  deepStrictEqual(result.partial.Sections.ActualNumberOfSections, 2);
  deepStrictEqual(shapes(result.gaps ?? []), [{
    code: "pe-capped",
    fields: ["Sections/Section", "Sections/ActualNumberOfSections", "ExtraneousBytes"],
  }]);
});
