/**
 * The severity every detection record carries (docs/reports.md, "Severity"): five levels, least
 * to most severe, and the default of an IOC that states none. `openioc/severity.ts` reads an IOC's
 * severity from its parameters or links.
 *
 * @module
 */

/** The levels, least to most severe. */
export const SEVERITIES = ["informational", "low", "medium", "high", "critical"] as const;

/** One level of {@linkcode SEVERITIES}. */
export type Severity = typeof SEVERITIES[number];

/** The severity of an IOC that states none in its parameters or links. */
export const DEFAULT_SEVERITY: Severity = "medium";

/**
 * The syslog severity (RFC 5424 6.2.1) of each level: critical 2, high 3 (error), medium 4
 * (warning), low 5 (notice), informational 6.
 */
export const SYSLOG_SEVERITY: Readonly<Record<Severity, number>> = {
  critical: 2,
  high: 3,
  medium: 4,
  low: 5,
  informational: 6,
};

/** ECS `event.severity` (a number, larger is more severe) of each level: 21, 47, 73, 99… */
export const NUMERIC_SEVERITY: Readonly<Record<Severity, number>> = {
  informational: 1,
  low: 21,
  medium: 47,
  high: 73,
  critical: 99,
};
