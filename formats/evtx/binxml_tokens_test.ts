import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { BinXmlToken, tokenType } from "./binxml_tokens.ts";

Deno.test("BinXmlToken holds the token codes of the published EVTX format", () => {
  // libevtx's "Windows XML Event Log (EVTX) format", section "Binary XML tokens".
  deepStrictEqual(
    { ...BinXmlToken },
    {
      EndOfFragment: 0x00,
      OpenStartElement: 0x01,
      CloseStartElement: 0x02,
      CloseEmptyElement: 0x03,
      EndElement: 0x04,
      Value: 0x05,
      Attribute: 0x06,
      CDataSection: 0x07,
      CharacterReference: 0x08,
      EntityReference: 0x09,
      ProcessingInstructionTarget: 0x0a,
      ProcessingInstructionData: 0x0b,
      TemplateInstance: 0x0c,
      NormalSubstitution: 0x0d,
      OptionalSubstitution: 0x0e,
      FragmentHeader: 0x0f,
    },
  );
});

Deno.test("tokenType drops the 0x40 'more data' flag", () => {
  strictEqual(tokenType(0x41), BinXmlToken.OpenStartElement);
  strictEqual(tokenType(0x46), BinXmlToken.Attribute);
  strictEqual(tokenType(0x45), BinXmlToken.Value);
  strictEqual(tokenType(0x0c), BinXmlToken.TemplateInstance);
});

Deno.test("the BinXML parser and plan compiler name their tokens and node kinds", async () => {
  // Bare numbers for tokens (`case 0x0c:`) and node kinds (`k: 4`) are what
  // the named constants replaced; this keeps them out.
  const bare = /\bcase 0x[0-9a-f]+:|\bk: \d|\.k [!=]==? \d|\[[a-z+ \d]+\] === 0x[0-9a-f]+/;
  for (const file of ["binxml.ts", "template_plan.ts", "record.ts"]) {
    const source = await Deno.readTextFile(new URL(file, import.meta.url));
    const lines = source.split("\n").filter((line) => bare.test(line));
    deepStrictEqual(lines, [], file);
  }
});
