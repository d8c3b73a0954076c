/**
 * The Authenticode signer from a PE certificate table: WIN_CERTIFICATE
 * entries → PKCS#7 SignedData → the signer's certificate → its subject and
 * issuer. Nothing is verified here; authenticode_verify.ts checks the
 * signature.
 *
 * @module
 */
import {
  childrenOf,
  contentOf,
  type DerElement,
  DerError,
  encodingOf,
  isContext,
  isUniversal,
  offsetOf,
  readElement,
  readOid,
  sameBytes,
  universalTag,
} from "./der.ts";
import { formatName } from "./distinguished_name.ts";

/** The signer certificate's names. */
export type AuthenticodeSigner = { subject: string; issuer: string };

const certTypePkcsSignedData = 0x0002;
const maxEntries = 16;
const maxCertificates = 256;
const signedDataOid = "1.2.840.113549.1.7.2";
const subjectKeyIdentifierOid = "2.5.29.14";

/** The parts of an X.509 certificate this module and the verifier read. */
export type Certificate = {
  issuer: DerElement;
  serial: DerElement;
  subject: DerElement;
  subjectKeyId: Uint8Array | undefined;
  /** The SubjectPublicKeyInfo element (undefined when the certificate is cut short). */
  publicKeyInfo: DerElement | undefined;
};

/**
 * Finds the signer in a certificate table (the bytes the security directory
 * points at). Throws {@linkcode DerError} (or a plain `Error` for the
 * WIN_CERTIFICATE framing) describing the first problem.
 *
 * The signer certificate is the one matching the first SignerInfo's
 * issuerAndSerialNumber (or subjectKeyIdentifier); failing that, the first
 * certificate that issued no other certificate in the set (a leaf), else the
 * first certificate.
 *
 * @example
 * ```ts ignore
 * readAuthenticodeSigner(table); // { subject: "CN=Contoso, O=Contoso, C=US", issuer: "CN=Contoso CA, C=US" }
 * ```
 */
export function readAuthenticodeSigner(table: Uint8Array): AuthenticodeSigner {
  return signerOf(firstSignedData(table));
}

/**
 * The first PKCS#7 blob (WIN_CERT_TYPE_PKCS_SIGNED_DATA) of a certificate
 * table. Throws a plain `Error` naming the entry when the framing is bad or
 * there is none.
 */
export function firstSignedData(table: Uint8Array): Uint8Array {
  const data = new DataView(table.buffer, table.byteOffset, table.byteLength);
  let offset = 0;
  for (let entry = 0; entry < maxEntries && offset + 8 <= table.length; entry++) {
    const length = data.getUint32(offset, true);
    const type = data.getUint16(offset + 6, true);
    if (length < 8) throw new Error(`WIN_CERTIFICATE ${entry} at +${offset} has length ${length}`);
    if (type === certTypePkcsSignedData) {
      return table.subarray(offset + 8, Math.min(table.length, offset + length));
    }
    offset += (length + 7) & ~7;
  }
  throw new Error("no PKCS#7 (WIN_CERT_TYPE_PKCS_SIGNED_DATA) entry in the certificate table");
}

/** The children of PKCS#7 SignedData, from the ContentInfo that wraps it. */
export function signedDataParts(pkcs7: Uint8Array): DerElement[] {
  const contentInfo = readElement(pkcs7, 0);
  const [contentType, explicitContent] = childrenOf(
    expect(contentInfo, universalTag.sequence, "ContentInfo"),
  );
  if (!contentType || readOid(contentType) !== signedDataOid) {
    throw new DerError("ContentInfo is not PKCS#7 SignedData");
  }
  if (!isContext(explicitContent, 0)) throw new DerError("SignedData content missing");
  return childrenOf(expect(childrenOf(explicitContent)[0], universalTag.sequence, "SignedData"));
}

/** The X.509 certificates of SignedData (at most a bounded number). */
export function certificatesOf(parts: DerElement[]): Certificate[] {
  const certificateSet = parts.find((part) => isContext(part, 0) && part.constructed);
  if (!certificateSet) throw new DerError("SignedData holds no certificates");
  const certificates = childrenOf(certificateSet)
    .filter((element) => isUniversal(element, universalTag.sequence))
    // Real signatures carry a handful; the cap keeps the leaf search below cheap.
    .slice(0, maxCertificates)
    .map(readCertificate);
  if (certificates.length === 0) throw new DerError("SignedData holds no X.509 certificates");
  return certificates;
}

function signerOf(pkcs7: Uint8Array): AuthenticodeSigner {
  const parts = signedDataParts(pkcs7);
  const certificates = certificatesOf(parts);

  const signerInfos = parts.at(-1);
  const chosen =
    (isUniversal(signerInfos, universalTag.set)
      ? matchSigner(signerInfos, certificates)
      : undefined) ??
      certificates.find((candidate) =>
        !certificates.some((other) =>
          other !== candidate && sameBytes(encodingOf(other.issuer), encodingOf(candidate.subject))
        )
      ) ??
      certificates[0]!;
  return { subject: formatName(chosen.subject), issuer: formatName(chosen.issuer) };
}

function matchSigner(
  signerInfos: DerElement,
  certificates: Certificate[],
): Certificate | undefined {
  const signerInfo = childrenOf(signerInfos)[0];
  if (!isUniversal(signerInfo, universalTag.sequence)) return undefined;
  return certificateOfSigner(signerInfo, certificates);
}

/**
 * The certificate a SignerInfo names, by issuerAndSerialNumber or
 * subjectKeyIdentifier; undefined when none in the set matches.
 */
export function certificateOfSigner(
  signerInfo: DerElement,
  certificates: Certificate[],
): Certificate | undefined {
  const identifier = childrenOf(signerInfo)[1];
  if (isUniversal(identifier, universalTag.sequence)) {
    const [issuer, serial] = childrenOf(identifier);
    if (!issuer || !serial) return undefined;
    return certificates.find((certificate) =>
      sameBytes(encodingOf(certificate.issuer), encodingOf(issuer)) &&
      sameBytes(contentOf(certificate.serial), contentOf(serial))
    );
  }
  if (isContext(identifier, 0)) {
    const keyId = contentOf(identifier);
    return certificates.find((certificate) =>
      certificate.subjectKeyId !== undefined && sameBytes(certificate.subjectKeyId, keyId)
    );
  }
  return undefined;
}

function readCertificate(certificate: DerElement): Certificate {
  const tbs = expect(childrenOf(certificate)[0], universalTag.sequence, "TBSCertificate");
  const fields = childrenOf(tbs);
  // The version is an optional explicit [0] before the serial number.
  const rest = isContext(fields[0], 0) ? fields.slice(1) : fields;
  const [serial, , issuer, , subject, publicKeyInfo] = rest;
  let subjectKeyId: Uint8Array | undefined;
  const extensions = rest.slice(6).find((field) => isContext(field, 3));
  if (extensions) {
    const list = childrenOf(extensions)[0];
    if (isUniversal(list, universalTag.sequence)) {
      for (const extension of childrenOf(list)) {
        const [oid, ...others] = childrenOf(extension);
        const value = others.at(-1);
        if (
          oid && readOid(oid) === subjectKeyIdentifierOid &&
          isUniversal(value, universalTag.octetString)
        ) {
          const inner = readElement(contentOf(value), 0);
          if (isUniversal(inner, universalTag.octetString)) subjectKeyId = contentOf(inner);
        }
      }
    }
  }
  return {
    serial: expect(serial, universalTag.integer, "certificate serial number"),
    issuer: expect(issuer, universalTag.sequence, "certificate issuer"),
    subject: expect(subject, universalTag.sequence, "certificate subject"),
    subjectKeyId,
    publicKeyInfo: isUniversal(publicKeyInfo, universalTag.sequence) ? publicKeyInfo : undefined,
  };
}

/** The element if it has the universal `tag`, else a {@linkcode DerError} naming `what`. */
export function expect(element: DerElement | undefined, tag: number, what: string): DerElement {
  if (!isUniversal(element, tag)) {
    throw new DerError(
      `${what} missing or malformed at offset ${offsetOf(element)}`,
    );
  }
  return element;
}
