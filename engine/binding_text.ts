/**
 * The binding of an IOC in words: which items must hold on one object, which
 * on one record of a list (a port of a process), and how the groups combine
 * at host level. `iocscan indicators --explain` prints it (docs/matching.md,
 * sections 4 and 4a).
 *
 * @example
 * ```text
 * one ProcessItem (ProcessItem/name is "x.exe" AND one PortList/PortItem (PortItem/remoteIP is "1.2.3.4" AND PortItem/remotePort is "443"))
 * ```
 *
 * @module
 */
import type { IndicatorItem } from "../openioc/model.ts";
import type { BoundGroup, HostExpr, ObjectExpr } from "./binding.ts";

/** Writes a bound IOC: host-level AND/OR over `one <Document> (…)` groups. */
export function bindingText(
  host: HostExpr,
  groups: readonly BoundGroup[],
  item: (number: number) => IndicatorItem,
): string {
  const itemText = (number: number) => {
    const source = item(number);
    const negate = source.negate ? "not " : "";
    return `${source.context.search} ${negate}${source.condition} ${
      JSON.stringify(source.content.value)
    }`;
  };
  const object = (expr: ObjectExpr, nested: boolean): string => {
    switch (expr.op) {
      case "item":
        return itemText(expr.item);
      case "element":
        return `one ${expr.list.join("/")} (${object(expr.expr, false)})`;
      case "and":
      case "or": {
        if (expr.children.length === 0) return "FALSE";
        const text = expr.children.map((child) => object(child, true))
          .join(expr.op === "and" ? " AND " : " OR ");
        return nested && expr.children.length > 1 ? `(${text})` : text;
      }
    }
  };
  const hostText = (expr: HostExpr, nested: boolean): string => {
    switch (expr.op) {
      case "false":
        return "FALSE";
      case "unknown":
        return "NOT-EVALUATED";
      case "group": {
        const group = groups[expr.group]!;
        return `one ${group.document} (${object(group.expr, false)})`;
      }
      case "and":
      case "or": {
        if (expr.children.length === 0) return "FALSE";
        const text = expr.children.map((child) => hostText(child, true))
          .join(expr.op === "and" ? " AND " : " OR ");
        return nested && expr.children.length > 1 ? `(${text})` : text;
      }
    }
  };
  return hostText(host, false);
}
