import { ok, strictEqual } from "node:assert/strict";
import { ProgressBar } from "./progress_bar.ts";

Deno.test("ProgressBar.update() escapes control characters in the current object's name", () => {
  const written: string[] = [];
  const bar = new ProgressBar({
    writeSync(bytes) {
      written.push(new TextDecoder().decode(bytes));
      return bytes.length;
    },
  });
  bar.update({
    type: "progress",
    collector: "file",
    objects: 3,
    elapsedMs: 1000,
    current: "/srv/a\x1b[31m\nFORGED\u202e.txt",
  });
  const line = written.join("");
  // Only the bar's own "return, clear line" sequence may be raw.
  strictEqual(line.slice(0, 5), "\r\x1b[2K");
  const rest = line.slice(5);
  // deno-lint-ignore no-control-regex
  ok(!/[\u0000-\u001f\u007f-\u009f\u202e]/u.test(rest), JSON.stringify(rest));
  ok(rest.endsWith("/srv/a\\x1b[31m\\x0aFORGED\\u{202e}.txt"), JSON.stringify(rest));
});
