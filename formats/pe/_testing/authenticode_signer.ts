/**
 * Test-only Authenticode signer: signs an unsigned image built by
 * pe_builder.ts with a fresh RSA key and a self-signed certificate, the way
 * signtool lays a signature out (SpcIndirectDataContent with the image's
 * SHA-256 Authenticode digest, authenticated contentType and messageDigest
 * attributes, an RSA PKCS#1 v1.5 or ECDSA signature over them). The digest is computed
 * here independently of the parser's own code.
 *
 * @module
 */
import { createHash, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import {
  attribute,
  certificate,
  concat,
  explicit,
  integer,
  name,
  nullValue,
  octetString,
  oid,
  sequence,
  set,
  tlv,
  utf8String,
  winCertificate,
} from "./der_builder.ts";
import type { PeLayout } from "./pe_builder.ts";

const oids = {
  sha256: "2.16.840.1.101.3.4.2.1",
  rsaEncryption: "1.2.840.113549.1.1.1",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  sha256WithRsa: "1.2.840.113549.1.1.11",
  signedData: "1.2.840.113549.1.7.2",
  spcIndirectData: "1.3.6.1.4.1.311.2.1.4",
  spcPeImageData: "1.3.6.1.4.1.311.2.1.15",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
} as const;

const sha256Algorithm = () => sequence(oid(oids.sha256), nullValue());
const checkSumField = 64;
const securityEntry = 4 * 8;

/** Ways to spoil the signature, for negative tests. */
export type SignFaults = {
  /** Sign the attributes with a key other than the certificate's. */
  wrongKey?: boolean;
  /** Put a messageDigest in the attributes that is not the content's. */
  wrongMessageDigest?: boolean;
  /** Put another certificate in the SignedData instead of the signer's. */
  omitCertificate?: boolean;
  /** Name this digest algorithm OID for the image digest instead of SHA-256. */
  imageDigestOid?: string;
};

/** One RSA key pair and its self-signed certificate, shared by the tests of a file. */
export type TestSigner = {
  keyType: "rsa" | "ec";
  privateKey: KeyObject;
  certificate: Uint8Array;
  issuer: Uint8Array;
  serial: Uint8Array;
};

/** Makes a fresh 2048-bit RSA (or P-256 ECDSA) key and a self-signed certificate `CN=<commonName>`. */
export function makeSigner(
  commonName = "iocscan test signer",
  keyType: "rsa" | "ec" = "rsa",
): TestSigner {
  const { privateKey, publicKey } = keyType === "rsa"
    ? generateKeyPairSync("rsa", { modulusLength: 2048 })
    : generateKeyPairSync("ec", { namedCurve: "P-256" });
  const subject = name([[attribute.CN, utf8String(commonName)]]);
  const serial = Uint8Array.of(0x11, 0x22);
  const publicKeyInfo = new Uint8Array(publicKey.export({ type: "spki", format: "der" }));
  const cert = certificate({
    serial,
    issuer: subject,
    subject,
    publicKeyInfo,
    signTbs: (tbs) => new Uint8Array(sign("sha256", tbs, privateKey)),
  });
  return { keyType, privateKey, certificate: cert, issuer: subject, serial };
}

/**
 * Signs `unsigned` (an image without a certificate table, its length a
 * multiple of 8): returns the image with the certificate table appended and
 * the security directory entry pointing at it.
 */
export function signPe(
  unsigned: Uint8Array,
  layout: PeLayout,
  signer: TestSigner,
  faults: SignFaults = {},
): Uint8Array {
  if (unsigned.length % 8 !== 0) throw new Error("pad the image to 8 bytes before signing");
  const checkSumAt = layout.optionalHeaderOffset + checkSumField;
  const entryAt = layout.directoriesOffset + securityEntry;
  const imageDigest = createHash("sha256")
    .update(unsigned.subarray(0, checkSumAt))
    .update(unsigned.subarray(checkSumAt + 4, entryAt))
    .update(unsigned.subarray(entryAt + 8))
    .digest();
  const indirect = sequence(
    sequence(oid(oids.spcPeImageData), sequence(tlv(0x03, Uint8Array.of(0)))),
    sequence(
      sequence(oid(faults.imageDigestOid ?? oids.sha256), nullValue()),
      octetString(new Uint8Array(imageDigest)),
    ),
  );
  // The message digest covers SpcIndirectDataContent's value, without its tag and length.
  const contentOctets = indirect.subarray(indirect.length - contentLength(indirect));
  const messageDigest = createHash("sha256").update(
    faults.wrongMessageDigest ? Uint8Array.of(0) : contentOctets,
  ).digest();
  const attributes = [
    sequence(oid(oids.contentType), set(oid(oids.spcIndirectData))),
    sequence(oid(oids.messageDigest), set(octetString(new Uint8Array(messageDigest)))),
  ];
  const signingKey = faults.wrongKey ? otherSigner(signer.keyType).privateKey : signer.privateKey;
  const signature = sign("sha256", set(...attributes), signingKey);
  const signerInfo = sequence(
    integer(Uint8Array.of(1)),
    sequence(signer.issuer, integer(signer.serial)),
    sha256Algorithm(),
    explicit(0, ...attributes),
    signer.keyType === "rsa"
      ? sequence(oid(oids.rsaEncryption), nullValue())
      : sequence(oid(oids.ecdsaWithSha256)),
    octetString(new Uint8Array(signature)),
  );
  const certificates = [
    faults.omitCertificate ? otherSigner(signer.keyType).certificate : signer.certificate,
  ];
  const signedData = sequence(
    integer(Uint8Array.of(1)),
    set(sha256Algorithm()),
    sequence(oid(oids.spcIndirectData), explicit(0, indirect)),
    tlv(0xa0, ...certificates),
    set(signerInfo),
  );
  const table = winCertificate(sequence(oid(oids.signedData), explicit(0, signedData)));
  const signed = concat(unsigned, table);
  const view = new DataView(signed.buffer);
  view.setUint32(entryAt, unsigned.length, true);
  view.setUint32(entryAt + 4, table.length, true);
  return signed;
}

const others = new Map<string, TestSigner>();

/** A second signer of the same key type, made once (key generation is the slow part). */
function otherSigner(keyType: "rsa" | "ec"): TestSigner {
  let other = others.get(keyType);
  if (other === undefined) others.set(keyType, other = makeSigner("other", keyType));
  return other;
}

/** The content length of a DER element with a definite length. */
function contentLength(element: Uint8Array): number {
  const first = element[1]!;
  if (first < 0x80) return first;
  let length = 0;
  for (let index = 0; index < (first & 0x7f); index++) length = length * 256 + element[2 + index]!;
  return length;
}
