/**
 * The severity of an IOC (docs/reports.md, "Severity"), read from what its author wrote:
 *
 * 1. a `<param>` named `severity` whose value is a level (`informational`, `low`, `medium`,
 *    `high`, `critical`; `info` and `moderate` too), or named `score` whose value is a number from
 *    0 to 100 (see {@linkcode severityOfScore});
 * 2. a metadata `<link>` whose `rel` is `severity` or `grade`, with a level or a score as value;
 * 3. else {@linkcode DEFAULT_SEVERITY} (`medium`).
 *
 * Names and levels are compared without case; values that are neither a level nor a score in
 * range are passed over. The first usable one in that order wins, in file order within each.
 *
 * @module
 */
import { DEFAULT_SEVERITY, SEVERITIES, type Severity } from "../contracts/severity.ts";
import type { IocDocument } from "./model.ts";

/** Where a severity came from: `parameter:severity`, `link:grade`, `default`… */
export interface IocSeverity {
  severity: Severity;
  source: string;
}

/** Parameter names read, in order of preference. */
const severityParameters = ["severity", "score"] as const;

/** Link relations read, in order of preference. */
const severityLinks = ["severity", "grade"] as const;

/** Words authors use for the levels, beyond the levels' own names. */
const levelWords: Readonly<Record<string, Severity>> = {
  ...Object.fromEntries(SEVERITIES.map((level) => [level, level])),
  info: "informational",
  moderate: "medium",
};

/** The lowest score of each level, most severe first: 90 critical, 70 high, 40 medium, 10 low. */
const scoreBands: readonly [number, Severity][] = [
  [90, "critical"],
  [70, "high"],
  [40, "medium"],
  [10, "low"],
  [0, "informational"],
];

/**
 * The level a 0–100 score falls in; undefined for anything else.
 *
 * @example
 * ```ts
 * import { severityOfScore } from "./severity.ts";
 * severityOfScore("75"); // "high"
 * ```
 */
export function severityOfScore(text: string): Severity | undefined {
  if (!/^\s*\d+(\.\d+)?\s*$/.test(text)) return undefined;
  const score = Number(text);
  if (score > 100) return undefined;
  return scoreBands.find(([lowest]) => score >= lowest)?.[1];
}

/** A level word or a score; undefined when the text is neither. */
function severityOfValue(text: string): Severity | undefined {
  return levelWords[text.trim().toLowerCase()] ?? severityOfScore(text);
}

/**
 * The severity of an IOC and where it came from.
 *
 * @example
 * ```ts
 * import { iocSeverity } from "./severity.ts";
 * import { parseIoc } from "./parse_ioc.ts";
 * const xml = `<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="x"><links>
 *   <link rel="grade">high</link></links><definition><Indicator operator="OR" id="i"/>
 *   </definition></ioc>`;
 * iocSeverity(parseIoc(new TextEncoder().encode(xml), "x.ioc").document).severity; // "high"
 * ```
 */
export function iocSeverity(document: IocDocument): IocSeverity {
  for (const name of severityParameters) {
    for (const parameter of document.parameters) {
      if (parameter.name.trim().toLowerCase() !== name) continue;
      const severity = name === "score"
        ? severityOfScore(parameter.value)
        : severityOfValue(parameter.value);
      if (severity !== undefined) return { severity, source: `parameter:${name}` };
    }
  }
  for (const rel of severityLinks) {
    for (const link of document.metadata.links) {
      if (link.rel.trim().toLowerCase() !== rel) continue;
      const severity = severityOfValue(link.value);
      if (severity !== undefined) return { severity, source: `link:${rel}` };
    }
  }
  return { severity: DEFAULT_SEVERITY, source: "default" };
}
