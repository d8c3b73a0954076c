/**
 * The libraries a Linux process has loaded (`ProcessItem/DllPath`): the
 * files of its executable mappings in `/proc/<pid>/maps`, the image first,
 * each once, without the kernel's ` (deleted)` mark.
 *
 * @module
 */

const deletedSuffix = " (deleted)";

/**
 * Parses `maps` text: `start-end perms offset dev inode path`. Keeps the
 * paths of mappings with `x` in their permissions that name a file (a path
 * starting with `/`), in order of first appearance.
 *
 * @example
 * ```ts
 * import { executableMappings } from "./linux_maps.ts";
 * executableMappings("55d0-55d1 r-xp 00000000 08:01 12 /usr/bin/sleep\n7f00-7f01 r-xp 00000000 08:01 34 /usr/lib/libc.so.6\n");
 * // ["/usr/bin/sleep", "/usr/lib/libc.so.6"]
 * ```
 */
export function executableMappings(maps: string): string[] {
  const paths = new Set<string>();
  for (const line of maps.split("\n")) {
    const match = /^\S+\s+(\S+)\s+\S+\s+\S+\s+\d+\s+(\/.*)$/.exec(line);
    if (!match || !match[1]!.includes("x")) continue;
    const path = match[2]!;
    paths.add(path.endsWith(deletedSuffix) ? path.slice(0, -deletedSuffix.length) : path);
  }
  return [...paths];
}
