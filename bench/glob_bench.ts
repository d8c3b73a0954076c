/**
 * Exclude globs on hostile input: `**\/a/**\/a/**\/a/**\/x` against paths of
 * many `a` levels that do not match. The reference is the former compilation
 * to a JS RegExp (backtracking, polynomial in the depth: over 120 s at 600
 * levels), timed at small depths only; iocscan's linear simulation runs at
 * every depth. Also the common case (`*.log`, `**\/node_modules/**`) on
 * ordinary paths, per million matches, against the RegExp form.
 *
 * `deno run -P=test bench/glob_bench.ts`
 */
import { referenceGlobRegExp } from "../collectors/file/_glob_reference.ts";
import { compileGlob } from "../collectors/file/glob_matcher.ts";
import { bestOf, ratio } from "./timing.ts";

const hostile = "**/a/**/a/**/a/**/x";
const glob = compileGlob(hostile);
const regex = referenceGlobRegExp(hostile);
console.log(`hostile glob ${hostile}, paths /a/a/…/a/yx (no match)`);
console.log("depth | iocscan ms | RegExp ms");
for (const depth of [25, 50, 100, 600, 5000]) {
  const path = "/a".repeat(depth) + "/yx";
  const ours = bestOf(depth > 1000 ? 3 : 20, () => glob.matches(path, "yx"));
  const reference = depth <= 100 ? bestOf(1, () => regex.test(path)).toFixed(1) : "(not run)";
  console.log(`${depth} | ${ours.toFixed(3)} | ${reference}`);
}

const common = [compileGlob("*.log"), compileGlob("**/node_modules/**")];
const commonRegex = [/^[^/]*\.log$/, /^(?:(?:.*\/)?node_modules|(?:.*\/)?node_modules\/.*)$/];
const paths = Array.from(
  { length: 1000 },
  (_, i) => `/home/user/project${i % 7}/src/deep/folder/file${i}.${i % 3 ? "ts" : "log"}`,
);
const names = paths.map((p) => p.slice(p.lastIndexOf("/") + 1));
const rounds = 200;
const ours = bestOf(rounds, () => {
  for (let i = 0; i < paths.length; i++) {
    common[0]!.matches(paths[i]!, names[i]!);
    common[1]!.matches(paths[i]!, names[i]!);
  }
});
const reference = bestOf(rounds, () => {
  for (let i = 0; i < paths.length; i++) {
    commonRegex[0]!.test(names[i]!);
    commonRegex[1]!.test(paths[i]!);
  }
});
const perMillion = (ms: number) => (ms / (paths.length * 2) * 1e6).toFixed(0);
console.log(
  `common globs: iocscan ${perMillion(ours)} ms per million matches, RegExp ${
    perMillion(reference)
  } (ratio ${ratio(ours, reference, 1)})`,
);
