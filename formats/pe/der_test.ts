import { deepStrictEqual, throws } from "node:assert/strict";
import { childrenOf, contentOf, DerError, readElement, readOid } from "./der.ts";
import { integer, oid, sequence, set, tlv } from "./_testing/der_builder.ts";

Deno.test("readElement() reads short, long and nested definite lengths", () => {
  const long = tlv(0x04, new Uint8Array(300));
  const element = readElement(sequence(integer(Uint8Array.of(5)), long), 0);
  const [first, second] = childrenOf(element);
  deepStrictEqual(contentOf(first!), Uint8Array.of(5));
  deepStrictEqual(second!.contentEnd - second!.contentStart, 300);
  deepStrictEqual(second!.contentStart - second!.start, 4);
});

Deno.test("readElement() follows BER indefinite lengths", () => {
  const inner = Uint8Array.of(0x30, 0x80, 0x02, 0x01, 0x07, 0x00, 0x00);
  const outer = Uint8Array.of(0x30, 0x80, ...inner, 0x05, 0x00, 0x00, 0x00);
  const element = readElement(outer, 0);
  deepStrictEqual(element.end, outer.length);
  const [child, nullValue] = childrenOf(element);
  deepStrictEqual(child!.end, inner.length + 2);
  deepStrictEqual(nullValue!.tagNumber, 5);
  deepStrictEqual(contentOf(childrenOf(child!)[0]!), Uint8Array.of(7));
});

Deno.test("readElement() rejects lengths past the container, huge length fields and runaway nesting", () => {
  throws(() => readElement(Uint8Array.of(0x30, 0x05, 0x02, 0x01), 0), DerError);
  throws(() => readElement(Uint8Array.of(0x04, 0x85, 1, 0, 0, 0, 0), 0), DerError);
  throws(() => readElement(Uint8Array.of(0x04, 0x82, 0x01), 0), DerError);
  throws(() => readElement(Uint8Array.of(0x04, 0x80, 0x00, 0x00), 0), DerError);
  throws(() => readElement(Uint8Array.of(0x30, 0x80, 0x02, 0x01, 0x07), 0), DerError);
  // 100 nested indefinite-length sequences with no end.
  throws(
    () => readElement(new Uint8Array(200).fill(0x30).map((v, i) => i % 2 ? 0x80 : v), 0),
    DerError,
  );
  throws(() => childrenOf(readElement(Uint8Array.of(0x30, 0x03, 0x02, 0x05, 0x00), 0)), DerError);
});

Deno.test("readOid() decodes dotted object identifiers", () => {
  deepStrictEqual(readOid(readElement(oid("1.2.840.113549.1.7.2"), 0)), "1.2.840.113549.1.7.2");
  deepStrictEqual(readOid(readElement(oid("2.5.4.3"), 0)), "2.5.4.3");
  throws(() => readOid(readElement(set(), 0)), DerError);
});
