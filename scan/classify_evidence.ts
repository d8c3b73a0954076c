/**
 * Sorts offline evidence paths (the PowerShell `-Evidence` parameter, the task
 * file's `evidence` list) into EVTX files, registry hives and mounted roots by
 * looking at them, so users need not say which is which.
 *
 * @module
 */
import { join } from "node:path";

/** Evidence paths sorted by kind. */
export interface ClassifiedEvidence {
  evtx: string[];
  hives: string[];
  roots: string[];
  /** Paths that are none of the above, each with the reason. */
  unknown: { path: string; reason: string }[];
}

/**
 * Classifies each path: a folder holding `Windows/System32` (any case) is a
 * mounted root; any other folder is searched for `.evtx` files; a file is a
 * hive when it starts with `regf`, an event log when it starts with `ElfFile`.
 */
export async function classifyEvidence(paths: readonly string[]): Promise<ClassifiedEvidence> {
  const result: ClassifiedEvidence = { evtx: [], hives: [], roots: [], unknown: [] };
  for (const path of paths) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch (error) {
      result.unknown.push({ path, reason: (error as Error).message });
      continue;
    }
    if (info.isDirectory) {
      if (await hasChildPath(path, ["windows", "system32"])) result.roots.push(path);
      else result.evtx.push(path);
      continue;
    }
    if (!info.isFile) {
      // A FIFO would block the read below; sockets and devices are no evidence either.
      result.unknown.push({ path, reason: "not a regular file (never opened)" });
      continue;
    }
    const magic = await readMagic(path);
    if (magic.startsWith("regf")) result.hives.push(path);
    else if (magic.startsWith("ElfFile")) result.evtx.push(path);
    else if (path.toLowerCase().endsWith(".evtx")) result.evtx.push(path);
    else {result.unknown.push({
        path,
        reason: "neither an EVTX file, a registry hive nor a folder",
      });}
  }
  return result;
}

async function readMagic(path: string): Promise<string> {
  try {
    using file = await Deno.open(path, { read: true });
    const head = new Uint8Array(8);
    const count = await file.read(head);
    return new TextDecoder("latin1").decode(head.subarray(0, count ?? 0));
  } catch {
    return "";
  }
}

async function hasChildPath(root: string, names: string[]): Promise<boolean> {
  let current = root;
  for (const name of names) {
    const match = await findEntryIgnoringCase(current, name);
    if (match === undefined) return false;
    current = join(current, match);
  }
  return true;
}

/** The real name of `name` inside `folder`, compared case-insensitively. */
export async function findEntryIgnoringCase(
  folder: string,
  name: string,
): Promise<string | undefined> {
  try {
    for await (const entry of Deno.readDir(folder)) {
      if (entry.name.toLowerCase() === name.toLowerCase()) return entry.name;
    }
  } catch {
    return undefined;
  }
  return undefined;
}
