/**
 * The former compilation of exclude globs to a JS RegExp, kept as the
 * reference for their semantics: `glob_matcher_test.ts` checks the linear
 * matcher against it, and `bench/glob_bench.ts` times it (it backtracks:
 * polynomial in the depth of a hostile path). Test and bench helper only.
 *
 * @example
 * ```ts
 * import { referenceGlobRegExp } from "./_glob_reference.ts";
 * referenceGlobRegExp("**\/node_modules/**").test("a/node_modules/b"); // true
 * ```
 *
 * @module
 */

/** The RegExp the glob compiled to before matching was made linear. */
export function referenceGlobRegExp(pattern: string, caseInsensitive = false): RegExp {
  const body = (glob: string) => {
    let out = "";
    for (let index = 0; index < glob.length; index++) {
      const char = glob[index]!;
      if (char === "*") {
        if (glob[index + 1] === "*") {
          index++;
          if (glob[index + 1] === "/") {
            index++;
            out += "(?:.*/)?";
          } else out += ".*";
        } else out += "[^/]*";
      } else if (char === "?") out += "[^/]";
      else out += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
    return out;
  };
  const flags = caseInsensitive ? "i" : "";
  return pattern.endsWith("/**")
    ? new RegExp(`^(?:${body(pattern.slice(0, -3))}|${body(pattern)})$`, flags)
    : new RegExp(`^${body(pattern)}$`, flags);
}
