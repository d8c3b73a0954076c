import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { decodeXmlBytes } from "./xml_decode.ts";
import { XmlSyntaxError } from "./xml_error.ts";

function utf16(text: string, littleEndian: boolean, bom: boolean): Uint8Array {
  const units = (bom ? "\uFEFF" : "") + text;
  const bytes = new Uint8Array(units.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < units.length; i++) view.setUint16(i * 2, units.charCodeAt(i), littleEndian);
  return bytes;
}

Deno.test("decodeXmlBytes strips a UTF-8 BOM", () => {
  const result = decodeXmlBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x3c, 0x61, 0x2f, 0x3e]));
  strictEqual(result.text, "<a/>");
  strictEqual(result.bom, true);
});

Deno.test("decodeXmlBytes decodes UTF-16 with and without a BOM", () => {
  const text = '<?xml version="1.0" encoding="UTF-16"?><a>é</a>';
  for (const littleEndian of [true, false]) {
    for (const bom of [true, false]) {
      const result = decodeXmlBytes(utf16(text, littleEndian, bom));
      strictEqual(result.text, text);
      strictEqual(result.encoding, littleEndian ? "utf-16le" : "utf-16be");
    }
  }
});

Deno.test("decodeXmlBytes rejects odd-length UTF-16 and UTF-32", () => {
  const truncated = utf16("<a/>", true, true).subarray(0, 7);
  throws(() => decodeXmlBytes(truncated), /odd number of bytes/);
  throws(() => decodeXmlBytes(new Uint8Array([0xff, 0xfe, 0, 0, 0x3c, 0, 0, 0])), /UTF-32/);
});

Deno.test("decodeXmlBytes honours a declared 8-bit encoding", () => {
  const bytes = new Uint8Array([
    ...new TextEncoder().encode('<?xml version="1.0" encoding="ISO-8859-1"?><a>'),
    0xe9,
    ...new TextEncoder().encode("</a>"),
  ]);
  strictEqual(decodeXmlBytes(bytes).text.endsWith("<a>é</a>"), true);
});

Deno.test("decodeXmlBytes reads us-ascii as UTF-8 and notes a wrong UTF-16 declaration", () => {
  strictEqual(
    decodeXmlBytes(new TextEncoder().encode("<?xml version='1.0' encoding='us-ascii'?><a/>"))
      .encoding,
    "utf-8",
  );
  const mislabelled = decodeXmlBytes(
    new TextEncoder().encode('<?xml version="1.0" encoding="utf-16"?><a/>'),
  );
  strictEqual(mislabelled.notes.length, 1);
});

Deno.test("decodeXmlBytes rejects invalid UTF-8 with the line and column", () => {
  const bytes = new Uint8Array([...new TextEncoder().encode("<a>\n  x"), 0xff, 0x3c]);
  throws(() => decodeXmlBytes(bytes), (error) => {
    ok(error instanceof XmlSyntaxError);
    ok(error.message.includes("not valid UTF-8"));
    deepStrictEqual(error.position, { line: 2, column: 4 });
    return true;
  });
  throws(() => decodeXmlBytes(new Uint8Array([0x3c, 0xc0, 0x80])), /not valid UTF-8/); // overlong
  throws(() => decodeXmlBytes(new Uint8Array([0x3c, 0xed, 0xa0, 0x80])), /not valid UTF-8/); // surrogate
});

Deno.test("decodeXmlBytes reads an unknown declared encoding as UTF-8 when the bytes allow it", () => {
  const plain = decodeXmlBytes(
    new TextEncoder().encode('<?xml version="1.0" encoding="x-klingon"?><a/>'),
  );
  strictEqual(plain.encoding, "utf-8");
  strictEqual(plain.notes.length, 1);
  const bytes = new Uint8Array([
    ...new TextEncoder().encode('<?xml version="1.0" encoding="x-klingon"?><a>'),
    0xff,
  ]);
  throws(() => decodeXmlBytes(bytes), /unsupported encoding "x-klingon"/);
});
