import { deepStrictEqual, ok } from "node:assert/strict";
import { escapeNameBytes, isValidUtf8, readRawNames } from "./raw_names.ts";

Deno.test("escapeNameBytes keeps valid UTF-8 and escapes every other byte and the backslash", () => {
  const bytes = new Uint8Array([
    0x61,
    0xff,
    0xfe,
    0xe6,
    0x96,
    0x87,
    0x5c,
    0xc3,
    0x28,
    0xed,
    0xa0,
    0x80,
  ]);
  // "a", two bad bytes, 文, a backslash, a truncated 2-byte lead, an encoded surrogate.
  deepStrictEqual(escapeNameBytes(bytes), "a\\xff\\xfe文\\x5c\\xc3(\\xed\\xa0\\x80");
  deepStrictEqual(escapeNameBytes(new TextEncoder().encode("plain 名前.txt")), "plain 名前.txt");
});

Deno.test("isValidUtf8 rejects overlong forms, surrogates and truncated sequences", () => {
  ok(isValidUtf8(new TextEncoder().encode("ok ✓ 𝄞")));
  ok(!isValidUtf8(new Uint8Array([0xc0, 0xaf])));
  ok(!isValidUtf8(new Uint8Array([0xed, 0xb0, 0x80])));
  ok(!isValidUtf8(new Uint8Array([0xf0, 0x9d])));
  ok(!isValidUtf8(new Uint8Array([0xf5, 0x80, 0x80, 0x80])));
});

Deno.test({
  name: "readRawNames returns the real bytes of names that Deno decodes lossily",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const folder = await Deno.makeTempDir({ prefix: "raw_names_" });
    try {
      const made = await new Deno.Command("python3", {
        args: [
          "-c",
          "import sys; open(sys.argv[1].encode() + b'/bad\\xff.txt', 'wb').close()",
          folder,
        ],
      }).output();
      ok(made.success, new TextDecoder().decode(made.stderr));
      await Deno.writeTextFile(`${folder}/good.txt`, "");
      const names = readRawNames(folder)?.map(escapeNameBytes).sort();
      deepStrictEqual(names, ["bad\\xff.txt", "good.txt"]);
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  },
});
