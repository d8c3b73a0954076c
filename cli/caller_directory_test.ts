import { strictEqual } from "node:assert/strict";
import { dirname } from "node:path";
import { callerDirectory } from "./caller_directory.ts";

const checkout = dirname(dirname(new URL(import.meta.url).pathname));

Deno.test("callerDirectory() goes back to INIT_CWD only when deno task started the CLI in its checkout", () => {
  strictEqual(callerDirectory(checkout, "/home/analyst/case-42"), "/home/analyst/case-42");
  strictEqual(callerDirectory(checkout, undefined), undefined);
  strictEqual(callerDirectory(checkout, ""), undefined);
  strictEqual(callerDirectory(checkout, "relative/dir"), undefined);
  strictEqual(callerDirectory(checkout, checkout), undefined);
  // An installed iocscan already runs where it was typed: a stray INIT_CWD changes nothing.
  strictEqual(callerDirectory("/home/analyst", "/somewhere/else"), undefined);
});
