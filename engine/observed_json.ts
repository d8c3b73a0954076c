/**
 * Reading observed objects from JSON without losing integers. `JSON.parse`
 * turns every number into a double, so an integer beyond 2^53 (a 64-bit
 * size, serial number or address) comes back as a neighbouring value and an
 * IOC naming the exact number would match the wrong object. Here such an
 * integer is kept as a bigint, which the engine compares exactly.
 *
 * @module
 */

/** The third argument V8 passes to a `JSON.parse` reviver (TC39 "JSON.parse source text access"). */
interface ReviverContext {
  source?: string;
}

const integerSource = /^-?\d+$/;

/**
 * Parses JSON text like `JSON.parse`, except that integers that a double
 * cannot hold exactly come back as bigints.
 *
 * @example
 * ```ts
 * import { parseObservedJson } from "./observed_json.ts";
 * parseObservedJson('{"SizeInBytes":9007199254740993}'); // { SizeInBytes: 9007199254740993n }
 * ```
 */
export function parseObservedJson(text: string): unknown {
  return JSON.parse(text, function (_key, value: unknown, ...rest: unknown[]) {
    if (typeof value !== "number" || Number.isSafeInteger(value)) return value;
    const source = (rest[0] as ReviverContext | undefined)?.source;
    return source !== undefined && integerSource.test(source) ? BigInt(source) : value;
  });
}
