/**
 * Test-only: compares {@linkcode parsePeInfo} on a real file with binutils
 * `objdump -p` and `openssl pkcs7`, returning every disagreement.
 *
 * @module
 */
import { byteSourceFromSeekable } from "../../byte_source.ts";
import { parsePeInfo } from "../parse_pe_info.ts";
import { objdumpFacts, opensslCertificates } from "./objdump_reference.ts";

/** What was compared, and what disagreed; `skipped` says why nothing was compared. */
export type Comparison = { mismatches: string[]; checked: string[]; skipped?: string };

/** Parses `path` and checks it against the reference tools. */
export async function compareWithReferences(
  path: string,
  useOpenssl: boolean,
): Promise<Comparison> {
  const mismatches: string[] = [];
  const checked: string[] = [];
  const bytes = await Deno.readFile(path);
  using file = await Deno.open(path);
  const result = await parsePeInfo(byteSourceFromSeekable(file, bytes.length));
  if (!result.ok) {
    return { mismatches: [`parse failed: ${result.reason}: ${result.detail}`], checked };
  }
  const { info } = result;
  if (result.warnings.length) mismatches.push(`warnings: ${result.warnings.join("; ")}`);
  const facts = await objdumpFacts(path);
  if (!facts) return { mismatches, checked, skipped: "objdump does not know this machine type" };
  const expect = (what: string, actual: unknown, wanted: unknown) => {
    checked.push(what);
    if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
      mismatches.push(
        `${what}: parser ${JSON.stringify(actual)}, reference ${JSON.stringify(wanted)}`,
      );
    }
  };

  if (facts.timeDateStamp !== 0) {
    expect(
      "PETimeStamp",
      info.PETimeStamp,
      new Date(facts.timeDateStamp * 1000).toISOString().replace(".000Z", "Z"),
    );
  }
  expect("BaseAddress", BigInt(info.BaseAddress).toString(16), facts.imageBase.toString(16));
  expect("Type is Dll", info.Type === "Dll", (facts.characteristics & 0x2000) !== 0);
  expect(
    "ImportedModules",
    info.ImportedModules.Module.slice(0, facts.imports.length).map((module) => ({
      name: module.Name,
      functions: module.ImportedFunctions.string,
    })),
    facts.imports,
  );
  expect("ExportedFunctions", info.Exports?.ExportedFunctions.string ?? [], facts.exportNames);
  expect("SignatureExists", info.DigitalSignature.SignatureExists, facts.security.size > 0);
  // Every sample is an untouched vendor-signed file: its signature must verify.
  if (facts.security.size > 0) {
    expect("SignatureVerified", info.DigitalSignature.SignatureVerified, true);
  }

  for (const item of info.VersionInfoList.VersionInfoItem) {
    for (const [key, value] of Object.entries(item)) {
      if (key === "Language" || value === "") continue;
      checked.push(`VersionInfo ${key}`);
      if (!containsUtf16(bytes, key) || !containsUtf16(bytes, value)) {
        mismatches.push(
          `VersionInfo ${key}=${JSON.stringify(value)} is not in the file as UTF-16LE`,
        );
      }
    }
  }

  const { CertificateSubject: subject, CertificateIssuer: issuer } = info.DigitalSignature;
  if (useOpenssl && subject && issuer && facts.security.size > 8) {
    const pkcs7 = bytes.subarray(
      facts.security.offset + 8,
      facts.security.offset + facts.security.size,
    );
    const certificates = await opensslCertificates(pkcs7);
    if (certificates && isSimpleName(subject) && isSimpleName(issuer)) {
      checked.push("CertificateSubject/Issuer");
      const wanted = { subject: toOpensslOneline(subject), issuer: toOpensslOneline(issuer) };
      if (
        !certificates.some((pair) =>
          pair.subject === wanted.subject && pair.issuer === wanted.issuer
        )
      ) {
        mismatches.push(
          `signer ${JSON.stringify(wanted)} is not among openssl's ${JSON.stringify(certificates)}`,
        );
      }
    }
  }
  return { mismatches, checked };
}

// Names whose values need no quoting and use attributes openssl spells the same way after renaming.
function isSimpleName(name: string): boolean {
  return !/["\\]/.test(name) &&
    name.split(", ").every((part) => /^(CN|O|OU|L|S|C)=[^=]*$/.test(part));
}

// openssl's default one-line form lists RDNs in encoding order as `C = US, ST = …, CN = …`.
function toOpensslOneline(name: string): string {
  return name.split(", ").reverse().map((part) => part.replace(/^S=/, "ST=").replace("=", " = "))
    .join(", ");
}

function containsUtf16(haystack: Uint8Array, text: string): boolean {
  const needle = new Uint8Array(text.length * 2);
  for (let index = 0; index < text.length; index++) {
    needle[index * 2] = text.charCodeAt(index) & 0xff;
    needle[index * 2 + 1] = text.charCodeAt(index) >> 8;
  }
  outer: for (
    let start = haystack.indexOf(needle[0]!);
    start >= 0;
    start = haystack.indexOf(needle[0]!, start + 1)
  ) {
    for (let index = 1; index < needle.length; index++) {
      if (haystack[start + index] !== needle[index]) continue outer;
    }
    return true;
  }
  return false;
}
