/**
 * The critical-areas scan's scope (`runScan`'s `viewsCover`): what its view
 * collectors see counts as read. A document a built collector yields as a
 * view (`viewDocuments`: the FileItem objects of process images, modules and
 * autostart images) is not `type-not-selected`; and since the view is then
 * the scope, a skip that leaves such a collector's area short (its own
 * documents unread: an autostart place not read whole) leaves the view short
 * too, so an IOC on the view's document is undecided, never ruled out.
 *
 * @module
 */

/** What a collector says of its documents. */
export interface ViewingCollector {
  readonly name: string;
  readonly viewDocuments?: readonly string[];
}

/** A skip as the reporter sees it. */
export interface AreaSkip {
  readonly collector: string;
  readonly unreadDocuments?: readonly string[];
}

/** The views' coverage for one run. */
export interface ViewCoverage {
  /** The view documents a skip leaves unread besides its own `unreadDocuments`. */
  unreadWith(skip: AreaSkip): string[];
}

/**
 * Takes the viewed documents out of `uncovered` (those left there only as
 * `type-not-selected`) and returns how skips weigh on the views.
 */
export function viewsCover(
  collectors: readonly ViewingCollector[],
  uncovered: Map<string, string>,
): ViewCoverage {
  const viewed = new Set(
    collectors.flatMap((collector) => collector.viewDocuments ?? []).map((d) => d.toLowerCase()),
  );
  for (const [document, why] of uncovered) {
    if (why === "type-not-selected" && viewed.has(document.toLowerCase())) {
      uncovered.delete(document);
    }
  }
  const views = new Map(
    collectors.map((collector) => [collector.name, collector.viewDocuments ?? []] as const),
  );
  return {
    unreadWith(skip) {
      if ((skip.unreadDocuments ?? []).length === 0) return [];
      return [...views.get(skip.collector) ?? []];
    },
  };
}
