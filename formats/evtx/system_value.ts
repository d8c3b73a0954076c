/**
 * Storing one System value by its {@linkcode SystemValueKind}: the one rule
 * that the compiled plans (template_plan.ts) and the element-tree path
 * (record.ts) share.
 *
 * @module
 */
import { type EvtxSystem, SystemValueKind, type SystemValueKindCode } from "./model.ts";

/**
 * A System number as Windows writes it: decimal, or hexadecimal after `0x`;
 * undefined for empty text or text that is no number.
 */
export function systemNumber(text: string): number | undefined {
  if (text === "") return undefined;
  const hex = text.charCodeAt(0) === 48 /* 0 */ && text.charCodeAt(1) === 120; /* x */
  const n = hex ? parseInt(text, 16) : Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** Stores `text` as `field` of `system` the way `kind` says, or leaves the field out. */
export function storeSystemValue(
  system: EvtxSystem,
  field: keyof EvtxSystem,
  kind: SystemValueKindCode,
  text: string,
): void {
  const target = system as Record<keyof EvtxSystem, string | number>;
  if (kind === SystemValueKind.Number) {
    const n = systemNumber(text);
    if (n !== undefined) target[field] = n;
  } else if (kind === SystemValueKind.Text || text !== "") target[field] = text;
}
