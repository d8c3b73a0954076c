import { deepStrictEqual, throws } from "node:assert/strict";
import { readElement } from "./der.ts";
import { formatName } from "./distinguished_name.ts";
import {
  attribute,
  bmpString,
  name,
  printableString,
  sequence,
  tlv,
  utf8String,
} from "./_testing/der_builder.ts";

Deno.test("formatName() shows RDNs most specific first with Windows attribute names", () => {
  const encoded = name(
    [[attribute.C, printableString("US")]],
    [[attribute.S, printableString("Washington")]],
    [[attribute.L, utf8String("Redmond")]],
    [[attribute.O, utf8String("Microsoft Corporation")]],
    [[attribute.CN, utf8String("Microsoft Corporation")]],
  );
  deepStrictEqual(
    formatName(readElement(encoded, 0)),
    "CN=Microsoft Corporation, O=Microsoft Corporation, L=Redmond, S=Washington, C=US",
  );
});

Deno.test("formatName() quotes special values, joins multi-valued RDNs and names unknown types by OID", () => {
  const encoded = name(
    [[attribute.businessCategory, utf8String("Private Organization")]],
    [[attribute.O, utf8String('Contoso, "Ltd"')], [attribute.OU, bmpString("Signing")]],
    [[attribute.E, tlv(0x16, new TextEncoder().encode("sign@contoso.example"))]],
  );
  deepStrictEqual(
    formatName(readElement(encoded, 0)),
    'E=sign@contoso.example, O="Contoso, ""Ltd""" + OU=Signing, OID.2.5.4.15=Private Organization',
  );
});

Deno.test("formatName() rejects a Name that is not a sequence of sets", () => {
  throws(() => formatName(readElement(sequence(sequence()), 0)));
});
