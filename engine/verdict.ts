/**
 * The three-valued verdict of an IOC at host level: what a scan can say about
 * an IOC that did not fire. An item that is not evaluated (unsupported term,
 * no collector, term not produced, empty or invalid content) never makes an
 * IOC fire, but its truth is not known either: an IOC whose host expression is
 * unknown rather than false was not ruled out, and a scan that reports it
 * clean would be reporting what it did not see (docs/events.md, "Complete and
 * incomplete runs").
 *
 * @module
 */
import type { HostExpr } from "./binding.ts";
import { andTruth, orTruth, Truth } from "./truth.ts";

/**
 * Evaluates a host expression in Kleene logic, given each group's truth.
 * An empty AND is false (an Indicator with no items), as in detection.
 *
 * @example
 * ```ts
 * import { hostTruth } from "./verdict.ts";
 * import { Truth } from "./truth.ts";
 * const expr = { op: "or" as const, children: [{ op: "group" as const, group: 0 }, { op: "unknown" as const }] };
 * hostTruth(expr, () => Truth.False); // Truth.Unknown
 * ```
 */
export function hostTruth(expr: HostExpr, group: (group: number) => Truth): Truth {
  switch (expr.op) {
    case "false":
      return Truth.False;
    case "unknown":
      return Truth.Unknown;
    case "group":
      return group(expr.group);
    case "and":
      return expr.children.length === 0
        ? Truth.False
        : andTruth(expr.children.map((child) => hostTruth(child, group)));
    case "or":
      return orTruth(expr.children.map((child) => hostTruth(child, group)));
  }
}

/**
 * Whether an IOC can fire at all with the items this build evaluates: false
 * when every way to satisfy it goes through an item that is not evaluated.
 * Not-evaluated host nodes count as false here, and groups that can hold on
 * some object as unknown.
 *
 * @param canHold Whether a group can hold on some object (its not-evaluated items taken as false).
 */
export function canFire(expr: HostExpr, canHold: (group: number) => boolean): boolean {
  return hostTruth(
    withoutUnknown(expr),
    (group) => canHold(group) ? Truth.Unknown : Truth.False,
  ) !== Truth.False;
}

/** The expression with its `unknown` nodes (items that are not evaluated) made false. */
function withoutUnknown(expr: HostExpr): HostExpr {
  switch (expr.op) {
    case "unknown":
      return { op: "false" };
    case "and":
    case "or":
      return { op: expr.op, children: expr.children.map(withoutUnknown) };
    default:
      return expr;
  }
}
