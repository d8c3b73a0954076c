/**
 * Test-only DER encoders: enough to build X.509 certificates and PKCS#7
 * SignedData blobs whose shape matches Authenticode. The signatures built
 * here are dummies; authenticode_signer.ts builds real ones.
 *
 * @module
 */

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Encodes a DER length. */
export function derLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** Encodes one element with a single-byte tag. */
export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = concat(...content);
  return concat(Uint8Array.of(tag), derLength(body.length), body);
}

/** SEQUENCE. */
export const sequence = (...items: Uint8Array[]): Uint8Array => tlv(0x30, ...items);
/** SET. */
export const set = (...items: Uint8Array[]): Uint8Array => tlv(0x31, ...items);
/** Context-specific constructed `[n]`. */
export const explicit = (n: number, ...items: Uint8Array[]): Uint8Array => tlv(0xa0 | n, ...items);
/** Context-specific primitive `[n]`. */
export const implicitPrimitive = (n: number, bytes: Uint8Array): Uint8Array => tlv(0x80 | n, bytes);
/** INTEGER from raw big-endian bytes. */
export const integer = (bytes: Uint8Array): Uint8Array => tlv(0x02, bytes);
/** OCTET STRING. */
export const octetString = (bytes: Uint8Array): Uint8Array => tlv(0x04, bytes);
/** NULL. */
export const nullValue = (): Uint8Array => tlv(0x05);
/** UTF8String. */
export const utf8String = (text: string): Uint8Array => tlv(0x0c, new TextEncoder().encode(text));
/** PrintableString. */
export const printableString = (text: string): Uint8Array =>
  tlv(0x13, Uint8Array.from(text, (char) => char.charCodeAt(0)));
/** BMPString (UTF-16BE). */
export function bmpString(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length * 2);
  for (let index = 0; index < text.length; index++) {
    bytes[index * 2] = text.charCodeAt(index) >> 8;
    bytes[index * 2 + 1] = text.charCodeAt(index) & 0xff;
  }
  return tlv(0x1e, bytes);
}
/** UTCTime. */
export const utcTime = (text: string): Uint8Array => tlv(0x17, new TextEncoder().encode(text));

/** OBJECT IDENTIFIER from dotted form. */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map(Number);
  const bytes: number[] = [arcs[0]! * 40 + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) {
      chunk.unshift((rest & 0x7f) | 0x80);
    }
    bytes.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(bytes));
}

/** Attribute OIDs by the short names tests use. */
export const attribute = {
  CN: "2.5.4.3",
  C: "2.5.4.6",
  L: "2.5.4.7",
  S: "2.5.4.8",
  O: "2.5.4.10",
  OU: "2.5.4.11",
  E: "1.2.840.113549.1.9.1",
  businessCategory: "2.5.4.15",
} as const;

/**
 * A Name from RDNs in ENCODING order (country first, as certificates store
 * them). Each RDN is a list of `[oid, encoded value]` pairs.
 */
export function name(...rdns: [string, Uint8Array][][]): Uint8Array {
  return sequence(
    ...rdns.map((rdn) => set(...rdn.map(([type, value]) => sequence(oid(type), value)))),
  );
}

/** The parts of a test certificate. */
export type CertificateSpec = {
  serial: Uint8Array;
  issuer: Uint8Array;
  subject: Uint8Array;
  subjectKeyId?: Uint8Array;
  /** A real SubjectPublicKeyInfo (DER); a dummy key otherwise. */
  publicKeyInfo?: Uint8Array;
  /** Signs the TBSCertificate encoding; a dummy signature otherwise. */
  signTbs?: (tbs: Uint8Array) => Uint8Array;
};

const sha256WithRsa = sequence(oid("1.2.840.113549.1.1.11"), nullValue());

/** An X.509 v3 certificate, with a dummy key and signature unless the spec gives real ones. */
export function certificate(spec: CertificateSpec): Uint8Array {
  const extensions = spec.subjectKeyId
    ? [
      explicit(
        3,
        sequence(sequence(oid("2.5.29.14"), octetString(octetString(spec.subjectKeyId)))),
      ),
    ]
    : [];
  const tbs = sequence(
    explicit(0, integer(Uint8Array.of(2))),
    integer(spec.serial),
    sha256WithRsa,
    spec.issuer,
    sequence(utcTime("240101000000Z"), utcTime("300101000000Z")),
    spec.subject,
    spec.publicKeyInfo ?? sequence(
      sequence(oid("1.2.840.113549.1.1.1"), nullValue()),
      tlv(0x03, Uint8Array.of(0, 0x30, 0)),
    ),
    ...extensions,
  );
  const signature = spec.signTbs ? spec.signTbs(tbs) : Uint8Array.of(1, 2, 3);
  return sequence(tbs, sha256WithRsa, tlv(0x03, Uint8Array.of(0), signature));
}

/** How the SignerInfo names its certificate. */
export type SignerIdentifier =
  | { issuer: Uint8Array; serial: Uint8Array }
  | { subjectKeyId: Uint8Array }
  | undefined;

/** A PKCS#7 ContentInfo holding Authenticode-shaped SignedData. */
export function signedData(certificates: Uint8Array[], signer: SignerIdentifier): Uint8Array {
  const signerInfos = signer === undefined ? set() : set(
    sequence(
      integer(Uint8Array.of("subjectKeyId" in signer ? 3 : 1)),
      "subjectKeyId" in signer
        ? implicitPrimitive(0, signer.subjectKeyId)
        : sequence(signer.issuer, integer(signer.serial)),
      sequence(oid("2.16.840.1.101.3.4.2.1"), nullValue()),
      sequence(oid("1.2.840.113549.1.1.1"), nullValue()),
      octetString(Uint8Array.of(9, 9, 9, 9)),
    ),
  );
  const content = sequence(
    integer(Uint8Array.of(1)),
    set(sequence(oid("2.16.840.1.101.3.4.2.1"), nullValue())),
    // SpcIndirectDataContent, reduced to its type and an empty body.
    sequence(oid("1.3.6.1.4.1.311.2.1.4"), explicit(0, sequence())),
    tlv(0xa0, ...certificates),
    signerInfos,
  );
  return sequence(oid("1.2.840.113549.1.7.2"), explicit(0, content));
}

/** Wraps a PKCS#7 blob as a WIN_CERTIFICATE entry (revision 2.0, PKCS_SIGNED_DATA), padded to 8 bytes. */
export function winCertificate(pkcs7: Uint8Array, type = 0x0002): Uint8Array {
  const length = 8 + pkcs7.length;
  const out = new Uint8Array((length + 7) & ~7);
  const view = new DataView(out.buffer);
  view.setUint32(0, length, true);
  view.setUint16(4, 0x0200, true);
  view.setUint16(6, type, true);
  out.set(pkcs7, 8);
  return out;
}
