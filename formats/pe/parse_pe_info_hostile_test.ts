import { deepStrictEqual, ok } from "node:assert/strict";
import {
  type ByteSource,
  byteSourceFromBytes,
  parsePeInfo,
  type PeGap,
  type PeInfoResult,
} from "./mod.ts";
import { concat, integer, sequence, signedData, winCertificate } from "./_testing/der_builder.ts";
import { expectFailure, expectOk } from "./_testing/expect_ok.ts";
import { buildPe, offsetOfRva, type PeSpec, setU16, setU32 } from "./_testing/pe_builder.ts";

const baseSpec: PeSpec = {
  bits: 32,
  imports: [{ name: "KERNEL32.dll", functions: ["CreateFileW", 3] }],
  exports: { dllName: "x.dll", names: ["Run"] },
  version: { "040904B0": { CompanyName: "Contoso" } },
};

const parse = (bytes: Uint8Array): Promise<PeInfoResult> => parsePeInfo(byteSourceFromBytes(bytes));

function hasWarning(warnings: string[], fragment: string): boolean {
  return warnings.some((warning) => warning.includes(fragment));
}

/** Whether a gap of `code` whose message holds `fragment` leaves exactly `fields` unknown. */
function hasGap(
  gaps: readonly PeGap[],
  code: PeGap["code"],
  fragment: string,
  fields: readonly string[],
): boolean {
  return gaps.some((gap) =>
    gap.code === code && gap.message.includes(fragment) &&
    JSON.stringify(gap.fields) === JSON.stringify(fields)
  );
}

const gapText = (gaps: readonly PeGap[]) => JSON.stringify(gaps, null, 1);

Deno.test("parsePeInfo() rejects files that are not PE at all", async () => {
  deepStrictEqual(expectFailure(await parse(new Uint8Array(0))).reason, "not-pe");
  deepStrictEqual(
    expectFailure(await parse(new TextEncoder().encode("#!/bin/sh\necho hi\n"))).reason,
    "not-pe",
  );
  deepStrictEqual(expectFailure(await parse(Uint8Array.of(0x4d, 0x5a, 0x90))).reason, "corrupt");
});

Deno.test("parsePeInfo() reports e_lfanew beyond the end of the file as corrupt", async () => {
  const { bytes } = buildPe(baseSpec);
  setU32(bytes, 0x3c, 0x7ffffff0);
  const failure = expectFailure(await parse(bytes));
  deepStrictEqual(failure.reason, "corrupt");
  ok(failure.detail.includes("e_lfanew"), failure.detail);
});

Deno.test("parsePeInfo() treats MZ without a PE signature (a DOS program) as not-pe", async () => {
  const { bytes } = buildPe(baseSpec);
  bytes[0x80] = 0x4e; // "NE"
  deepStrictEqual(expectFailure(await parse(bytes)).reason, "not-pe");
});

const stamp = 0x4a5bdc01; // 2009-07-14T01:14:41Z
const stampIso = "2009-07-14T01:14:41Z";

Deno.test("parsePeInfo() keeps the COFF facts and sections of a PE with a bad optional-header magic", async () => {
  const { bytes, layout } = buildPe({ ...baseSpec, timeDateStamp: stamp, dll: true });
  setU16(bytes, layout.optionalHeaderOffset, 0x107);
  const result = await parse(bytes);
  const failure = expectFailure(result);
  deepStrictEqual(failure.reason, "corrupt");
  ok(failure.detail.includes("magic 0x107"), failure.detail);
  ok(!result.ok);
  deepStrictEqual(result.partial?.PETimeStamp, stampIso);
  deepStrictEqual(result.partial?.Type, "Dll");
  deepStrictEqual(result.partial?.Sections.NumberOfSections, 3);
  deepStrictEqual(result.partial?.Sections.Section.map((section) => section.Name), [
    ".text",
    ".rdata",
    ".rsrc",
  ]);
});

Deno.test("parsePeInfo() keeps the COFF facts of a PE cut inside its optional header", async () => {
  const { bytes, layout } = buildPe({ ...baseSpec, timeDateStamp: stamp });
  const result = await parse(bytes.slice(0, layout.optionalHeaderOffset + 40));
  ok(!result.ok);
  deepStrictEqual(result.reason, "corrupt");
  ok(result.detail.includes("optional header truncated"), result.detail);
  // Not a DLL: whether it is an executable or a driver needs the optional header.
  deepStrictEqual(result.partial, {
    PETimeStamp: stampIso,
    Sections: { NumberOfSections: 3, ActualNumberOfSections: 0, Section: [] },
  });
});

Deno.test("parsePeInfo() keeps every header field when the section table lies past the end", async () => {
  const { bytes, layout } = buildPe({ ...baseSpec, timeDateStamp: stamp });
  setU16(bytes, layout.peOffset + 20, 0xfff0); // SizeOfOptionalHeader
  const result = await parse(bytes);
  ok(result.ok);
  deepStrictEqual(result.info.PETimeStamp, stampIso);
  deepStrictEqual(result.info.Subsystem, "Windows_GUI");
  deepStrictEqual(result.info.Sections.NumberOfSections, 3);
  deepStrictEqual(result.info.Sections.ActualNumberOfSections, 0);
  ok(result.gaps.every((gap) => gap.code === "pe-corrupt"), gapText(result.gaps));
  ok(result.gaps[0]!.message.includes("section table at 0x"), result.gaps[0]!.message);
  ok(result.gaps[0]!.message.includes("past the end"), result.gaps[0]!.message);
});

Deno.test("parsePeInfo() never throws on any truncation of a complete image", async () => {
  const { bytes } = buildPe({ ...baseSpec, bits: 64 });
  const outcomes = new Set<string>();
  const lengths = Array.from({ length: Math.ceil(bytes.length / 3) }, (_, index) => index * 3);
  for (const length of [...lengths, bytes.length]) {
    const result = await parse(bytes.subarray(0, length));
    outcomes.add(result.ok ? (result.gaps.length ? "ok+gaps" : "ok") : result.reason);
  }
  deepStrictEqual([...outcomes].sort(), ["corrupt", "not-pe", "ok", "ok+gaps"]);
});

const sectionsCut = ["Sections/Section", "Sections/ActualNumberOfSections", "ExtraneousBytes"];

Deno.test("parsePeInfo() caps 65535 declared sections and leaves the missing headers unknown", async () => {
  const { bytes, layout } = buildPe(baseSpec);
  setU16(bytes, layout.peOffset + 6, 65535);
  const { info, gaps } = expectOk(await parse(bytes));
  deepStrictEqual(info.Sections.NumberOfSections, 65535);
  ok(info.Sections.ActualNumberOfSections <= 1024);
  ok(hasGap(gaps, "pe-capped", "65535 sections declared", sectionsCut), gapText(gaps));
  ok(hasGap(gaps, "pe-corrupt", "of 1024 headers present", sectionsCut), gapText(gaps));
});

Deno.test("parsePeInfo() parses at most maxSections of 65535 real section headers", async () => {
  const { bytes, layout } = buildPe(baseSpec);
  const table = new Uint8Array(65535 * 40);
  for (let index = 0; index < 65535; index++) table.set([0x2e, 0x78], index * 40); // ".x"
  const big = concat(bytes.subarray(0, layout.sectionTableOffset), table);
  setU16(big, layout.peOffset + 6, 65535);
  const started = performance.now();
  const { info, gaps } = expectOk(await parse(big));
  deepStrictEqual(info.Sections.ActualNumberOfSections, 1024);
  ok(hasGap(gaps, "pe-capped", "only the first 1024 parsed", sectionsCut), gapText(gaps));
  ok(performance.now() - started < 5000);
});

Deno.test("parsePeInfo() stops an import descriptor array that never ends", async () => {
  const { bytes: base, layout } = buildPe(baseSpec);
  // A section filled with copies of the first descriptor and no terminator.
  const descriptorOffset = offsetOfRva(layout, layout.importDescriptorsRva);
  const descriptor = base.slice(descriptorOffset, descriptorOffset + 20);
  const filler = new Uint8Array(0x40000);
  for (let at = 0; at + 20 <= filler.length; at += 20) filler.set(descriptor, at);
  const { bytes, layout: big } = buildPe({
    ...baseSpec,
    extraSections: [{ name: ".loop", characteristics: 0x40000040, data: filler }],
  });
  setU32(bytes, big.directoriesOffset + 8, big.sections[".loop"]!.virtualAddress);
  const { info, gaps } = expectOk(await parse(bytes));
  deepStrictEqual(info.ImportedModules.Module.length, 4096);
  ok(
    hasGap(gaps, "pe-capped", "more than 4096 import descriptors", ["ImportedModules"]),
    gapText(gaps),
  );
});

Deno.test("parsePeInfo() caps a thunk array without a terminator", async () => {
  const { layout } = buildPe(baseSpec);
  const nameRva = layout.importDescriptorsRva - 0x100; // somewhere in .rdata: any readable bytes will do
  const filler = new Uint8Array(0x80000);
  for (let at = 0; at < filler.length; at += 4) setU32(filler, at, nameRva);
  const { bytes, layout: big } = buildPe({
    ...baseSpec,
    extraSections: [{ name: ".thunks", characteristics: 0x40000040, data: filler }],
  });
  setU32(
    bytes,
    offsetOfRva(big, big.importDescriptorsRva),
    big.sections[".thunks"]!.virtualAddress,
  );
  const { info, gaps } = expectOk(await parse(bytes));
  deepStrictEqual(info.ImportedModules.Module[0]!.NumberOfFunctions, 65536);
  ok(
    hasGap(gaps, "pe-capped", "imported-function limit", [
      "ImportedModules/Module/ImportedFunctions",
      "ImportedModules/Module/NumberOfFunctions",
    ]),
    gapText(gaps),
  );
});

Deno.test("parsePeInfo() detects a resource directory cycle", async () => {
  const { bytes, layout } = buildPe(baseSpec);
  const rootOffset = offsetOfRva(layout, layout.resourceRva);
  // The root's first entry now points back at the root.
  setU32(bytes, rootOffset + 16 + 4, 0x80000000);
  const { info, warnings } = expectOk(await parse(bytes));
  ok(hasWarning(warnings, "referenced twice"), warnings.join("\n"));
  deepStrictEqual(info.VersionInfoList.VersionInfoItem, []);
});

Deno.test("parsePeInfo() skips a resource tree nested deeper than three levels", async () => {
  const { bytes, layout } = buildPe(baseSpec);
  const rootOffset = offsetOfRva(layout, layout.resourceRva);
  // Make the language level's entry point at a directory (the root's own child) instead of data.
  const typeDirectory = new DataView(bytes.buffer).getUint32(rootOffset + 20, true) & 0x7fffffff;
  const nameDirectory =
    new DataView(bytes.buffer).getUint32(rootOffset + typeDirectory + 20, true) & 0x7fffffff;
  setU32(bytes, rootOffset + nameDirectory + 20, 0x80000000 | 0x10);
  const { gaps } = expectOk(await parse(bytes));
  ok(
    hasGap(gaps, "pe-corrupt", "nests deeper", ["ResourceInfoList", "VersionInfoList"]),
    gapText(gaps),
  );
});

Deno.test("parsePeInfo() warns about tables at RVAs outside the file", async () => {
  const { bytes, layout } = buildPe(baseSpec);
  setU32(bytes, layout.directoriesOffset + 0, 0x7ffff000); // exports
  const descriptor = offsetOfRva(layout, layout.importDescriptorsRva);
  setU32(bytes, descriptor + 12, 0x7ffff000); // the module name
  const { info, gaps } = expectOk(await parse(bytes));
  deepStrictEqual(info.Exports, undefined);
  deepStrictEqual(info.ImportedModules.Module, []);
  ok(
    hasGap(
      gaps,
      "pe-corrupt",
      "exports: export directory: RVA 0x7ffff000 is not backed by file data",
      ["Exports"],
    ),
    gapText(gaps),
  );
  ok(hasGap(gaps, "pe-corrupt", "imports: import descriptor 0", ["ImportedModules"]));
});

Deno.test("parsePeInfo() counts import names it cannot read", async () => {
  const { bytes, layout } = buildPe(baseSpec);
  const descriptor = offsetOfRva(layout, layout.importDescriptorsRva);
  const lookup = new DataView(bytes.buffer).getUint32(descriptor, true);
  setU32(bytes, offsetOfRva(layout, lookup), 0x7ffff000);
  const { info, gaps } = expectOk(await parse(bytes));
  deepStrictEqual(info.ImportedModules.Module[0]!.NumberOfFunctions, 2);
  deepStrictEqual(info.ImportedModules.Module[0]!.ImportedFunctions.string, ["#3"]);
  ok(
    hasGap(gaps, "pe-corrupt", "1 function names of KERNEL32.dll unreadable", [
      "ImportedModules/Module/ImportedFunctions",
    ]),
    gapText(gaps),
  );
});

Deno.test("parsePeInfo() keeps SignatureExists but warns on a certificate table with bad DER lengths", async () => {
  const pkcs7 = sequence(integer(Uint8Array.of(1)));
  pkcs7[1] = 0x84; // long form claiming a 4-byte length...
  const bad = concat(
    pkcs7.subarray(0, 2),
    Uint8Array.of(0x7f, 0xff, 0xff, 0xff),
    pkcs7.subarray(2),
  );
  const { info, warnings } = expectOk(
    await parse(buildPe({ ...baseSpec, certificateTable: winCertificate(bad) }).bytes),
  );
  deepStrictEqual(info.DigitalSignature.SignatureExists, true);
  deepStrictEqual(info.DigitalSignature.SignatureVerified, false);
  deepStrictEqual(info.DigitalSignature.CertificateSubject, undefined);
  ok(
    info.DigitalSignature.Description.startsWith("File has a signature that could not be read"),
  );
  ok(hasWarning(warnings, "claims 2147483647 bytes"), warnings.join("\n"));
});

Deno.test("parsePeInfo() warns when the security directory points past the end of the file", async () => {
  const { bytes, layout } = buildPe(baseSpec);
  setU32(bytes, layout.directoriesOffset + 4 * 8, 0x7fff0000);
  setU32(bytes, layout.directoriesOffset + 4 * 8 + 4, 0x100);
  const { info, warnings } = expectOk(await parse(bytes));
  deepStrictEqual(info.DigitalSignature.SignatureExists, false);
  ok(hasWarning(warnings, "lies beyond the end of the file"));
});

function failingFrom(bytes: Uint8Array, failAt: number): ByteSource {
  return {
    size: bytes.length,
    read(offset, length) {
      if (offset + length > failAt) return Promise.reject(new Error("EIO"));
      return Promise.resolve(bytes.subarray(offset, offset + length));
    },
  };
}

// A signed image whose certificate table lies beyond the first 64 KiB page the parser reads.
const farSignature = () =>
  buildPe({
    ...baseSpec,
    overlay: 200_000,
    certificateTable: winCertificate(signedData([], undefined)),
  }).bytes;

Deno.test("parsePeInfo() reports a failing byte source as unreadable", async () => {
  const { bytes } = buildPe(baseSpec);
  const first = expectFailure(await parsePeInfo(failingFrom(bytes, 0)));
  deepStrictEqual(first.reason, "unreadable");
  ok(first.detail.includes("EIO"), first.detail);
  const later = expectFailure(await parsePeInfo(failingFrom(farSignature(), 65536)));
  deepStrictEqual(later.reason, "unreadable");
});

Deno.test("parsePeInfo() survives a source that is shorter than its stated size", async () => {
  const { bytes } = buildPe(baseSpec);
  const short = bytes.subarray(0, 0x500);
  const result = await parsePeInfo({
    size: bytes.length,
    read: (offset, length) => byteSourceFromBytes(short).read(offset, length),
  });
  ok(
    result.ok ? result.warnings.length > 0 : result.reason === "corrupt",
    JSON.stringify(result),
  );
});

Deno.test("parsePeInfo() honours the read budget", async () => {
  const { info, warnings } = expectOk(
    await parsePeInfo(byteSourceFromBytes(farSignature()), { maxReadBytes: 70000 }),
  );
  deepStrictEqual(info.Sections.ActualNumberOfSections, 3);
  deepStrictEqual(info.DigitalSignature.SignatureExists, true);
  ok(hasWarning(warnings, "read budget exhausted"), warnings.join("\n"));
});

Deno.test("parsePeInfo() never throws or hangs on randomly corrupted images", async () => {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const images = [
    buildPe({ ...baseSpec, bits: 32 }).bytes,
    buildPe({ ...baseSpec, bits: 64, delayImports: [{ name: "a.dll", functions: ["f"] }] }).bytes,
  ];
  const started = performance.now();
  for (let round = 0; round < 400; round++) {
    const image = images[round % 2]!.slice();
    for (let flips = 1 + Math.floor(random() * 16); flips > 0; flips--) {
      // Mostly headers and tables, where damage matters.
      const at = Math.floor(
        random() * Math.min(image.length, random() < 0.5 ? 0x400 : image.length),
      );
      image[at] = Math.floor(random() * 256);
    }
    const result = await parse(image);
    ok(
      result.ok || ["not-pe", "corrupt"].includes(result.reason),
      JSON.stringify(result, (_key, value) => typeof value === "bigint" ? String(value) : value),
    );
  }
  ok(performance.now() - started < 20000);
});

Deno.test("parsePeInfo() keeps at most maxWarnings warnings and counts the rest", async () => {
  const { bytes, layout } = buildPe(baseSpec);
  setU32(bytes, offsetOfRva(layout, layout.resourceRva) + 16 + 4, 0x80000000); // a cycle
  setU32(bytes, layout.directoriesOffset + 4 * 8, 0x7fff0000); // a certificate table past the end
  setU32(bytes, layout.directoriesOffset + 4 * 8 + 4, 0x100);
  const { warnings } = expectOk(await parsePeInfo(byteSourceFromBytes(bytes), { maxWarnings: 1 }));
  deepStrictEqual(warnings.length, 2);
  ok(warnings[1]!.endsWith("more warnings not shown"));
});

Deno.test("parsePeInfo() keeps at most maxWarnings gaps but never drops a field they leave unknown", async () => {
  const { bytes, layout } = buildPe(baseSpec);
  setU16(bytes, layout.peOffset + 6, 65535); // capped and cut short: two section gaps
  setU32(bytes, layout.directoriesOffset + 0, 0x7ffff000); // the export directory
  const { gaps } = expectOk(await parsePeInfo(byteSourceFromBytes(bytes), { maxWarnings: 1 }));
  deepStrictEqual(gaps.length, 2, gapText(gaps));
  ok(hasGap(gaps, "pe-capped", "65535 sections declared", sectionsCut), gapText(gaps));
  ok(hasGap(gaps, "pe-corrupt", "2 more pe-corrupt gaps not shown", [...sectionsCut, "Exports"]));
});

Deno.test("parsePeInfo() does not check a certificate table over maxCertificateBytes, and says so", async () => {
  const { bytes } = buildPe({
    ...baseSpec,
    certificateTable: winCertificate(signedData([], undefined)),
  });
  const result = expectOk(
    await parsePeInfo(byteSourceFromBytes(bytes), { maxCertificateBytes: 8 }),
  );
  deepStrictEqual(result.info.DigitalSignature.SignatureExists, true);
  deepStrictEqual(result.info.DigitalSignature.SignatureVerified, undefined);
  deepStrictEqual(result.gaps.map((gap) => gap.code), ["pe-signature-not-evaluated"]);
  ok(result.gaps[0]!.message.includes("8-byte limit"), result.gaps[0]!.message);
});

Deno.test("parsePeInfo() never throws on a signature corrupted at random", async () => {
  const { makeSigner, signPe } = await import("./_testing/authenticode_signer.ts");
  const { bytes: unsigned, layout } = buildPe({ bits: 32 });
  const signed = signPe(unsigned, layout, makeSigner());
  let seed = 777;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const verdicts = new Set<string>();
  for (let round = 0; round < 200; round++) {
    const image = signed.slice();
    for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) {
      const at = unsigned.length + Math.floor(random() * (signed.length - unsigned.length));
      image[at] = Math.floor(random() * 256);
    }
    const { info } = expectOk(await parse(image));
    verdicts.add(String(info.DigitalSignature.SignatureVerified));
  }
  // Flips in the certificate's own signature or validity are not authenticated by the signer.
  ok(verdicts.has("false"), [...verdicts].join());
});
