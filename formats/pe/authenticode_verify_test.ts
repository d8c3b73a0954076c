import { deepStrictEqual, ok } from "node:assert/strict";
import { byteSourceFromBytes } from "./mod.ts";
import { authenticodeDigest } from "./authenticode_digest.ts";
import { type AuthenticodeVerdict, verifyAuthenticode } from "./authenticode_verify.ts";
import { makeSigner, type SignFaults, signPe } from "./_testing/authenticode_signer.ts";
import { buildPe } from "./_testing/pe_builder.ts";

const signer = makeSigner();
const { bytes: unsigned, layout } = buildPe({
  bits: 32,
  imports: [{ name: "KERNEL32.dll", functions: ["ExitProcess"] }],
});

async function verdictOf(faults: SignFaults = {}, tamper = false): Promise<AuthenticodeVerdict> {
  const signed = signPe(unsigned, layout, signer, faults);
  if (tamper) signed[layout.sections[".text"]!.rawPointer + 4]! ^= 0xff;
  return await verdictOfBytes(signed);
}

async function verdictOfBytes(signed: Uint8Array): Promise<AuthenticodeVerdict> {
  const view = new DataView(signed.buffer);
  const entry = layout.directoriesOffset + 4 * 8;
  const offset = view.getUint32(entry, true);
  const size = view.getUint32(entry + 4, true);
  return await verifyAuthenticode(
    signed.subarray(offset, offset + size),
    (algorithm) =>
      authenticodeDigest(byteSourceFromBytes(signed), {
        checkSumOffset: layout.optionalHeaderOffset + 64,
        securityEntryOffset: entry,
        certificateTable: { offset, size },
      }, algorithm),
  );
}

Deno.test("verifyAuthenticode() verifies a well-formed signature over an untouched image", async () => {
  deepStrictEqual((await verdictOf()).status, "verified");
});

Deno.test("verifyAuthenticode() verifies an ECDSA signer, and rejects it with the wrong key", async () => {
  const ecSigner = makeSigner("EC signer", "ec");
  const signed = signPe(unsigned, layout, ecSigner);
  deepStrictEqual((await verdictOfBytes(signed)).status, "verified");
  const wrong = await verdictOfBytes(signPe(unsigned, layout, ecSigner, { wrongKey: true }));
  deepStrictEqual(wrong.status, "invalid");
});

Deno.test("verifyAuthenticode() rejects an image changed after signing", async () => {
  const verdict = await verdictOf({}, true);
  deepStrictEqual(verdict.status, "invalid");
  ok(verdict.detail.includes("changed after signing"), verdict.detail);
});

Deno.test("verifyAuthenticode() rejects each broken link of the signer chain", async () => {
  const cases: [SignFaults, string][] = [
    [{ wrongKey: true }, "does not verify with its certificate"],
    [{ wrongMessageDigest: true }, "messageDigest does not match"],
    [{ omitCertificate: true }, "certificate is not in the signature"],
  ];
  for (const [faults, reason] of cases) {
    const verdict = await verdictOf(faults);
    deepStrictEqual(verdict.status, "invalid", JSON.stringify(faults));
    ok(verdict.detail.includes(reason), verdict.detail);
  }
});

Deno.test("verifyAuthenticode() reports an unknown digest algorithm as not evaluated", async () => {
  const verdict = await verdictOf({ imageDigestOid: "1.2.840.113549.2.2" }); // MD2
  deepStrictEqual(verdict.status, "not-evaluated");
  ok(verdict.detail.includes("1.2.840.113549.2.2"), verdict.detail);
});

Deno.test("verifyAuthenticode() calls malformed tables invalid, never throws", async () => {
  const signed = signPe(unsigned, layout, signer);
  const table = signed.subarray(unsigned.length);
  // Up to the end of the PKCS#7 blob (cuts in the padding after it change nothing).
  const end = new DataView(table.buffer, table.byteOffset).getUint32(0, true);
  const statuses = new Set<string>();
  for (let length = 0; length < end; length += 7) {
    const verdict = await verifyAuthenticode(table.slice(0, length), () => Promise.resolve("x"));
    statuses.add(verdict.status);
  }
  deepStrictEqual([...statuses], ["invalid"]);
});
