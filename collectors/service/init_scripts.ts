/**
 * SysV init scripts: each regular file of `etc/init.d` below a root is a
 * service whose image is the script itself, `enabled` when an `S` link of a
 * run level (`etc/rc[2-5].d/S??name`) starts it. The LSB header's
 * `Short-Description` and `Description` give its names. Scripts are read
 * only up to {@linkcode maxInitScriptHeaderBytes}, for the header; nothing in
 * them is run.
 *
 * @module
 */
import { join } from "node:path";
import { openEvidenceFile } from "../evidence_file.ts";
import type { ServiceEntry } from "./service_entry.ts";

/** How much of a script is read for its LSB header. */
export const maxInitScriptHeaderBytes = 16 * 1024;
/** The most scripts read. */
export const maxInitScripts = 5_000;

/** The run levels whose `S` links enable a script. */
const runLevels = ["2", "3", "4", "5"] as const;

/** The init scripts below `root` (`/` live). */
export async function readInitScripts(
  root: string,
  limit: number = maxInitScripts,
): Promise<{ entries: ServiceEntry[]; capped: boolean }> {
  const dir = join(root, "etc", "init.d");
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) if (entry.isFile) names.push(entry.name);
  } catch {
    return { entries: [], capped: false };
  }
  names.sort();
  const started = await startedScripts(root);
  const entries: ServiceEntry[] = [];
  for (const name of names.slice(0, limit)) {
    const file = join(dir, name);
    const header = parseLsbHeader(readHead(file));
    const entry: ServiceEntry = {
      kind: "service",
      name,
      path: `/etc/init.d/${name}`,
      arguments: "start",
      mode: started.has(name) ? "enabled" : "disabled",
      startedAs: "root",
      type: "sysv",
      sourceKey: file,
      source: file,
    };
    if (header.short !== undefined) entry.descriptiveName = header.short;
    if (header.description !== undefined) entry.description = header.description;
    entries.push(entry);
  }
  return { entries, capped: names.length > limit };
}

/** The script names an `S` link of a run level starts. */
async function startedScripts(root: string): Promise<Set<string>> {
  const names = new Set<string>();
  for (const level of runLevels) {
    try {
      for await (const link of Deno.readDir(join(root, "etc", `rc${level}.d`))) {
        const match = /^S\d\d(.+)$/.exec(link.name);
        if (match) names.add(match[1]!);
      }
    } catch {
      // No such run level folder.
    }
  }
  return names;
}

/** The start of a script, for its header; empty when it is no regular file or cannot be read. */
function readHead(file: string): string {
  const opened = openEvidenceFile(file);
  if (!("readAt" in opened)) return "";
  try {
    const buffer = new Uint8Array(Math.min(maxInitScriptHeaderBytes, opened.size));
    return new TextDecoder().decode(buffer.subarray(0, opened.readAt(buffer, 0)));
  } catch {
    return "";
  } finally {
    opened.close();
  }
}

/** The LSB header's descriptions (`### BEGIN INIT INFO` … `### END INIT INFO`). */
export function parseLsbHeader(text: string): { short?: string; description?: string } {
  const block = /### BEGIN INIT INFO([\s\S]*?)### END INIT INFO/.exec(text)?.[1] ?? "";
  const field = (name: string) =>
    new RegExp(`^#\\s*${name}:[ \\t]*(.*)$`, "mi").exec(block)?.[1]?.trim() || undefined;
  const out: { short?: string; description?: string } = {};
  const short = field("Short-Description");
  const description = field("Description");
  if (short !== undefined) out.short = short;
  if (description !== undefined) out.description = description;
  return out;
}
