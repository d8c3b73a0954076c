/**
 * Reading a search-path field out of an observed object. Keys are compared
 * case-insensitively (the exact canonical spelling is the fast path), and the
 * path may cross arrays at any level: `HandleList.Handle[*].Name` yields the
 * name of every handle.
 *
 * @module
 */
import type { FieldValue, ObservedFields } from "../contracts/observed_item.ts";
import { isScalar, type ScalarValue } from "./value_types.ts";

/**
 * A field path prepared for lookups: the canonical spelling of each segment
 * and its lower-case form for the case-insensitive fallback.
 */
export interface FieldPath {
  readonly segments: readonly string[];
  readonly lowerSegments: readonly string[];
}

/** Prepares a path (e.g. the catalogue's `["PEInfo", "PETimeStamp"]`) for {@linkcode readField}. */
export function fieldPath(segments: readonly string[]): FieldPath {
  return { segments, lowerSegments: segments.map((s) => s.toLowerCase()) };
}

/**
 * Looks a key up in a record: the exact key first, then a case-insensitive scan.
 * Returns undefined when absent.
 */
export function getKey(record: { [name: string]: FieldValue }, key: string, lowerKey: string) {
  if (Object.hasOwn(record, key)) return record[key];
  for (const candidate in record) {
    if (candidate.toLowerCase() === lowerKey && Object.hasOwn(record, candidate)) {
      return record[candidate];
    }
  }
  return undefined;
}

/** Whether an observed object carries the top-level field `name` (any spelling, any value but undefined). */
export function hasTopField(fields: ObservedFields, name: string): boolean {
  return getKey(fields, name, name.toLowerCase()) !== undefined;
}

/**
 * Every scalar value at `path` in `fields`, crossing arrays at any level. An
 * empty result means the field is missing (nulls and non-scalar leaves count
 * as missing).
 *
 * @example
 * ```ts
 * import { fieldPath, readField } from "./field_lookup.ts";
 * const fields = { HandleList: { Handle: [{ Name: "a" }, { name: "b" }] } };
 * readField(fields, fieldPath(["HandleList", "Handle", "Name"])); // ["a", "b"]
 * ```
 */
export function readField(fields: ObservedFields, path: FieldPath): ScalarValue[] {
  const out: ScalarValue[] = [];
  collect(fields, path, 0, out);
  return out;
}

function collect(value: FieldValue, path: FieldPath, depth: number, out: ScalarValue[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const element of value) collect(element, path, depth, out);
    return;
  }
  if (depth === path.segments.length) {
    if (isScalar(value)) out.push(value);
    return;
  }
  if (typeof value !== "object" || value instanceof Date) return;
  const child = getKey(value, path.segments[depth]!, path.lowerSegments[depth]!);
  collect(child, path, depth + 1, out);
}

/**
 * Every record (nested object) at `path` in `fields`, crossing arrays at any
 * level: `PortList.PortItem[*]` yields each port of a process. Scalars and
 * nulls at the path are not records and are left out.
 *
 * @example
 * ```ts
 * import { fieldPath, readRecords } from "./field_lookup.ts";
 * const fields = { PortList: { PortItem: [{ remotePort: 443 }, { remotePort: 80 }] } };
 * readRecords(fields, fieldPath(["PortList", "PortItem"])).length; // 2
 * ```
 */
export function readRecords(fields: ObservedFields, path: FieldPath): ObservedFields[] {
  const out: ObservedFields[] = [];
  collectRecords(fields, path, 0, out);
  return out;
}

function collectRecords(
  value: FieldValue,
  path: FieldPath,
  depth: number,
  out: ObservedFields[],
): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const element of value) collectRecords(element, path, depth, out);
    return;
  }
  if (typeof value !== "object" || value instanceof Date) return;
  if (depth === path.segments.length) {
    out.push(value);
    return;
  }
  const child = getKey(value, path.segments[depth]!, path.lowerSegments[depth]!);
  collectRecords(child, path, depth + 1, out);
}
