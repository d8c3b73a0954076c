/**
 * Compiling one IndicatorItem into a test on observed values.
 *
 * The term is resolved through the catalogue, which also gives the value type
 * (never `Content/@type`). An item ends up in one of three forms:
 *
 * - an **index probe**: `is`, `contains`, `starts-with`, `ends-with` whose
 *   matches can be found through a hash map, the Aho–Corasick automaton or an
 *   affix trie shared by every item on the same field (see field_index.ts);
 * - a **direct test**: a predicate run on each observed value (`matches`,
 *   `greater-than`, `less-than`, ranges, dates, durations);
 * - **not evaluated**: unsupported term, a term no collector of this build
 *   produces (`no-collector`, `not-produced`: the catalogue's coverage), empty
 *   Content, or a value that cannot be read for the term's type. Such an item
 *   never holds, whatever its negate flag: the matcher treats it as unknown
 *   (document_plan.ts), so it can neither make a detection nor rule one out.
 *   Each item gets exactly one reason, the first of that list that applies.
 *
 * @module
 */
import { RE2JS } from "re2js";
import type { IndicatorItem, OpenIocVersion } from "../openioc/model.ts";
import {
  resolveTerm,
  type TermDefinition,
  type TextForm,
  type ValueType,
} from "../openioc/term_catalogue.ts";
import { applyTextForm, observedAlternative, regexTextForm } from "./text_form.ts";
import { type FieldPath, fieldPath } from "./field_lookup.ts";
import {
  canonicalIp,
  dateTextSpan,
  ipInNetwork,
  normaliseBool,
  normaliseHash,
  observedDate,
  observedDuration,
  observedInteger,
  parseCidr,
  parseDateText,
  parseDurationText,
  parseIntegerText,
  parseRangeText,
  type ScalarValue,
  textOf,
} from "./value_types.ts";

/**
 * Why an item is not evaluated (the `reason` of a `not-evaluated` event), in
 * the order they are checked: an item gets the first that applies.
 */
export type NotEvaluatedReason =
  | "unsupported-term"
  | "no-collector"
  | "not-produced"
  | "empty-content"
  | "invalid-value";

/**
 * The key space of an exact-match index: `text-ci` (lower-cased text),
 * `text-cs` (text as written) or `typed` (the normal form of the term's type:
 * lower-case hex, canonical IP, decimal integer, `true`/`false`).
 */
export type ExactSpace = "text-ci" | "text-cs" | "typed";

/** How an indexed item finds its matches. */
export type IndexProbe =
  | { kind: "exact"; space: ExactSpace; key: string }
  | {
    kind: "contains" | "prefix" | "suffix";
    /** The lower-cased pattern searched for. */
    pattern: string;
    /** For case-sensitive items: the pattern as written, verified on the unlowered text. */
    exact?: string;
  };

/**
 * The work limits of one `matches` item, and how often they cut a value.
 * RE2 runs in time linear in the text but proportional to the program size
 * too, so the text a pattern is run over is capped at
 * `REGEX_WORK_BUDGET / programSize` characters (at most `MAX_REGEX_TEXT`).
 */
export interface RegexBudget {
  /** The compiled program's size (RE2's instruction count). */
  readonly programSize: number;
  /**
   * The characters (UTF-16 code units) of a value the pattern is run over. A
   * longer value whose first `textLimit` characters hold no match is not
   * known to miss: the test answers `undefined` (unknown) for it, and the
   * session turns such values into a `match-value-cut` warning and an
   * undecided IOC.
   */
  readonly textLimit: number;
}

/** The compiled form of one IndicatorItem. */
export type ItemTest =
  | { kind: "index"; probe: IndexProbe }
  | {
    kind: "direct";
    /** Whether the value matches; `undefined` when it could not be told (a `matches` value cut short). */
    test: (value: ScalarValue) => boolean | undefined;
    regexBudget?: RegexBudget;
  }
  | { kind: "not-evaluated"; reason: NotEvaluatedReason; detail?: string };

/**
 * The largest regex program compiled (RE2 instructions, `programSize()`). The
 * `matches` patterns of the OpenIOC corpus reach 212; a 425-byte pattern of
 * bounded repeats reaches tens of thousands and took 13.5 s on one 10 KB value.
 */
export const MAX_REGEX_PROGRAM_SIZE = 2000;
/** The longest `matches` pattern compiled, in characters (checked before compiling). */
export const MAX_REGEX_PATTERN_LENGTH = 8192;
/** The work allowed per value: program size × characters run over (about 0.5 s at worst). */
export const REGEX_WORK_BUDGET = 1 << 24;
/** The most characters of one value a pattern is run over, however small the program. */
export const MAX_REGEX_TEXT = 1 << 20;

/**
 * Where the objects an item is evaluated on come from. `collectors` (a scan):
 * this build's collectors, so a term whose catalogue coverage is not
 * `produced` is not evaluated (`no-collector`, `not-produced`). `given` (`iocscan
 * match`, tests): the caller supplies the objects, so every catalogued term
 * is evaluated.
 */
export type ObjectSource = "collectors" | "given";

/** One compiled item with what the plan needs to place it. */
export interface CompiledItem {
  item: IndicatorItem;
  /** The catalogue entry; undefined when the term is unsupported. */
  term: TermDefinition | undefined;
  test: ItemTest;
  /** The field path inside the observed object. */
  path: FieldPath;
  /** A key naming the document's field: lower-cased `document/path`. */
  fieldKey: string;
}

/**
 * The text that string conditions (`is`, `contains`, `starts-with`,
 * `ends-with`) test, for an observed value of a term of type `valueType`:
 * strings as observed, folded to the term's text form (a file extension
 * without its dot, a registry path in one spelling); integers in decimal;
 * other typed values trimmed.
 */
export function conditionText(value: ScalarValue, valueType: ValueType, form: TextForm): string {
  const text = textOf(value);
  if (valueType === "string") return applyTextForm(text, form);
  // Integers are tested as decimal text, so "0x64" and " 0100" read as 100 and 100.
  if (valueType === "integer") return observedInteger(value)?.toString() ?? text.trim();
  return text.trim();
}

/** The `typed` exact key of an observed value, or undefined when it does not read as the type. */
export function typedKey(value: ScalarValue, valueType: ValueType): string | undefined {
  switch (valueType) {
    case "md5":
    case "sha1":
    case "sha256":
      return normaliseHash(textOf(value));
    case "ip":
      return canonicalIp(textOf(value));
    case "integer":
      return observedInteger(value)?.toString();
    case "bool":
      return normaliseBool(value);
    default:
      return undefined;
  }
}

/**
 * Compiles one item of a document of `version`. Invalid values and regexes
 * come back as not-evaluated with a `detail` for the warning.
 *
 * @example
 * ```ts
 * import { compileItem } from "./item_condition.ts";
 * const compiled = compileItem({
 *   kind: "item", id: "i1", condition: "is", negate: false, preserveCase: false,
 *   context: { document: "FileItem", search: "FileItem/Md5sum", type: "mir" },
 *   content: { type: "md5", value: " ABC123 " }, parameters: [],
 * });
 * // compiled.test: { kind: "index", probe: { kind: "exact", space: "typed", key: "abc123" } }
 * ```
 */
export function compileItem(
  item: IndicatorItem,
  version?: OpenIocVersion,
  source: ObjectSource = "collectors",
): CompiledItem {
  const term = resolveTerm(item.context.search);
  const path = fieldPath(term?.path ?? []);
  const fieldKey = term ? `${term.document}/${term.path.join("/")}`.toLowerCase() : "";
  // OpenIOC 1.0 has no case control: its items are always case-insensitive, even when a
  // stray 1.1 preserve-case attribute sits in a 1.0 file.
  const preserveCase = item.preserveCase && version !== "1.0";
  return {
    item,
    term,
    path,
    fieldKey,
    test: term === undefined
      ? notEvaluated("unsupported-term")
      : source === "collectors" && term.coverage !== "produced"
      // A term the scan cannot read is not a missing field: reading it as one would make a
      // negated item hold on every object.
      ? notEvaluated(term.coverage)
      : compileTest(item, term, preserveCase),
  };
}

function notEvaluated(reason: NotEvaluatedReason, detail?: string): ItemTest {
  return detail === undefined ? { kind: "not-evaluated", reason } : {
    kind: "not-evaluated",
    reason,
    detail,
  };
}

function compileTest(item: IndicatorItem, term: TermDefinition, preserveCase: boolean): ItemTest {
  const raw = item.content.value;
  if (raw.trim() === "") return notEvaluated("empty-content");
  const type = term.valueType;
  const form = term.textForm;
  const caseSensitive = type === "string" && preserveCase;
  // Strings are compared as written (folded to the term's text form); typed values are trimmed.
  const content = type === "string" ? applyTextForm(raw, form) : raw.trim();
  const lowered = content.toLowerCase();
  const affix = (kind: "contains" | "prefix" | "suffix"): ItemTest =>
    // A pattern that folds to nothing (a FileExtension of just ".") would hold on every value
    // as a prefix and on none as a substring: it is empty content, like an empty Content.
    content === "" ? notEvaluated("empty-content") : {
      kind: "index",
      probe: caseSensitive
        ? { kind, pattern: lowered, exact: content }
        : { kind, pattern: lowered },
    };

  switch (item.condition) {
    case "matches":
      // The regex is used as written; typed values are tested trimmed.
      return compileRegex(
        type === "string" ? raw : raw.trim(),
        caseSensitive,
        (value) => type === "string" ? regexTextForm(textOf(value), form) : textOf(value).trim(),
        type === "string" && form === "registry-key-path"
          ? (value) => observedAlternative(textOf(value), form)
          : undefined,
      );
    case "contains":
      // 1.0 files use `contains` on IPs as a prefix test (`remoteIP contains "103.41.124."`).
      return affix(type === "ip" ? "prefix" : "contains");
    case "starts-with":
      return affix("prefix");
    case "ends-with":
      return affix("suffix");
    case "is":
      return compileIs(content, type, caseSensitive);
    case "greater-than":
    case "less-than":
      return compileOrdering(item.condition, content, type);
  }
}

function compileRegex(
  pattern: string,
  caseSensitive: boolean,
  text: (value: ScalarValue) => string,
  alternative?: (value: ScalarValue) => string | undefined,
): ItemTest {
  if (pattern.length > MAX_REGEX_PATTERN_LENGTH) {
    return notEvaluated(
      "invalid-value",
      `regular expression of ${pattern.length} characters: over the limit of ${MAX_REGEX_PATTERN_LENGTH} (docs/matching.md)`,
    );
  }
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(pattern, caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    return notEvaluated(
      "invalid-value",
      `invalid regular expression: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const programSize = regex.programSize();
  if (programSize > MAX_REGEX_PROGRAM_SIZE) {
    return notEvaluated(
      "invalid-value",
      `regular expression too costly: its program has ${programSize} instructions, over the limit of ${MAX_REGEX_PROGRAM_SIZE} (docs/matching.md)`,
    );
  }
  // Whether a match may depend on where the text ends (conservative: an escaped $ counts).
  const endSensitive = /\$|\\[zbB]/.test(pattern);
  const budget: RegexBudget = {
    programSize,
    textLimit: Math.min(MAX_REGEX_TEXT, Math.floor(REGEX_WORK_BUDGET / Math.max(1, programSize))),
  };
  // XPath matches() finds the pattern anywhere in the text; anchors are explicit.
  const found = (whole: string): boolean | undefined => {
    if (whole.length <= budget.textLimit) return regex.matcher(whole).find();
    // Too long to run over whole: the first textLimit characters (not splitting a surrogate
    // pair). A match there is a match of the whole value, unless the pattern can look at the
    // end of the text ($, \z, \b, \B) and the match reaches the cut; anything else is
    // unknown: a match further on was not looked for.
    let cut = budget.textLimit;
    const last = whole.charCodeAt(cut - 1);
    if (last >= 0xd800 && last <= 0xdbff) cut--;
    const matcher = regex.matcher(whole.slice(0, cut));
    if (matcher.find() && (!endSensitive || matcher.end() < cut)) return true;
    return undefined;
  };
  // A second spelling of the value (a key path relative to its hive) may match instead.
  const test = alternative === undefined ? (value: ScalarValue) => found(text(value)) : (
    value: ScalarValue,
  ) => {
    const first = found(text(value));
    if (first === true) return true;
    const other = alternative(value);
    const second = other === undefined ? false : found(other);
    // Kleene OR of the two spellings.
    return second === true ? true : first === undefined || second === undefined ? undefined : false;
  };
  return { kind: "direct", test, regexBudget: budget };
}

function compileIs(content: string, type: ValueType, caseSensitive: boolean): ItemTest {
  const exact = (space: ExactSpace, key: string): ItemTest => ({
    kind: "index",
    probe: { kind: "exact", space, key },
  });
  const range = parseRangeText(content);
  switch (type) {
    case "string":
      return caseSensitive ? exact("text-cs", content) : exact("text-ci", content.toLowerCase());
    case "md5":
    case "sha1":
    case "sha256": {
      const key = normaliseHash(content);
      return key === undefined
        ? notEvaluated("invalid-value", `not a hex hash: "${content}"`)
        : exact("typed", key);
    }
    case "ip": {
      if (content.includes("/")) {
        const network = parseCidr(content);
        return network === undefined
          ? notEvaluated("invalid-value", `not an IP network: "${content}"`)
          : direct((value) => textOf(value), (text) => ipInNetwork(network, text));
      }
      const key = canonicalIp(content);
      return key === undefined
        ? notEvaluated("invalid-value", `not an IP address: "${content}"`)
        : exact("typed", key);
    }
    case "bool": {
      const key = normaliseBool(content);
      return key === undefined
        ? notEvaluated("invalid-value", `not a boolean: "${content}"`)
        : exact("typed", key);
    }
    case "integer": {
      if (range) {
        const low = parseIntegerText(range.low), high = parseIntegerText(range.high);
        if (low === undefined || high === undefined) {
          return notEvaluated("invalid-value", `not an integer range: "${content}"`);
        }
        // A range written high TO low means the same values: the author's intent is plain, and
        // reading it as an empty range would make the item silently never match.
        const [min, max] = low <= high ? [low, high] : [high, low];
        return direct(observedInteger, (v) => v >= min && v <= max);
      }
      const key = parseIntegerText(content);
      return key === undefined
        ? notEvaluated("invalid-value", `not an integer: "${content}"`)
        : exact("typed", key.toString());
    }
    case "date":
    case "duration": {
      const [parse, observe] = type === "date"
        ? [parseDateText, observedDate]
        : [parseDurationText, observedDuration];
      const noun = type === "date" ? "an ISO 8601 date" : "a duration";
      // A date holds over the span its text is written to (a day, a second…); durations are exact.
      const span = (text: string) => type === "date" ? dateTextSpan(text) : 1;
      if (range) {
        const low = parse(range.low), high = parse(range.high);
        if (low === undefined || high === undefined) {
          return notEvaluated("invalid-value", `not ${noun} range: "${content}"`);
        }
        const [min, top] = low <= high ? [low, range.high] : [high, range.low];
        const max = Math.max(low, high) + span(top) - 1;
        return direct(observe, (v) => v >= min && v <= max);
      }
      const expected = parse(content);
      if (expected === undefined) return notEvaluated("invalid-value", `not ${noun}: "${content}"`);
      const width = span(content);
      return direct(observe, (v) => v >= expected && v < expected + width);
    }
  }
}

function compileOrdering(
  condition: "greater-than" | "less-than",
  content: string,
  type: ValueType,
): ItemTest {
  const greater = condition === "greater-than";
  const compare = <T extends number | bigint>(v: T, bound: T) => greater ? v > bound : v < bound;
  switch (type) {
    case "integer": {
      const bound = parseIntegerText(content);
      if (bound === undefined) return notEvaluated("invalid-value", `not an integer: "${content}"`);
      return direct(observedInteger, (v) => compare(v, bound));
    }
    case "date": {
      const bound = parseDateText(content);
      if (bound === undefined) {
        return notEvaluated("invalid-value", `not an ISO 8601 date: "${content}"`);
      }
      return direct(observedDate, (v) => compare(v, bound));
    }
    case "duration": {
      const bound = parseDurationText(content);
      if (bound === undefined) return notEvaluated("invalid-value", `not a duration: "${content}"`);
      return direct(observedDuration, (v) => compare(v, bound));
    }
    case "string": {
      // Some string terms hold numbers (kernelTime…): compare numerically when the bound is one.
      const bound = Number(content.trim());
      if (content.trim() === "" || !Number.isFinite(bound)) {
        return notEvaluated("invalid-value", `${condition} needs a number: "${content}"`);
      }
      return direct((v) => {
        const text = textOf(v).trim();
        const number = Number(text);
        return text === "" || !Number.isFinite(number) ? undefined : number;
      }, (v) => compare(v, bound));
    }
    default:
      return notEvaluated("invalid-value", `${condition} does not apply to ${type} values`);
  }
}

function direct<T>(
  read: (value: ScalarValue) => T | undefined,
  holds: (value: T) => boolean,
): ItemTest {
  return {
    kind: "direct",
    test: (value) => {
      const parsed = read(value);
      return parsed !== undefined && holds(parsed);
    },
  };
}
