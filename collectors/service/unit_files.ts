/**
 * Services of a Linux system read from its systemd unit files, without
 * systemd: `*.service` files below `etc/systemd/system`, `run/systemd/system`,
 * `lib/systemd/system` and `usr/lib/systemd/system` of a root (`/` live),
 * the first folder's file winning as in systemd; `ExecStart=` split into the
 * image and its arguments, `User=`, `Type=`, `Description=`, and the mode from
 * the `*.wants`/`*.requires` links (`enabled`), a link to `/dev/null`
 * (`masked`), no `[Install]` section (`static`) or none of these
 * (`disabled`). Unit files may be hostile: each is opened non-blocking and
 * read only when it is a regular file, up to {@linkcode maxUnitFileBytes};
 * nothing in it is run.
 *
 * @module
 */
import { join } from "node:path";
import { readEvidenceFile } from "../evidence_file.ts";
import { linkOutOfRoot } from "../evidence_root.ts";
import type { ServiceEntry } from "./service_entry.ts";
import type { SkipReason } from "../collector.ts";

/** The unit folders below a root, in systemd's order of precedence. */
export const unitFolders = [
  "etc/systemd/system",
  "run/systemd/system",
  "lib/systemd/system",
  "usr/lib/systemd/system",
] as const;

/**
 * A unit file that was not read: why (a skip reason and a detail), and
 * whether it may hold a service systemd loads (`mayHoldService`: a padded
 * file, a FIFO, one without read permission) or not (a link to nothing,
 * which systemd cannot load either).
 */
export interface UnreadUnit {
  file: string;
  reason: SkipReason;
  detail: string;
  mayHoldService: boolean;
}

/** The largest unit file read. */
export const maxUnitFileBytes = 256 * 1024;
/** The most unit files read from one root. */
export const maxUnitFiles = 10_000;

/** The ExecStart prefixes that change how systemd runs a command (not part of the path). */
const execPrefixes = /^[-@:+!]+/;

/** What the unit files of a root gave. */
export interface UnitFileServices {
  entries: ServiceEntry[];
  /** Files that could not be read, with why. */
  unreadable: UnreadUnit[];
  /** Whether {@linkcode maxUnitFiles} cut the list. */
  capped: boolean;
}

/** The parsed sections of a unit file: `section → key → values` (lower-case names). */
export type UnitSections = Map<string, Map<string, string[]>>;

/**
 * Parses unit-file text: sections, `key=value` lines, `#`/`;` comments and
 * backslash continuations. An empty assignment resets the key, as in systemd.
 */
export function parseUnitFile(text: string): UnitSections {
  const sections: UnitSections = new Map();
  let current: Map<string, string[]> | undefined;
  const lines = text.replace(/[ \t]*\\\r?\n[ \t]*/g, " ").split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      const name = header[1]!.toLowerCase();
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      continue;
    }
    const eq = line.indexOf("=");
    if (current === undefined || eq <= 0) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    if (value === "") current.set(key, []);
    else current.set(key, [...(current.get(key) ?? []), value]);
  }
  return sections;
}

/**
 * Splits a systemd command line (`ExecStart=`) into its program and the
 * rest: prefixes (`-`, `@`, `+`, `!`, `:`) dropped, a quoted program taken
 * as written.
 */
export function splitExecLine(line: string): { path: string; arguments: string } {
  const text = line.trim().replace(execPrefixes, "");
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    const end = text.indexOf(quote, 1);
    if (end > 0) return { path: text.slice(1, end), arguments: text.slice(end + 1).trim() };
  }
  const space = text.search(/\s/);
  if (space < 0) return { path: text, arguments: "" };
  return { path: text.slice(0, space), arguments: text.slice(space + 1).trim() };
}

/**
 * The services of the unit files below `root`. Paths in the entries
 * (`sourceKey`, `source`) are the unit files as this machine names them.
 */
export async function readUnitFiles(
  root: string,
  limit: number = maxUnitFiles,
): Promise<UnitFileServices> {
  const result: UnitFileServices = { entries: [], unreadable: [], capped: false };
  const seen = new Set<string>();
  const wanted = await enabledUnits(root);
  for (const folder of unitFolders) {
    const dir = join(root, folder);
    let names: string[];
    try {
      names = [];
      for await (const entry of Deno.readDir(dir)) {
        if (entry.name.endsWith(".service") && !entry.isDirectory) names.push(entry.name);
      }
    } catch {
      continue; // No such folder here: nothing to read.
    }
    names.sort();
    for (const name of names) {
      if (seen.has(name)) continue;
      if (result.entries.length >= limit) {
        result.capped = true;
        return result;
      }
      seen.add(name);
      const file = join(dir, name);
      const entry = await unitEntry(root, file, name, wanted);
      if ("detail" in entry) result.unreadable.push({ file, ...entry });
      else result.entries.push(entry);
    }
  }
  return result;
}

/** The unit names linked from `*.wants`/`*.requires` folders of the unit folders. */
async function enabledUnits(root: string): Promise<Set<string>> {
  const names = new Set<string>();
  for (const folder of unitFolders) {
    try {
      for await (const entry of Deno.readDir(join(root, folder))) {
        if (!entry.isDirectory || !/\.(wants|requires)$/.test(entry.name)) continue;
        for await (const link of Deno.readDir(join(root, folder, entry.name))) names.add(link.name);
      }
    } catch {
      // A folder that is not there holds no links.
    }
  }
  return names;
}

async function unitEntry(
  root: string,
  file: string,
  name: string,
  wanted: ReadonlySet<string>,
): Promise<ServiceEntry | Omit<UnreadUnit, "file">> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(file);
    if (info.isSymlink) {
      const target = await Deno.readLink(file);
      if (target === "/dev/null") {
        return { kind: "service", name, mode: "masked", sourceKey: file, source: file };
      }
      info = await Deno.stat(file);
    }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    // A link to nothing is no unit systemd can load; any other failure may hide one.
    const dangling = error instanceof Deno.errors.NotFound;
    return { reason: dangling ? "not-found" : "unreadable", detail, mayHoldService: !dangling };
  }
  // Below a root other than `/`, a link out of it is the scanning host's file: not read.
  const refusal = root === "/" ? undefined : linkOutOfRoot(file, root);
  if (refusal) return { reason: refusal.reason, detail: refusal.detail, mayHoldService: true };
  // Opened non-blocking and read only when the descriptor is a regular file (a FIFO swapped in
  // after the stat cannot hang the scan).
  const bytes = readEvidenceFile(file, { maxSize: maxUnitFileBytes, kind: "unit file" });
  if (!(bytes instanceof Uint8Array)) {
    return { reason: bytes.reason, detail: bytes.detail, mayHoldService: true };
  }
  const text = new TextDecoder().decode(bytes);
  return entryOfUnit(parseUnitFile(text), name, file, wanted.has(name), info.mtime);
}

/** A ServiceEntry from a parsed unit file. */
export function entryOfUnit(
  sections: UnitSections,
  name: string,
  file: string,
  enabled: boolean,
  modified?: Date | null,
): ServiceEntry {
  const unit = sections.get("unit");
  const service = sections.get("service");
  const last = (map: Map<string, string[]> | undefined, key: string) => map?.get(key)?.at(-1);
  const entry: ServiceEntry = { kind: "service", name, sourceKey: file, source: file };
  const description = last(unit, "description");
  if (description !== undefined) {
    entry.descriptiveName = description;
    entry.description = description;
  }
  entry.mode = enabled ? "enabled" : sections.has("install") ? "disabled" : "static";
  entry.startedAs = last(service, "user") ?? "root";
  entry.type = last(service, "type") ?? "simple";
  const exec = service?.get("execstart")?.[0];
  if (exec !== undefined) Object.assign(entry, splitExecLine(exec));
  if (modified) entry.time = modified.toISOString();
  return entry;
}
