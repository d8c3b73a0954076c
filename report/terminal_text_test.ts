import { strictEqual } from "node:assert/strict";
import { escapeTerminalLines, escapeTerminalText } from "./terminal_text.ts";

Deno.test("escapeTerminalText() escapes C0, DEL, C1 and bidi controls and nothing else", () => {
  strictEqual(escapeTerminalText("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
  strictEqual(escapeTerminalText("a\nb\rc\td\x00e\x7f"), "a\\x0ab\\x0dc\\x09d\\x00e\\x7f");
  strictEqual(escapeTerminalText("\u009b31m\u0085"), "\\u{009b}31m\\u{0085}");
  strictEqual(escapeTerminalText("evil\u202etxt.exe"), "evil\\u{202e}txt.exe");
  strictEqual(
    escapeTerminalText("\u061c\u200e\u200f\u2028\u2029\u202a\u2066\u2069"),
    "\\u{061c}\\u{200e}\\u{200f}\\u{2028}\\u{2029}\\u{202a}\\u{2066}\\u{2069}",
  );
  strictEqual(escapeTerminalText("C:\\Windows\\Système32 ✓ 日本"), "C:\\Windows\\Système32 ✓ 日本");
});

Deno.test("escapeTerminalLines() keeps the newlines of composed text", () => {
  strictEqual(escapeTerminalLines("one\x1b[2J\ntwo\r\n"), "one\\x1b[2J\ntwo\\x0d\n");
});
