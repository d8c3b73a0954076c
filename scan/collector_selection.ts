/**
 * Which collectors a scan runs: by default exactly those whose documents the
 * loaded IOCs use (as Kaspersky's IOCSCAN does when a data-type switch is left
 * unset); `types` overrides the choice.
 *
 * @module
 */
import { allTerms } from "../openioc/term_catalogue.ts";
import { scanCollectors } from "./collector_list.ts";

export { scanCollectors };

const collectorByDocument: ReadonlyMap<string, string> = new Map(
  allTerms().map((term) => [term.document.toLowerCase(), term.collector]),
);

/** The collector that supplies a document, from the term catalogue. */
export function collectorForDocument(document: string): string | undefined {
  return collectorByDocument.get(document.toLowerCase());
}

/**
 * Why a document's items are not evaluated: no collector exists for it, the
 * user's `types` left its collector out, or its collector has nothing to read
 * (an offline scan with no root for files).
 */
export type UncoveredReason = "no-collector" | "type-not-selected" | "no-source";

/** The outcome of the selection. */
export interface CollectorSelection {
  /** Collectors to run. */
  run: string[];
  /** Documents the IOCs use that no selected collector supplies, with the reason. */
  uncovered: Map<string, UncoveredReason>;
}

/**
 * Chooses the collectors for the documents the plan needs.
 *
 * @param documents Documents used by evaluable IOC items.
 * @param types Collector names the user asked for; empty or absent means automatic.
 * @param also Collectors that run in addition to what the documents and `types` select (the
 *   critical-areas sweep of `--action critical-scan`): never instead.
 */
export function selectCollectors(
  documents: Iterable<string>,
  types?: readonly string[],
  also: readonly string[] = [],
): CollectorSelection {
  const requested = types && types.length > 0
    ? new Set(types.map((type) => type.toLowerCase()))
    : undefined;
  const run = new Set<string>(also.map((name) => name.toLowerCase()));
  const uncovered = new Map<string, UncoveredReason>();
  for (const document of documents) {
    const collector = collectorForDocument(document);
    if (collector === undefined || !scanCollectors.includes(collector)) {
      uncovered.set(document, "no-collector");
    } else if (requested && !requested.has(collector) && !run.has(collector)) {
      uncovered.set(document, "type-not-selected");
    } else {
      run.add(collector);
    }
  }
  if (requested) {
    for (const name of scanCollectors) if (requested.has(name)) run.add(name);
  }
  return { run: scanCollectors.filter((name) => run.has(name)), uncovered };
}

/** Checks `types` against the collectors a scan can run; returns the unknown names. */
export function unknownTypes(types: readonly string[]): string[] {
  return types.filter((type) => !scanCollectors.includes(type.toLowerCase()));
}
