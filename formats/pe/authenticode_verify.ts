/**
 * Verifying an Authenticode signature as far as a file alone allows:
 * document integrity and a well-formed signer, not trust.
 *
 * "Verified" means all of:
 * 1. the image digest signed in SpcIndirectDataContent equals the file's
 *    Authenticode digest (authenticode_digest.ts);
 * 2. the SignerInfo's certificate is in the SignedData;
 * 3. the authenticated attributes' messageDigest equals the digest of the
 *    SpcIndirectDataContent, and their contentType is SPC_INDIRECT_DATA;
 * 4. the SignerInfo's signature over the authenticated attributes verifies
 *    with that certificate's public key (RSA PKCS#1 v1.5 or ECDSA).
 *
 * Not checked: the issuers' signatures on certificates, validity periods,
 * key usages, revocation, countersignatures and timestamps, nested
 * signatures, and whether the root is trusted (there is no Windows root
 * store here). Any failed check is `invalid`; algorithms this module does not
 * implement are `not-evaluated`, never guessed.
 *
 * @module
 */
import { createHash, createPublicKey, verify } from "node:crypto";
import {
  type Certificate,
  certificateOfSigner,
  certificatesOf,
  expect,
  firstSignedData,
  signedDataParts,
} from "./authenticode.ts";
import {
  childrenOf,
  contentOf,
  type DerElement,
  DerError,
  encodingOf,
  isContext,
  isUniversal,
  readOid,
  sameBytes,
  universalTag,
} from "./der.ts";

/** A digest algorithm, by its `node:crypto` name. */
export type DigestName = "md5" | "sha1" | "sha256" | "sha384" | "sha512";

/** Digest algorithm OIDs → `node:crypto` names. */
export const digestOids: ReadonlyMap<string, DigestName> = new Map([
  ["1.2.840.113549.2.5", "md5"],
  ["1.3.14.3.2.26", "sha1"],
  ["2.16.840.1.101.3.4.2.1", "sha256"],
  ["2.16.840.1.101.3.4.2.2", "sha384"],
  ["2.16.840.1.101.3.4.2.3", "sha512"],
]);

/**
 * Signature algorithm OIDs whose signature `node:crypto` verifies given the
 * key and the SignerInfo's digest algorithm: RSA PKCS#1 v1.5 and ECDSA.
 */
const signatureOids: ReadonlySet<string> = new Set([
  "1.2.840.113549.1.1.1", // rsaEncryption
  "1.2.840.113549.1.1.4", // md5WithRSAEncryption
  "1.2.840.113549.1.1.5", // sha1WithRSAEncryption
  "1.2.840.113549.1.1.11", // sha256WithRSAEncryption
  "1.2.840.113549.1.1.12", // sha384WithRSAEncryption
  "1.2.840.113549.1.1.13", // sha512WithRSAEncryption
  "1.2.840.10045.2.1", // ecPublicKey
  "1.2.840.10045.4.1", // ecdsa-with-SHA1
  "1.2.840.10045.4.3.2", // ecdsa-with-SHA256
  "1.2.840.10045.4.3.3", // ecdsa-with-SHA384
  "1.2.840.10045.4.3.4", // ecdsa-with-SHA512
]);

const spcIndirectDataOid = "1.3.6.1.4.1.311.2.1.4";
const contentTypeAttributeOid = "1.2.840.113549.1.9.3";
const messageDigestAttributeOid = "1.2.840.113549.1.9.4";
/** The largest RSA modulus verified (Windows' and OpenSSL's own limit): bounds the work a hostile key causes. */
const maxRsaModulusBits = 16384;
/** DER tag of a SET OF, which the signed authenticated attributes are re-tagged to. */
const setTag = 0x31;

/** The outcome of {@linkcode verifyAuthenticode}, with a one-line reason. */
export type AuthenticodeVerdict = {
  status: "verified" | "invalid" | "not-evaluated";
  detail: string;
};

/**
 * Computes the file's Authenticode digest with the named algorithm, or
 * returns a reason it cannot (the file is too large to hash…).
 */
export type ImageDigester = (algorithm: DigestName) => Promise<Uint8Array | string>;

/**
 * Verifies the first PKCS#7 signature of a certificate table against the
 * image, whose digest `digestImage` computes. Never throws: damaged
 * structures are `invalid` with the reason.
 *
 * @example
 * ```ts ignore
 * const verdict = await verifyAuthenticode(table, (algorithm) => digestOf(file, algorithm));
 * // { status: "verified", detail: "sha256 image digest and RSA signature of CN=Contoso check out" }
 * ```
 */
export async function verifyAuthenticode(
  table: Uint8Array,
  digestImage: ImageDigester,
): Promise<AuthenticodeVerdict> {
  let signed: SignerCheck;
  try {
    signed = checkSigner(firstSignedData(table));
  } catch (error) {
    return { status: "invalid", detail: error instanceof Error ? error.message : String(error) };
  }
  if (signed.status !== "verified") return signed;
  const actual = await digestImage(signed.imageAlgorithm);
  if (typeof actual === "string") return { status: "not-evaluated", detail: actual };
  if (!sameBytes(actual, signed.imageDigest)) {
    return {
      status: "invalid",
      detail: `the file's ${signed.imageAlgorithm} Authenticode digest ${
        hexOf(actual)
      } is not the signed ${hexOf(signed.imageDigest)} (the file was changed after signing)`,
    };
  }
  return {
    status: "verified",
    detail: `${signed.imageAlgorithm} image digest and signer signature check out`,
  };
}

type SignerCheck =
  | { status: "verified"; imageAlgorithm: DigestName; imageDigest: Uint8Array }
  | AuthenticodeVerdict & { status: "invalid" | "not-evaluated" };

const invalid = (detail: string): SignerCheck => ({ status: "invalid", detail });
const unsupported = (detail: string): SignerCheck => ({ status: "not-evaluated", detail });

/** Checks 2–4 and reads what check 1 needs; throws DerError on malformed structures. */
function checkSigner(pkcs7: Uint8Array): SignerCheck {
  const parts = signedDataParts(pkcs7);
  // SignedData: version, digestAlgorithms, contentInfo, [0] certificates, [1] crls, signerInfos.
  const contentInfo = expect(parts[2], universalTag.sequence, "SignedData contentInfo");
  const [contentType, explicitContent] = childrenOf(contentInfo);
  if (!contentType || readOid(contentType) !== spcIndirectDataOid) {
    return invalid("SignedData content is not SpcIndirectDataContent");
  }
  if (!isContext(explicitContent, 0)) return invalid("SpcIndirectDataContent missing");
  const indirect = expect(
    childrenOf(explicitContent)[0],
    universalTag.sequence,
    "SpcIndirectDataContent",
  );
  const digestInfo = expect(childrenOf(indirect)[1], universalTag.sequence, "DigestInfo");
  const [digestAlgorithm, digestValue] = childrenOf(digestInfo);
  const imageAlgorithm = digestAlgorithmOf(digestAlgorithm);
  if (imageAlgorithm === undefined) {
    return unsupported(`image digest algorithm ${algorithmOid(digestAlgorithm)} not supported`);
  }
  const imageDigest = contentOf(expect(digestValue, universalTag.octetString, "image digest"));

  const signerInfos = parts.at(-1);
  if (!isUniversal(signerInfos, universalTag.set)) return invalid("SignedData has no SignerInfos");
  const signerInfo = childrenOf(signerInfos)[0];
  if (!isUniversal(signerInfo, universalTag.sequence)) return invalid("SignedData has no signer");
  const certificate = certificateOfSigner(signerInfo, certificatesOf(parts));
  if (certificate === undefined) {
    return invalid("the signer's certificate is not in the signature");
  }
  // SignerInfo: version, sid, digestAlgorithm, [0] authenticatedAttributes?,
  // digestEncryptionAlgorithm, encryptedDigest, [1] unauthenticatedAttributes?
  const fields = childrenOf(signerInfo);
  const signerAlgorithm = digestAlgorithmOf(fields[2]);
  if (signerAlgorithm === undefined) {
    return unsupported(`signer digest algorithm ${algorithmOid(fields[2])} not supported`);
  }
  const attributes = isContext(fields[3], 0) ? fields[3] : undefined;
  const rest = fields.slice(attributes ? 4 : 3);
  const signatureAlgorithm = algorithmOid(rest[0]);
  if (!signatureOids.has(signatureAlgorithm)) {
    return unsupported(`signature algorithm ${signatureAlgorithm} not supported`);
  }
  const signature = contentOf(expect(rest[1], universalTag.octetString, "encryptedDigest"));
  // The digested content is SpcIndirectDataContent's value, without its tag and length.
  const contentDigest = hash(signerAlgorithm, contentOf(indirect));
  let signedBytes: Uint8Array;
  if (attributes) {
    const problem = checkAttributes(attributes, contentDigest);
    if (problem) return invalid(problem);
    signedBytes = encodingOf(attributes).slice();
    signedBytes[0] = setTag;
  } else {
    signedBytes = contentOf(indirect);
  }
  const checked = checkSignature(certificate, signerAlgorithm, signedBytes, signature);
  if (checked !== undefined) return checked;
  return { status: "verified", imageAlgorithm, imageDigest };
}

function checkAttributes(attributes: DerElement, contentDigest: Uint8Array): string | undefined {
  let digest: Uint8Array | undefined;
  let type: string | undefined;
  for (const attribute of childrenOf(attributes)) {
    const [oid, values] = childrenOf(expect(attribute, universalTag.sequence, "attribute"));
    if (!oid || !isUniversal(values, universalTag.set)) continue;
    const id = readOid(oid);
    const value = childrenOf(values)[0];
    if (id === messageDigestAttributeOid && isUniversal(value, universalTag.octetString)) {
      digest = contentOf(value);
    } else if (id === contentTypeAttributeOid && isUniversal(value, universalTag.oid)) {
      type = readOid(value);
    }
  }
  if (digest === undefined) return "the authenticated attributes hold no messageDigest";
  if (type !== spcIndirectDataOid) {
    return "the authenticated contentType is not SpcIndirectDataContent";
  }
  if (!sameBytes(digest, contentDigest)) {
    return "the authenticated messageDigest does not match SpcIndirectDataContent";
  }
  return undefined;
}

function checkSignature(
  certificate: Certificate,
  algorithm: DigestName,
  signed: Uint8Array,
  signature: Uint8Array,
): SignerCheck | undefined {
  if (certificate.publicKeyInfo === undefined) {
    return invalid("the signer's certificate has no public key");
  }
  let key;
  try {
    key = createPublicKey({
      key: Buffer.from(encodingOf(certificate.publicKeyInfo)),
      format: "der",
      type: "spki",
    });
  } catch (error) {
    return unsupported(
      `the signer's public key cannot be used: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
  if (key.asymmetricKeyType !== "rsa" && key.asymmetricKeyType !== "ec") {
    return unsupported(`${key.asymmetricKeyType} signer keys are not supported`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType === "rsa" && bits > maxRsaModulusBits) {
    return unsupported(`a ${bits}-bit RSA key is over the ${maxRsaModulusBits}-bit limit`);
  }
  let good: boolean;
  try {
    good = verify(algorithm, signed, key, signature);
  } catch {
    good = false;
  }
  return good ? undefined : invalid("the signer's signature does not verify with its certificate");
}

function digestAlgorithmOf(element: DerElement | undefined): DigestName | undefined {
  return digestOids.get(algorithmOid(element));
}

function algorithmOid(element: DerElement | undefined): string {
  if (!isUniversal(element, universalTag.sequence)) {
    throw new DerError("AlgorithmIdentifier missing");
  }
  const oid = childrenOf(element)[0];
  if (!oid) throw new DerError("AlgorithmIdentifier without an OID");
  return readOid(oid);
}

function hash(algorithm: DigestName, bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(algorithm).update(bytes).digest());
}

function hexOf(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
