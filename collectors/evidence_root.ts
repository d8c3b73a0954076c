/**
 * Evidence found below a mounted image root (`--root`) stays below it. An
 * image is shaped by whoever controlled the machine it came from: a hive, an
 * event log or a folder on the way to them that is a symbolic link leading
 * out of the image would make a scan run as root read the analyst's own files
 * and report them as the case's evidence. Links that stay inside the root are
 * followed as before; a file named directly (`--hive`, `--evtx`) is the
 * user's choice and is not checked here.
 *
 * @module
 */
import { isAbsolute, relative, sep } from "node:path";
import type { EvidenceRefusal } from "./evidence_file.ts";

/**
 * The refusal of `path`, found below `root`, when its real location (every
 * link resolved) is outside the root's real location; undefined when it stays
 * inside, or when either cannot be resolved (opening it then says why).
 *
 * @example
 * ```ts ignore
 * import { linkOutOfRoot } from "./evidence_root.ts";
 * // /mnt/image/Windows/System32/config/SYSTEM -> /etc/… is refused:
 * linkOutOfRoot("/mnt/image/Windows/System32/config/SYSTEM", "/mnt/image")?.reason; // "symlink"
 * ```
 */
export function linkOutOfRoot(path: string, root: string): EvidenceRefusal | undefined {
  let real: string;
  let realRoot: string;
  try {
    realRoot = Deno.realPathSync(root);
    real = Deno.realPathSync(path);
  } catch {
    return undefined;
  }
  const inside = relative(realRoot, real);
  if (inside !== ".." && !inside.startsWith(`..${sep}`) && !isAbsolute(inside)) return undefined;
  return {
    file: path,
    reason: "symlink",
    detail: `leads to ${real}, outside the root ${root}: not followed`,
  };
}
