import { deepStrictEqual, ok } from "node:assert/strict";
import { compileGlob, compileGlobs, globProgram, runGlob } from "./glob_matcher.ts";
import { referenceGlobRegExp } from "./_glob_reference.ts";

Deno.test("compileGlob matches names at any depth when the pattern has no separator", () => {
  const glob = compileGlob("*.log");
  ok(glob.matches("/var/log/syslog.log", "syslog.log"));
  ok(!glob.matches("/var/log/syslog.log.1", "syslog.log.1"));
  ok(!glob.matches("/var/x.LOG", "x.LOG"));
});

Deno.test("compileGlob: * stays within a segment, ** crosses segments, ? is one character", () => {
  ok(compileGlob("/srv/*/cache").matches("/srv/app/cache", "cache"));
  ok(!compileGlob("/srv/*/cache").matches("/srv/a/b/cache", "cache"));
  ok(compileGlob("/srv/**/cache").matches("/srv/a/b/cache", "cache"));
  ok(compileGlob("/srv/**/cache").matches("/srv/cache", "cache"));
  ok(compileGlob("**/node_modules").matches("/home/u/p/node_modules", "node_modules"));
  ok(compileGlob("/tmp/file?.bin").matches("/tmp/file1.bin", "file1.bin"));
  ok(!compileGlob("/tmp/file?.bin").matches("/tmp/file12.bin", "file12.bin"));
  ok(!compileGlob("/tmp/a?b").matches("/tmp/a/b", "b"));
});

Deno.test("compileGlob: dir/** also matches the folder itself, so it is never entered", () => {
  const glob = compileGlob("/data/big/**");
  ok(glob.matches("/data/big", "big"));
  ok(glob.matches("/data/big/x/y.iso", "y.iso"));
  ok(!glob.matches("/data/bigger", "bigger"));
});

Deno.test("compileGlob treats regex characters literally and ignores case on Windows", () => {
  ok(compileGlob("/a/(x)+[1].txt").matches("/a/(x)+[1].txt", "(x)+[1].txt"));
  ok(!compileGlob("/a/x.txt").matches("/a/xxtxt", "xxtxt"));
  const windows = compileGlob("C:\\Users\\*\\AppData\\**\\*.TMP", { caseInsensitive: true });
  ok(windows.matches("c:\\users\\bob\\appdata\\local\\temp\\a.tmp", "a.tmp"));
});

Deno.test("compileGlobs returns the first matching pattern and ignores empty ones", () => {
  const exclude = compileGlobs(["", "*.iso", "**/cache/**"]);
  deepStrictEqual(exclude("/x/disk.iso", "disk.iso")?.pattern, "*.iso");
  deepStrictEqual(exclude("/x/cache/a", "a")?.pattern, "**/cache/**");
  deepStrictEqual(exclude("/x/y", "y"), undefined);
});

Deno.test("compileGlob agrees with the former RegExp form on 20,000 random globs and paths", () => {
  let seed = 12345;
  const random = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const patternAlphabet = ["a", "B", "/", "*", "**", "**/", "?", ".", "é"];
  const textAlphabet = ["a", "b", "A", "/", ".", "É", "é"];
  for (let trial = 0; trial < 20_000; trial++) {
    let pattern = "";
    for (let i = random(7); i > 0; i--) pattern += patternAlphabet[random(patternAlphabet.length)];
    let text = "";
    for (let i = random(9); i > 0; i--) text += textAlphabet[random(textAlphabet.length)];
    const caseInsensitive = random(2) === 1;
    const expected = referenceGlobRegExp(pattern, caseInsensitive).test(text);
    // Full-path form: the pattern has a separator or the text is given as the path.
    const glob = compileGlob(pattern, { caseInsensitive });
    const actual = pattern.includes("/") ? glob.matches(text, "") : glob.matches("", text);
    deepStrictEqual(actual, expected, `${JSON.stringify(pattern)} on ${JSON.stringify(text)}`);
  }
});

Deno.test("runGlob answers a backtracking-hostile glob on a 600-level path within its step bound", () => {
  const pattern = "**/a/**/a/**/a/**/x";
  const path = "/a".repeat(600) + "/y";
  const program = globProgram(pattern);
  const run = runGlob(program, path);
  deepStrictEqual(run.matched, false);
  const bound = (program.ops.length + 1) * (path.length + 1) * 2;
  ok(run.steps <= bound, `${run.steps} steps, bound ${bound}`);
  deepStrictEqual(runGlob(program, "/a".repeat(600) + "/x").matched, true);
  deepStrictEqual(compileGlob(pattern).matches(path, "y"), false);
  deepStrictEqual(compileGlob(pattern).matches(path + "x", "yx"), false);
});
