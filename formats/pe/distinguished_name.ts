/**
 * X.501 Name → display string, the way Windows and .NET's
 * `X500DistinguishedName.Name` show it (what `Get-AuthenticodeSignature`
 * prints as `SignerCertificate.Subject`):
 * - relative distinguished names in reverse encoding order, most specific
 *   first (`CN=…, O=…, L=…, S=…, C=…`), as RFC 4514 also orders them;
 * - `", "` between them and `" + "` inside a multi-valued one;
 * - Windows attribute names (`S` for state, `E` for e-mail, `SERIALNUMBER`,
 *   `OID.2.5.4.15` for types without a name);
 * - values holding `, + = " < > # ;`, a line break or edge spaces are put in
 *   double quotes with inner quotes doubled.
 *
 * @module
 */
import {
  childrenOf,
  contentOf,
  type DerElement,
  DerError,
  isUniversal,
  offsetOf,
  readOid,
  universalTag,
} from "./der.ts";

const attributeNames: ReadonlyMap<string, string> = new Map([
  ["2.5.4.3", "CN"],
  ["2.5.4.4", "SN"],
  ["2.5.4.5", "SERIALNUMBER"],
  ["2.5.4.6", "C"],
  ["2.5.4.7", "L"],
  ["2.5.4.8", "S"],
  ["2.5.4.9", "STREET"],
  ["2.5.4.10", "O"],
  ["2.5.4.11", "OU"],
  ["2.5.4.12", "T"],
  ["2.5.4.17", "PostalCode"],
  ["2.5.4.42", "G"],
  ["2.5.4.43", "I"],
  ["1.2.840.113549.1.9.1", "E"],
  ["0.9.2342.19200300.100.1.25", "DC"],
]);

/**
 * Formats a DER `Name` element.
 *
 * @example
 * ```ts ignore
 * formatName(readElement(nameBytes, 0)); // "CN=Contoso Signing, O=Contoso Ltd, C=US"
 * ```
 */
export function formatName(name: DerElement): string {
  if (!isUniversal(name, universalTag.sequence)) {
    throw new DerError(`expected a Name at offset ${offsetOf(name)}`);
  }
  const parts: string[] = [];
  for (const rdn of childrenOf(name)) {
    if (!isUniversal(rdn, universalTag.set)) {
      throw new DerError(`expected an RDN set at offset ${offsetOf(rdn)}`);
    }
    const values: string[] = [];
    for (const pair of childrenOf(rdn)) {
      const [type, value] = childrenOf(pair);
      if (!type || !value) throw new DerError(`incomplete attribute at offset ${pair.start}`);
      const oid = readOid(type);
      values.push(`${attributeNames.get(oid) ?? `OID.${oid}`}=${quote(decodeValue(value))}`);
    }
    parts.push(values.join(" + "));
  }
  return parts.reverse().join(", ");
}

function decodeValue(value: DerElement): string {
  const content = contentOf(value);
  if (value.tagClass === 0) {
    switch (value.tagNumber) {
      case universalTag.utf8String:
        return new TextDecoder().decode(content);
      case universalTag.printableString:
      case universalTag.ia5String:
      case universalTag.numericString:
      case universalTag.visibleString:
      case universalTag.t61String:
        // T61 is in practice Latin-1 in certificates.
        return String.fromCharCode(...content.subarray(0, 65536));
      case universalTag.bmpString:
        return new TextDecoder("utf-16be").decode(content);
      case universalTag.universalString: {
        let text = "";
        for (let index = 0; index + 3 < content.length; index += 4) {
          const codePoint = ((content[index]! << 24) | (content[index + 1]! << 16) |
            (content[index + 2]! << 8) | content[index + 3]!) >>> 0;
          text += codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : "\ufffd";
        }
        return text;
      }
    }
  }
  // Anything else is shown as its hex encoding, as RFC 4514 does.
  return "#" +
    Array.from(
      value.bytes.subarray(value.start, value.end),
      (byte) => byte.toString(16).padStart(2, "0"),
    )
      .join("");
}

function quote(value: string): string {
  const needsQuotes = value === "" || /[,+="<>#;\r\n]/.test(value) || value.trim() !== value;
  return needsQuotes ? `"${value.replaceAll('"', '""')}"` : value;
}
