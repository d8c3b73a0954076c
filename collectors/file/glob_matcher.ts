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
  const fold = options.caseInsensitive === true;
  const programs = [globProgram(normalised, fold)];
  // `dir/**` should exclude `dir` itself too, so that the walk never enters it.
  if (normalised.endsWith("/**")) programs.unshift(globProgram(normalised.slice(0, -3), fold));
  // Most globs end in literal text (`*.log`, `**\/node_modules`): a text that does not end
  // with it cannot match, which a string comparison tells at once.
  const suffixes = programs.map((program) => fold ? "" : literalSuffix(program));
  return {
    pattern,
    matches(fullPath: string, name: string): boolean {
      const text = byName ? name : fullPath.replaceAll("\\", "/");
      for (let index = 0; index < programs.length; index++) {
        if (!text.endsWith(suffixes[index]!)) continue;
        if (runGlob(programs[index]!, text, fold).matched) return true;
      }
      return false;
    },
  };
}

/** One step of a compiled glob. */
const enum Op {
  /** One given character (`code`). */
  Char,
  /** `?`: one character other than `/`. */
  One,
  /** `*`: any run of characters other than `/`. */
  Star,
  /** `**` not followed by `/`: any run of characters. */
  Any,
  /** `**\/`, first step: goes on (no character) to the `DirsBody` step or past it (nothing). */
  Dirs,
  /** `**\/`, second step: any run of characters, left only through a `/`. */
  DirsBody,
}

/** A glob compiled to steps; matching simulates every position at once. */
export interface GlobProgram {
  /** The steps, one per glob token. */
  readonly ops: Uint8Array;
  /** For `Char` steps, the character code (folded when matching ignores case). */
  readonly codes: Uint16Array;
}

/** The outcome of {@linkcode runGlob}, with the work it took. */
export interface GlobRun {
  matched: boolean;
  /** Program positions visited over the whole text: at most (steps + 1) × (length + 1) × 2. */
  steps: number;
}

const SLASH = 0x2f;

/** Folds one UTF-16 code unit as a case-insensitive RegExp would (upper case, one unit only). */
function foldCode(code: number): number {
  if (code < 0x80) return code >= 0x61 && code <= 0x7a ? code - 0x20 : code;
  const upper = String.fromCharCode(code).toUpperCase();
  // As in RegExp's Canonicalize: no folding to a single unit, nor from non-ASCII to ASCII.
  if (upper.length !== 1 || upper.charCodeAt(0) < 0x80) return code;
  return upper.charCodeAt(0);
}

/** Compiles a glob (separators already `/`) to a {@linkcode GlobProgram}. */
export function globProgram(glob: string, caseInsensitive = false): GlobProgram {
  const ops: number[] = [];
  const codes: number[] = [];
  for (let index = 0; index < glob.length; index++) {
    const char = glob.charCodeAt(index);
    let op: Op = Op.Char;
    if (char === 0x2a /* * */) {
      if (glob.charCodeAt(index + 1) === 0x2a) {
        index++;
        // `**/` may also match nothing at all: `a/**/b` matches `a/b`.
        if (glob.charCodeAt(index + 1) === SLASH) {
          index++;
          ops.push(Op.Dirs);
          codes.push(0);
          op = Op.DirsBody;
        } else op = Op.Any;
      } else op = Op.Star;
    } else if (char === 0x3f /* ? */) op = Op.One;
    ops.push(op);
    codes.push(op === Op.Char ? (caseInsensitive ? foldCode(char) : char) : 0);
  }
  return { ops: Uint8Array.from(ops), codes: Uint16Array.from(codes) };
}

/** The literal characters a program ends with (after its last wildcard). */
function literalSuffix(program: GlobProgram): string {
  let start = program.ops.length;
  while (start > 0 && program.ops[start - 1] === Op.Char) start--;
  return String.fromCharCode(...program.codes.subarray(start));
}

/** Working lists shared by every run (runs are synchronous, so never interleaved). */
let scratch = { a: new Int32Array(64), b: new Int32Array(64), mark: new Int32Array(64) };

/**
 * Runs a compiled glob over `text` in time linear in the text: the set of
 * program positions reachable so far is advanced one character at a time (a
 * Thompson simulation), so no pattern can make it backtrack. At most
 * (steps + 1) positions are live per character.
 *
 * @example
 * ```ts
 * import { globProgram, runGlob } from "./glob_matcher.ts";
 * runGlob(globProgram("r/**" + "/x"), "r/a/b/x").matched; // true
 * ```
 */
export function runGlob(program: GlobProgram, text: string, caseInsensitive = false): GlobRun {
  const { ops, codes } = program;
  const end = ops.length;
  // Two lists of live positions with a generation mark each, so that a position is added once.
  if (scratch.mark.length < end + 1) {
    const length = Math.max(end + 1, scratch.mark.length * 2);
    scratch = {
      a: new Int32Array(length),
      b: new Int32Array(length),
      mark: new Int32Array(length),
    };
  }
  let current = scratch.a;
  let next = scratch.b;
  const mark = scratch.mark;
  mark.fill(-1, 0, end + 1);
  let currentCount = 0;
  let nextCount = 0;
  let generation = 0;
  let steps = 0;
  // Adds a position and those reachable from it without a character (skipping stars).
  const add = (list: Int32Array, count: number, position: number): number => {
    while (mark[position] !== generation) {
      mark[position] = generation;
      list[count++] = position;
      steps++;
      if (position === end) break;
      const op = ops[position]!;
      if (op === Op.Dirs) {
        // Into the body of `**\/`, or past it: `a/**\/b` matches `a/b`.
        if (mark[position + 1] !== generation) {
          mark[position + 1] = generation;
          list[count++] = position + 1;
          steps++;
        }
        position += 2;
        continue;
      }
      if (op !== Op.Star && op !== Op.Any) break;
      position++;
    }
    return count;
  };
  currentCount = add(current, 0, 0);
  for (let at = 0; at < text.length && currentCount > 0; at++) {
    const raw = text.charCodeAt(at);
    const code = caseInsensitive ? foldCode(raw) : raw;
    generation++;
    nextCount = 0;
    for (let index = 0; index < currentCount; index++) {
      const position = current[index]!;
      steps++;
      if (position === end) continue;
      switch (ops[position]!) {
        case Op.Char:
          if (codes[position] === code) nextCount = add(next, nextCount, position + 1);
          break;
        case Op.One:
          if (raw !== SLASH) nextCount = add(next, nextCount, position + 1);
          break;
        case Op.Star:
          if (raw !== SLASH) nextCount = add(next, nextCount, position);
          break;
        case Op.Any:
          nextCount = add(next, nextCount, position);
          break;
        case Op.DirsBody:
          nextCount = add(next, nextCount, position);
          if (raw === SLASH) nextCount = add(next, nextCount, position + 1);
          break;
      }
    }
    [current, next] = [next, current];
    currentCount = nextCount;
  }
  let matched = false;
  for (let index = 0; index < currentCount; index++) if (current[index] === end) matched = true;
  return { matched, steps };
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
