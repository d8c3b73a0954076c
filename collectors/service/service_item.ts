/**
 * ServiceItem objects from service entries: the fields in the catalogue's
 * spelling, what the source could not know as `unevaluated`, and the image
 * and service DLL digests and signatures as lazy fields.
 *
 * @module
 */
import type { ObservedItem } from "../../contracts/observed_item.ts";
import type { ImageFiles } from "./image_files.ts";
import type { ServiceEntry } from "./service_entry.ts";

/** The document of a service. */
export const serviceDocument = "ServiceItem";

/** The entry's fields as ServiceItem names them, in the catalogue's spelling. */
const fieldNames: readonly (readonly [keyof ServiceEntry, string])[] = [
  ["name", "name"],
  ["descriptiveName", "descriptiveName"],
  ["description", "description"],
  ["mode", "mode"],
  ["startedAs", "startedAs"],
  ["path", "path"],
  ["arguments", "arguments"],
  ["serviceDll", "serviceDLL"],
  ["failureCommand", "failureCommand"],
  ["status", "status"],
  ["type", "type"],
  ["pid", "pid"],
];

/** Where the files of an entry are opened, or why they cannot be, by file name (`path`…). */
export function entryFiles(
  entry: ServiceEntry,
  pairs: readonly (readonly [string, string | undefined, string | undefined])[],
): Map<string, { path: string; open: string } | { unreadable: string }> {
  const files = new Map<string, { path: string; open: string } | { unreadable: string }>();
  for (const [prefix, path, open] of pairs) {
    if (path === undefined || path === "") continue;
    if (open !== undefined) files.set(prefix, { path, open });
    else files.set(prefix, { unreadable: entry.notOpened ?? `${path}: cannot be opened here` });
  }
  return files;
}

/** The ServiceItem of one entry. */
export function serviceItemOf(
  entry: ServiceEntry,
  computer: string,
  observed: string,
  unknown: Readonly<Record<string, string>> | undefined,
  images: ImageFiles | undefined,
): ObservedItem {
  const fields: ObservedItem["fields"] = {};
  for (const [from, to] of fieldNames) {
    const value = entry[from];
    if (value !== undefined) fields[to] = value as string | number;
  }
  const item: ObservedItem = {
    document: serviceDocument,
    key: entry.sourceKey,
    fields,
    provenance: {
      time: entry.time ?? observed,
      // No computer for offline evidence (""): the scanning machine is not the evidence's.
      ...(computer ? { computer } : {}),
      ...(entry.source !== undefined ? { source: entry.source } : {}),
      // The image as this machine opens it, for a live service only (never offline evidence).
      ...(entry.source === undefined && entry.pathOpen !== undefined
        ? { image: entry.pathOpen }
        : {}),
    },
  };
  const gaps = Object.fromEntries(
    Object.entries({ ...unknown, ...entry.notKnown }).filter(([name]) => !(name in fields)),
  );
  if (Object.keys(gaps).length > 0) item.unevaluated = gaps;
  const lazy = images?.sourceFor(entryFiles(entry, [
    ["path", entry.path, entry.pathOpen],
    ["serviceDLL", entry.serviceDll, entry.serviceDllOpen],
  ]));
  if (lazy !== undefined) item.lazy = lazy;
  return item;
}
