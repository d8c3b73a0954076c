import { strictEqual } from "node:assert/strict";
import { renderFormattedTermsDoc, termsDocPath } from "./terms_doc.ts";

Deno.test("renderFormattedTermsDoc matches docs/terms.md (regenerate: deno run -P=engine openioc/terms_doc.ts)", async () => {
  const checkedIn = await Deno.readTextFile(new URL(`../${termsDocPath}`, import.meta.url));
  strictEqual(checkedIn, await renderFormattedTermsDoc());
});
