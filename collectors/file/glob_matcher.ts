/**
 * Exclude patterns (`--exclude GLOB`) compiled to path predicates.
 *
 * @module
 */

/** How a glob is matched. */
export interface GlobOptions {
  /** Compare without regard to case (Windows file systems). Default `false`. */
  caseInsensitive?: boolean;
}

/** A compiled glob: tells whether a path (or a name) is excluded. */
export interface GlobMatcher {
  /** The pattern as given. */
  readonly pattern: string;
  /**
   * Whether the pattern matches. Patterns without a separator (`*.log`) are
   * tested against `name`, others against `fullPath`; both may use `/` or `\`.
   */
  matches(fullPath: string, name: string): boolean;
}

/**
 * Compiles a glob: `**` matches any run of characters including separators,
 * `*` any run within one path segment, `?` one character within a segment.
 * Every other character, separators included, is literal (`\` and `/` are the
 * same separator). A pattern without any separator matches a name at any
 * depth, as in `.gitignore`; a pattern ending in `/**` also matches the folder
 * itself, so the walker does not even enter it.
 *
 * @example
 * ```ts
 * import { compileGlob } from "./glob_matcher.ts";
 * const nodeModules = compileGlob("**\/node_modules");
 * nodeModules.matches("/srv/app/node_modules", "node_modules"); // true
 * compileGlob("*.LOG", { caseInsensitive: true }).matches("/var/x.log", "x.log"); // true
 * ```
 */
export function compileGlob(pattern: string, options: GlobOptions = {}): GlobMatcher {
  const normalised = pattern.replaceAll("\\", "/");
  const byName = !normalised.includes("/");
  const flags = options.caseInsensitive ? "i" : "";
  const body = globBody(normalised);
  // `dir/**` should exclude `dir` itself too, so that the walk never enters it.
  const regex = normalised.endsWith("/**")
    ? new RegExp(`^(?:${globBody(normalised.slice(0, -3))}|${body})$`, flags)
    : new RegExp(`^${body}$`, flags);
  return {
    pattern,
    matches(fullPath: string, name: string): boolean {
      return regex.test(byName ? name : fullPath.replaceAll("\\", "/"));
    },
  };
}

/** Compiles several globs into one predicate; an empty list matches nothing. */
export function compileGlobs(
  patterns: readonly string[],
  options: GlobOptions = {},
): (fullPath: string, name: string) => GlobMatcher | undefined {
  const matchers = patterns.filter((pattern) => pattern !== "").map((pattern) =>
    compileGlob(pattern, options)
  );
  // Called for every file walked: a plain loop, no closure per call.
  return (fullPath, name) => {
    for (let index = 0; index < matchers.length; index++) {
      if (matchers[index]!.matches(fullPath, name)) return matchers[index];
    }
    return undefined;
  };
}

function globBody(glob: string): string {
  let out = "";
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index]!;
    if (char === "*") {
      if (glob[index + 1] === "*") {
        index++;
        // `**/` may also match nothing at all: `a/**/b` matches `a/b`.
        if (glob[index + 1] === "/") {
          index++;
          out += "(?:.*/)?";
        } else {
          out += ".*";
        }
      } else {
        out += "[^/]*";
      }
    } else if (char === "?") {
      out += "[^/]";
    } else {
      out += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
  }
  return out;
}
