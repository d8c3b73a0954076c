/**
 * The registry key paths that IOC items name, for the collector's
 * `iocKeyPaths` option: keys an indicator asks about are read even when they
 * are outside the default key set.
 *
 * @module
 */
import type { IndicatorItem } from "../../openioc/model.ts";

/** The parts of an item this needs. */
export type KeyPathItem = Pick<IndicatorItem, "condition" | "negate" | "context" | "content">;

/**
 * Key paths from `RegistryItem/KeyPath` and `RegistryItem/Path` items whose
 * condition is `is` or `starts-with` (a whole path or a path prefix) and that
 * are not negated; other conditions (`contains`, `matches`…) do not name a
 * key. Paths are returned trimmed, once each (compared case-insensitively).
 *
 * @example
 * ```ts
 * import { registryKeyPathsOf } from "./ioc_key_paths.ts";
 * registryKeyPathsOf([{
 *   condition: "is",
 *   negate: false,
 *   context: { document: "RegistryItem", search: "RegistryItem/Path", type: "mir" },
 *   content: { type: "string", value: "HKLM\\SOFTWARE\\STS\\Config" },
 * }]); // ["HKLM\\SOFTWARE\\STS\\Config"]
 * ```
 */
export function registryKeyPathsOf(items: Iterable<KeyPathItem>): string[] {
  const seen = new Set<string>();
  const paths: string[] = [];
  for (const item of items) {
    const search = item.context.search.toLowerCase();
    if (search !== "registryitem/keypath" && search !== "registryitem/path") continue;
    if (item.negate || (item.condition !== "is" && item.condition !== "starts-with")) continue;
    const path = item.content.value.trim();
    if (path === "" || seen.has(path.toUpperCase())) continue;
    seen.add(path.toUpperCase());
    paths.push(path);
  }
  return paths;
}
