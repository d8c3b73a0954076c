import { deepStrictEqual, ok } from "node:assert/strict";
import type { FieldValue } from "../../contracts/observed_item.ts";
import { byteSourceFromBytes, parsePeInfo, type PeInfo } from "./mod.ts";
import {
  attribute,
  certificate,
  name,
  printableString,
  signedData,
  utf8String,
  winCertificate,
} from "./_testing/der_builder.ts";
import { expectOk } from "./_testing/expect_ok.ts";
import { buildPe, type PeLayout, type PeSpec } from "./_testing/pe_builder.ts";

const issuer = name(
  [[attribute.C, printableString("US")]],
  [[attribute.O, utf8String("Contoso Ltd")]],
  [[attribute.CN, utf8String("Contoso Code Signing CA")]],
);
const subject = name(
  [[attribute.C, printableString("US")]],
  [[attribute.S, utf8String("Washington")]],
  [[attribute.L, utf8String("Redmond")]],
  [[attribute.O, utf8String("Contoso, Ltd.")]],
  [[attribute.CN, utf8String("Contoso Signer")]],
);
const root = name([[attribute.CN, utf8String("Contoso Root")]]);

function fullSpec(bits: 32 | 64): PeSpec {
  const serial = Uint8Array.of(0x33, 0x00, 0x01);
  return {
    bits,
    dll: true,
    subsystem: 2,
    timeDateStamp: Date.UTC(2009, 6, 14, 1, 14, 41) / 1000,
    checkSum: 0x1234,
    imports: [
      { name: "KERNEL32.dll", functions: ["CreateFileW", "ReadFile", 17] },
      { name: "ADVAPI32.dll", functions: ["RegOpenKeyExW"] },
    ],
    delayImports: [{ name: "WININET.dll", functions: ["InternetOpenW", 5] }],
    exports: {
      dllName: "contoso.dll",
      names: ["Install", "ServiceMain", "Uninstall"],
      timeDateStamp: Date.UTC(2020, 6, 4) / 1000,
    },
    version: {
      "040904B0": {
        CompanyName: "Contoso Ltd",
        FileDescription: "Contoso helper",
        FileVersion: "1.2.3.4",
        InternalName: "contoso",
        LegalCopyright: "© Contoso",
        OriginalFilename: "contoso.dll",
        ProductName: "Contoso Suite",
        ProductVersion: "1.2",
        Comments: "synthetic",
      },
    },
    resources: [{ type: "PAYLOAD", name: "CONFIG", language: 0x0407, data: new Uint8Array(33) }],
    overlay: 100,
    certificateTable: winCertificate(signedData(
      // Intermediate first so that picking by SignerInfo (not by position) is what makes this pass.
      [
        certificate({ serial: Uint8Array.of(7), issuer: root, subject: issuer }),
        certificate({ serial, issuer, subject }),
      ],
      { issuer, serial },
    )),
  };
}

function expected(bits: 32 | 64, layout: PeLayout): PeInfo {
  return {
    Type: "Dll",
    Subsystem: "Windows_GUI",
    BaseAddress: bits === 64 ? 0x140000000 : 0x400000,
    PETimeStamp: "2009-07-14T01:14:41Z",
    ExtraneousBytes: 100,
    PEChecksum: { PEFileRaw: 0x1234 },
    Sections: {
      NumberOfSections: 3,
      ActualNumberOfSections: 3,
      Section: [
        {
          Name: ".text",
          SizeInBytes: 0x200,
          Type: "Code",
          DetectedCharacteristics:
            "IMAGE_SCN_CNT_CODE | IMAGE_SCN_MEM_EXECUTE | IMAGE_SCN_MEM_READ",
        },
        {
          Name: ".rdata",
          SizeInBytes: layout.sections[".rdata"]!.rawSize,
          Type: "Data",
          DetectedCharacteristics: "IMAGE_SCN_CNT_INITIALIZED_DATA | IMAGE_SCN_MEM_READ",
        },
        {
          Name: ".rsrc",
          SizeInBytes: layout.sections[".rsrc"]!.rawSize,
          Type: "Data",
          DetectedCharacteristics: "IMAGE_SCN_CNT_INITIALIZED_DATA | IMAGE_SCN_MEM_READ",
        },
      ],
    },
    ImportedModules: {
      Module: [
        {
          Name: "KERNEL32.dll",
          NumberOfFunctions: 3,
          ImportedFunctions: { string: ["CreateFileW", "ReadFile", "#17"] },
        },
        {
          Name: "ADVAPI32.dll",
          NumberOfFunctions: 1,
          ImportedFunctions: { string: ["RegOpenKeyExW"] },
        },
        {
          Name: "WININET.dll",
          NumberOfFunctions: 2,
          ImportedFunctions: { string: ["InternetOpenW", "#5"] },
        },
      ],
    },
    Exports: {
      DllName: "contoso.dll",
      ExportsTimeStamp: "2020-07-04T00:00:00Z",
      NumberOfFunctions: 3,
      NumberOfNames: 3,
      ExportedFunctions: { string: ["Install", "ServiceMain", "Uninstall"] },
    },
    ResourceInfoList: {
      ResourceInfoItem: [
        { Name: "CONFIG", Type: "PAYLOAD", Language: "0407", Size: 33 },
        { Name: "1", Type: "RT_VERSION", Language: "0409", Size: 0 },
      ],
    },
    VersionInfoList: {
      VersionInfoItem: [{
        Language: "040904B0",
        CompanyName: "Contoso Ltd",
        FileDescription: "Contoso helper",
        FileVersion: "1.2.3.4",
        InternalName: "contoso",
        LegalCopyright: "© Contoso",
        OriginalFilename: "contoso.dll",
        ProductName: "Contoso Suite",
        ProductVersion: "1.2",
        Comments: "synthetic",
      }],
    },
    DigitalSignature: {
      SignatureExists: true,
      SignatureVerified: false,
      // The builder's signature is a dummy: its shape parses, it does not verify.
      Description:
        "File is signed; the signature does not verify: DigestInfo missing or malformed at offset ?",
      CertificateSubject: 'CN=Contoso Signer, O="Contoso, Ltd.", L=Redmond, S=Washington, C=US',
      CertificateIssuer: "CN=Contoso Code Signing CA, O=Contoso Ltd, C=US",
    },
  };
}

for (const bits of [32, 64] as const) {
  Deno.test(`parsePeInfo() reads every PEInfo field of a synthetic PE${bits === 64 ? "32+" : "32"} DLL`, async () => {
    const { bytes, layout } = buildPe(fullSpec(bits));
    const result = expectOk(await parsePeInfo(byteSourceFromBytes(bytes)));
    deepStrictEqual(result.warnings, []);
    const want = expected(bits, layout);
    // The version resource's size depends on the builder's padding: take it from the result.
    const versionSize = result.info.ResourceInfoList.ResourceInfoItem[1]?.Size ?? 0;
    ok(versionSize > 200);
    want.ResourceInfoList.ResourceInfoItem[1]!.Size = versionSize;
    deepStrictEqual(result.info, want);
  });
}

Deno.test("parsePeInfo() result fits the engine's FieldValue so the collector can store it unchanged", async () => {
  const result = expectOk(await parsePeInfo(byteSourceFromBytes(buildPe(fullSpec(64)).bytes)));
  const fields: { [name: string]: FieldValue } = { PEInfo: result.info };
  deepStrictEqual((fields.PEInfo as PeInfo).Type, "Dll");
});

Deno.test("parsePeInfo() names the image type from characteristics, subsystem and imports", async () => {
  const typeOf = async (spec: PeSpec) => {
    const result = expectOk(await parsePeInfo(byteSourceFromBytes(buildPe(spec).bytes)));
    return [result.info.Type, result.info.Subsystem];
  };
  deepStrictEqual(await typeOf({ bits: 32, subsystem: 3 }), ["Executable", "Windows_CUI"]);
  deepStrictEqual(
    await typeOf({
      bits: 64,
      subsystem: 1,
      imports: [{ name: "ntoskrnl.exe", functions: ["IoCreateDevice"] }],
    }),
    [
      "Driver",
      "Native",
    ],
  );
  deepStrictEqual(
    await typeOf({
      bits: 64,
      subsystem: 1,
      imports: [{ name: "ntdll.dll", functions: ["NtClose"] }],
    }),
    [
      "Executable",
      "Native",
    ],
  );
  deepStrictEqual(await typeOf({ bits: 64, subsystem: 10 }), ["Executable", "EFI_Application"]);
  deepStrictEqual(await typeOf({ bits: 32, subsystem: 99, dll: true }), ["Dll", "Unknown_99"]);
});

Deno.test("parsePeInfo() reports an unsigned file, a zero timestamp and no exports as such", async () => {
  const result = expectOk(await parsePeInfo(byteSourceFromBytes(buildPe({ bits: 32 }).bytes)));
  deepStrictEqual(result.info.DigitalSignature, {
    SignatureExists: false,
    SignatureVerified: false,
    Description: "File is not signed",
  });
  deepStrictEqual(result.info.PETimeStamp, undefined);
  deepStrictEqual(result.info.Exports, undefined);
  deepStrictEqual(result.info.ImportedModules.Module, []);
  deepStrictEqual(result.info.VersionInfoList.VersionInfoItem, []);
});

Deno.test("parsePeInfo() computes section entropy only when asked", async () => {
  const data = Uint8Array.from({ length: 4096 }, (_, index) => index % 256);
  const spec: PeSpec = {
    bits: 64,
    extraSections: [{ name: "UPX1", characteristics: 0xe0000020, data }],
  };
  const source = byteSourceFromBytes(buildPe(spec).bytes);
  const plain = expectOk(await parsePeInfo(source));
  deepStrictEqual(plain.info.Sections.Section.map((section) => section.Entropy), [
    undefined,
    undefined,
    undefined,
  ]);
  const withEntropy = expectOk(await parsePeInfo(source, { sectionEntropy: true }));
  const upx = withEntropy.info.Sections.Section[2]!;
  deepStrictEqual(upx.Name, "UPX1");
  deepStrictEqual(upx.Entropy, { AverageValue: 8 });
  deepStrictEqual(
    upx.DetectedCharacteristics,
    "IMAGE_SCN_CNT_CODE | IMAGE_SCN_MEM_EXECUTE | IMAGE_SCN_MEM_READ | IMAGE_SCN_MEM_WRITE",
  );
  deepStrictEqual(withEntropy.info.Sections.Section[0]!.Entropy, { AverageValue: 0 });
});

Deno.test("parsePeInfo() reads only headers and tables, not the whole file", async () => {
  const { bytes } = buildPe({ ...fullSpec(64), overlay: 8 * 1024 * 1024 });
  const inner = byteSourceFromBytes(bytes);
  let requested = 0;
  const result = expectOk(
    await parsePeInfo({
      size: inner.size,
      read(offset, length) {
        requested += length;
        return inner.read(offset, length);
      },
    }),
  );
  deepStrictEqual(result.info.ExtraneousBytes, 8 * 1024 * 1024);
  ok(requested < 256 * 1024, `read ${requested} bytes of ${bytes.length}`);
});

Deno.test("parsePeInfo() verifies a valid Authenticode signature and rejects a tampered image", async () => {
  const { makeSigner, signPe } = await import("./_testing/authenticode_signer.ts");
  const signer = makeSigner("Contoso Test Signer");
  const { bytes: unsigned, layout } = buildPe({ bits: 64, timeDateStamp: 1 });
  const signed = signPe(unsigned, layout, signer);
  const good = expectOk(await parsePeInfo(byteSourceFromBytes(signed)));
  deepStrictEqual(good.gaps, []);
  deepStrictEqual(good.info.DigitalSignature.SignatureExists, true);
  deepStrictEqual(good.info.DigitalSignature.SignatureVerified, true);
  deepStrictEqual(good.info.DigitalSignature.CertificateSubject, "CN=Contoso Test Signer");
  ok(good.info.DigitalSignature.Description.includes("trust in the root is not checked"));
  // The checksum is outside the digest: fixing it up after signing keeps the signature valid.
  const rechecked = signed.slice();
  new DataView(rechecked.buffer).setUint32(layout.optionalHeaderOffset + 64, 0x1234, true);
  deepStrictEqual(
    expectOk(await parsePeInfo(byteSourceFromBytes(rechecked))).info.DigitalSignature
      .SignatureVerified,
    true,
  );
  const tampered = signed.slice();
  tampered[layout.sections[".text"]!.rawPointer]! ^= 1;
  const bad = expectOk(await parsePeInfo(byteSourceFromBytes(tampered)));
  deepStrictEqual(bad.info.DigitalSignature.SignatureVerified, false);
  deepStrictEqual(bad.info.DigitalSignature.CertificateSubject, "CN=Contoso Test Signer");
  ok(bad.info.DigitalSignature.Description.includes("changed after signing"));
});

Deno.test("parsePeInfo() leaves SignatureVerified out when the file is too large to hash", async () => {
  const { makeSigner, signPe } = await import("./_testing/authenticode_signer.ts");
  const { bytes: unsigned, layout } = buildPe({ bits: 32 });
  const signed = signPe(unsigned, layout, makeSigner());
  const result = expectOk(
    await parsePeInfo(byteSourceFromBytes(signed), { maxSignedFileBytes: 1024 }),
  );
  deepStrictEqual(result.info.DigitalSignature.SignatureExists, true);
  deepStrictEqual("SignatureVerified" in result.info.DigitalSignature, false);
  deepStrictEqual(result.gaps.map((gap) => gap.code), ["pe-signature-not-evaluated"]);
  ok(result.gaps[0]!.message.includes("1024-byte limit"), result.gaps[0]!.message);
});
