import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { compileGlob, compileGlobs } from "./glob_matcher.ts";

Deno.test("compileGlob matches names at any depth when the pattern has no separator", () => {
  const glob = compileGlob("*.log");
  assert(glob.matches("/var/log/syslog.log", "syslog.log"));
  assert(!glob.matches("/var/log/syslog.log.1", "syslog.log.1"));
  assert(!glob.matches("/var/x.LOG", "x.LOG"));
});

Deno.test("compileGlob: * stays within a segment, ** crosses segments, ? is one character", () => {
  assert(compileGlob("/srv/*/cache").matches("/srv/app/cache", "cache"));
  assert(!compileGlob("/srv/*/cache").matches("/srv/a/b/cache", "cache"));
  assert(compileGlob("/srv/**/cache").matches("/srv/a/b/cache", "cache"));
  assert(compileGlob("/srv/**/cache").matches("/srv/cache", "cache"));
  assert(compileGlob("**/node_modules").matches("/home/u/p/node_modules", "node_modules"));
  assert(compileGlob("/tmp/file?.bin").matches("/tmp/file1.bin", "file1.bin"));
  assert(!compileGlob("/tmp/file?.bin").matches("/tmp/file12.bin", "file12.bin"));
  assert(!compileGlob("/tmp/a?b").matches("/tmp/a/b", "b"));
});

Deno.test("compileGlob: dir/** also matches the folder itself, so it is never entered", () => {
  const glob = compileGlob("/data/big/**");
  assert(glob.matches("/data/big", "big"));
  assert(glob.matches("/data/big/x/y.iso", "y.iso"));
  assert(!glob.matches("/data/bigger", "bigger"));
});

Deno.test("compileGlob treats regex characters literally and ignores case on Windows", () => {
  assert(compileGlob("/a/(x)+[1].txt").matches("/a/(x)+[1].txt", "(x)+[1].txt"));
  assert(!compileGlob("/a/x.txt").matches("/a/xxtxt", "xxtxt"));
  const windows = compileGlob("C:\\Users\\*\\AppData\\**\\*.TMP", { caseInsensitive: true });
  assert(windows.matches("c:\\users\\bob\\appdata\\local\\temp\\a.tmp", "a.tmp"));
});

Deno.test("compileGlobs returns the first matching pattern and ignores empty ones", () => {
  const exclude = compileGlobs(["", "*.iso", "**/cache/**"]);
  assertEquals(exclude("/x/disk.iso", "disk.iso")?.pattern, "*.iso");
  assertEquals(exclude("/x/cache/a", "a")?.pattern, "**/cache/**");
  assertEquals(exclude("/x/y", "y"), undefined);
});
