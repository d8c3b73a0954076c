import { deepStrictEqual, throws } from "node:assert/strict";
import { readAuthenticodeSigner } from "./authenticode.ts";
import {
  attribute,
  certificate,
  concat,
  name,
  signedData,
  utf8String,
  winCertificate,
} from "./_testing/der_builder.ts";

const rootName = name([[attribute.CN, utf8String("Root")]]);
const caName = name([[attribute.CN, utf8String("Signing CA")]]);
const leafName = name([[attribute.CN, utf8String("Leaf")]]);
const tsaName = name([[attribute.CN, utf8String("Timestamping")]]);
const ca = certificate({ serial: Uint8Array.of(1), issuer: rootName, subject: caName });
const leaf = certificate({
  serial: Uint8Array.of(2),
  issuer: caName,
  subject: leafName,
  subjectKeyId: Uint8Array.of(0xaa, 0xbb),
});
const tsa = certificate({ serial: Uint8Array.of(2), issuer: rootName, subject: tsaName });

Deno.test("readAuthenticodeSigner() picks the certificate named by issuerAndSerialNumber", () => {
  const table = winCertificate(
    signedData([tsa, ca, leaf], { issuer: caName, serial: Uint8Array.of(2) }),
  );
  deepStrictEqual(readAuthenticodeSigner(table), { subject: "CN=Leaf", issuer: "CN=Signing CA" });
});

Deno.test("readAuthenticodeSigner() picks the certificate named by subjectKeyIdentifier", () => {
  const table = winCertificate(
    signedData([ca, tsa, leaf], { subjectKeyId: Uint8Array.of(0xaa, 0xbb) }),
  );
  deepStrictEqual(readAuthenticodeSigner(table), { subject: "CN=Leaf", issuer: "CN=Signing CA" });
});

Deno.test("readAuthenticodeSigner() falls back to the first leaf certificate without a SignerInfo", () => {
  const table = winCertificate(signedData([ca, leaf], undefined));
  deepStrictEqual(readAuthenticodeSigner(table), { subject: "CN=Leaf", issuer: "CN=Signing CA" });
});

Deno.test("readAuthenticodeSigner() skips non-PKCS#7 entries and rejects tables without one", () => {
  const x509Entry = winCertificate(Uint8Array.of(1, 2, 3), 0x0001);
  const table = concat(
    x509Entry,
    winCertificate(signedData([leaf], { issuer: caName, serial: Uint8Array.of(2) })),
  );
  deepStrictEqual(readAuthenticodeSigner(table).subject, "CN=Leaf");
  throws(() => readAuthenticodeSigner(x509Entry), /no PKCS#7/);
  throws(() => readAuthenticodeSigner(Uint8Array.of(4, 0, 0, 0, 0, 2, 2, 0)), /length 4/);
});

Deno.test("readAuthenticodeSigner() throws (never hangs) on every truncation of a signature", () => {
  const table = winCertificate(
    signedData([ca, leaf], { issuer: caName, serial: Uint8Array.of(2) }),
  );
  let parsed = 0;
  for (let length = 0; length < table.length; length++) {
    const cut = table.slice(0, length);
    try {
      readAuthenticodeSigner(cut);
      parsed++;
    } catch (error) {
      if (!(error instanceof Error)) throw error;
    }
  }
  // Only cuts inside the final padding still parse.
  deepStrictEqual(parsed <= 8, true);
});
