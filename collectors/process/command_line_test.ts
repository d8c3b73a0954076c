import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { joinCommandLine, splitCmdline } from "./command_line.ts";

Deno.test("joinCommandLine quotes what has spaces or quotes, and empty arguments", () => {
  strictEqual(joinCommandLine(["sleep", "30"]), "sleep 30");
  strictEqual(joinCommandLine(["sh", "-c", "echo 'a b'"]), `sh -c "echo 'a b'"`);
  strictEqual(joinCommandLine(["x", 'say "hi"', "", "a\\b c"]), `x "say \\"hi\\"" "" "a\\\\b c"`);
});

Deno.test("splitCmdline splits on NULs, the last one optional", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  deepStrictEqual(splitCmdline(bytes("sleep\x0030\x00")), ["sleep", "30"]);
  deepStrictEqual(splitCmdline(bytes("nginx: worker process")), ["nginx: worker process"]);
  deepStrictEqual(splitCmdline(bytes("a\x00\x00")), ["a", ""]);
  deepStrictEqual(splitCmdline(new Uint8Array()), []);
});
