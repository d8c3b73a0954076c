/**
 * Sorts offline evidence paths (the PowerShell `-Evidence` parameter, the task
 * file's `evidence` list) into EVTX files, registry hives and mounted roots by
 * looking at them, so users need not say which is which.
 *
 * @module
 */
import { join } from "node:path";
import { type EvidenceRefusal, openEvidenceFile } from "../collectors/evidence_file.ts";

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
    const magic = readMagic(path);
    if (typeof magic !== "string") {
      result.unknown.push({ path, reason: `${magic.reason}: ${magic.detail}` });
      continue;
    }
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

/**
 * The first 8 bytes of a file, or why it was refused: opened without blocking
 * and checked on its descriptor (a FIFO swapped in after the stat is refused),
 * never read past its size (`/proc/kmsg`, an "empty regular file", is not read).
 */
function readMagic(path: string): string | EvidenceRefusal {
  const opened = openEvidenceFile(path);
  if (!("readAt" in opened)) return opened;
  if (opened.size === 0) {
    opened.close();
    return {
      file: path,
      reason: "unsupported",
      detail: "0 bytes (by its descriptor), nothing read",
    };
  }
  try {
    const head = new Uint8Array(8);
    const count = opened.readAt(head, 0);
    return new TextDecoder("latin1").decode(head.subarray(0, count));
  } catch {
    return "";
  } finally {
    opened.close();
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
