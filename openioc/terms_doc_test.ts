import { strictEqual } from "node:assert/strict";
import { renderFormattedTermsDoc, termsDocPath } from "./terms_doc.ts";

Deno.test("renderFormattedTermsDoc matches docs/terms.md (regenerate: deno run -P=engine openioc/terms_doc.ts)", async () => {
  const checkedIn = await Deno.readTextFile(new URL(`../${termsDocPath}`, import.meta.url));
  strictEqual(checkedIn, await renderFormattedTermsDoc());
});

Deno.test("renderTermsDoc notes what SignatureVerified and EID mean under their tables", async () => {
  const { renderTermsDoc } = await import("./terms_doc.ts");
  const markdown = renderTermsDoc();
  const start = markdown.indexOf("## FileItem");
  const fileSection = markdown.slice(start, markdown.indexOf("\n## ", start));
  strictEqual(
    fileSection.includes("- `FileItem/PEInfo/DigitalSignature/SignatureVerified`: `true` when"),
    true,
  );
  strictEqual(
    markdown.includes("- `EventLogItem/EID`: the event id, and for classic sources"),
    true,
  );
});

Deno.test("renderTermsDoc marks documents without a collector and terms not produced", async () => {
  const { renderTermsDoc } = await import("./terms_doc.ts");
  const markdown = renderTermsDoc();
  const row = (search: string) =>
    markdown.split("\n").find((line) => line.startsWith(`| \`${search}\` |`)) ?? "";
  strictEqual(row("FileItem/StringList/string").endsWith("| **no: not produced** |"), true);
  strictEqual(row("FileItem/FileAttributes").endsWith("| **no: not produced** |"), true);
  strictEqual(row("PrefetchItem/ApplicationFileName").endsWith("| no: no collector |"), true);
  strictEqual(row("FileItem/Md5sum").endsWith("| yes |"), true);
  strictEqual(
    markdown.includes("## PrefetchItem (collector `prefetch`, not in this build)"),
    true,
  );
});
