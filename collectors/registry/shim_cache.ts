/**
 * ShimCache entries as RegistryItem objects: the AppCompatCache value of a
 * SYSTEM hive (the control set `Select\Current` names), parsed by
 * formats/shimcache, one object per cache entry (docs/registry.md,
 * "ShimCache").
 *
 * Each object is the AppCompatCache value (its `Hive`, `KeyPath`, `Path`,
 * `ValueName`, `Type`, `ReportedLengthInBytes` and the key's fields) with a
 * `ShimCache` record: `ExecutablePath`, `LastModified`, `Executed` (Vista, 7,
 * 8), `Position` (1 is the most recent). A cache that cannot be read in full
 * (no value, an unknown layout, damage) also yields the value itself with
 * `ShimCache` unevaluated, so an IOC that could have fired on the entries
 * left unread is undecided rather than clean.
 *
 * @module
 */
import { parseAppCompatCache } from "../../formats/shimcache/mod.ts";
import type { ShimCacheEntry } from "../../formats/shimcache/mod.ts";
import { valueTypeName } from "../../formats/regf/mod.ts";
import type { FieldValue, ObservedFields, ObservedItem } from "../../contracts/observed_item.ts";
import type { CollectorReporter } from "../collector.ts";
import { keyItem, keyPathOf, REGISTRY_DOCUMENT } from "./registry_item.ts";
import type { RegistryKeyRecord, RegistryMount, RegistryValueRecord } from "./source.ts";

/** The top-level RegistryItem field of the cache entries. */
export const SHIM_CACHE_FIELD = "ShimCache";

/** The value's name. */
const VALUE_NAME = "AppCompatCache";

/** Where the value lives below a control set, newest layout first (XP's key last). */
const CACHE_KEYS: readonly (readonly string[])[] = [
  ["Control", "Session Manager", "AppCompatCache"],
  ["Control", "Session Manager", "AppCompatibility"],
];

/** REG_DWORD. */
const REG_DWORD = 4;

/** Whether the IOCs need the ShimCache record of RegistryItem objects. */
export function needsShimCache(needs: ReadonlyMap<string, ReadonlySet<string>>): boolean {
  for (const [document, fields] of needs) {
    if (document.toLowerCase() !== REGISTRY_DOCUMENT.toLowerCase()) continue;
    for (const field of fields) {
      if (field.toLowerCase() === SHIM_CACHE_FIELD.toLowerCase()) return true;
    }
  }
  return false;
}

/** A value's bytes: raw from hives and advapi32, decoded hex from `reg query`. */
function bytesOf(record: RegistryValueRecord | undefined): Uint8Array | undefined {
  if (record === undefined) return undefined;
  if (record.data !== undefined) return record.data;
  return record.decoded instanceof Uint8Array ? record.decoded : undefined;
}

/** A REG_DWORD's number, from raw bytes or `reg query`'s decoded number. */
function dwordOf(record: RegistryValueRecord | undefined): number | undefined {
  if (record?.type !== REG_DWORD) return undefined;
  if (typeof record.decoded === "number") return record.decoded;
  const data = record.data;
  if (data === undefined || data.length < 4) return undefined;
  return new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
}

/** The control set `Select` names current (`ControlSet001`), or undefined. */
export function currentControlSet(mount: RegistryMount): string | undefined {
  for (const name of ["Current", "Default"]) {
    const number = dwordOf(mount.readValue(["Select"], name));
    if (number !== undefined && number >= 1 && number <= 999) {
      return `ControlSet${String(number).padStart(3, "0")}`;
    }
  }
  return undefined;
}

/** Where a mount's cache was found. */
interface FoundCache {
  path: string[];
  key: RegistryKeyRecord;
  record: RegistryValueRecord;
  bytes: Uint8Array;
}

function findCache(mount: RegistryMount, controlSet: string): FoundCache | undefined {
  for (const below of CACHE_KEYS) {
    const path = [controlSet, ...below];
    const record = mount.readValue(path, VALUE_NAME);
    const bytes = bytesOf(record);
    if (record === undefined || bytes === undefined) continue;
    const visit = mount.walk(path, false);
    for (const found of visit ?? []) return { path, key: found.key, record, bytes };
  }
  return undefined;
}

/**
 * The ShimCache objects of one SYSTEM mount (none for other hives). Problems
 * with the value become warnings naming the hive file and the offset.
 */
export function* shimCacheItems(
  mount: RegistryMount,
  reporter: CollectorReporter,
  collector: string,
): Generator<ObservedItem> {
  if (mount.role !== "SYSTEM") return;
  const controlSet = currentControlSet(mount);
  const where = mount.file ?? `${mount.root}\\${mount.mountPath}`;
  const found = controlSet === undefined ? undefined : findCache(mount, controlSet);
  if (controlSet === undefined || found === undefined) {
    const why = controlSet === undefined
      ? "the hive names no current control set (Select\\Current)"
      : `no AppCompatCache value under ${controlSet}\\Control\\Session Manager`;
    reporter.warning({
      collector,
      code: "shimcache-not-found",
      message: `ShimCache not read: ${why}`,
      ...(mount.file === undefined ? {} : { file: mount.file }),
    });
    // The hive's root key stands for the cache that could not be found.
    const root = [...(mount.walk([], false) ?? [])][0];
    if (root === undefined) return;
    yield {
      ...keyItem(mount, keyPathOf(mount, ""), root.key),
      unevaluated: { [SHIM_CACHE_FIELD]: `ShimCache not read from ${where}: ${why}` },
    };
    return;
  }
  const keyPath = keyPathOf(mount, found.path.join("\\"));
  const valuePath = `${mount.root}\\${keyPath}\\${VALUE_NAME}`;
  const base = (): ObservedFields => ({
    ...keyFields(mount, keyPath, found.key),
    Path: valuePath,
    ValueName: VALUE_NAME,
    Type: valueTypeName(found.record.type),
    ReportedLengthInBytes: found.record.reportedLength,
  });
  const cache = parseAppCompatCache(found.bytes);
  for (const problem of cache.problems) {
    reporter.warning({
      collector,
      code: problem.code,
      message: `${valuePath}: ${problem.message}`,
      ...(mount.file === undefined ? {} : { file: mount.file }),
      place: `offset ${problem.offset} of the AppCompatCache value`,
    });
  }
  for (const entry of cache.entries) {
    yield {
      document: REGISTRY_DOCUMENT,
      key: `${valuePath}[${entry.position}]`,
      fields: { ...base(), [SHIM_CACHE_FIELD]: shimCacheRecord(entry) },
      ...provenance(mount),
    };
  }
  if (cache.problems.length > 0) {
    yield {
      document: REGISTRY_DOCUMENT,
      key: valuePath,
      fields: base(),
      unevaluated: {
        [SHIM_CACHE_FIELD]: `the AppCompatCache value of ${where} was read only in part ` +
          `(${cache.entries.length} entries): ${cache.problems[0]!.message}`,
      },
      ...provenance(mount),
    };
  }
}

/** The `ShimCache` record of one entry. */
function shimCacheRecord(entry: ShimCacheEntry): FieldValue {
  const record: { [name: string]: FieldValue } = {
    ExecutablePath: entry.path,
    Position: entry.position,
  };
  if (entry.lastModified !== undefined) record.LastModified = entry.lastModified;
  if (entry.executed !== undefined) record.Executed = entry.executed;
  return record;
}

function keyFields(mount: RegistryMount, keyPath: string, key: RegistryKeyRecord): ObservedFields {
  const fields: ObservedFields = {
    Hive: mount.root,
    KeyPath: keyPath,
    NumSubKeys: key.numSubKeys,
    NumValues: key.numValues,
  };
  if (key.modified) fields.Modified = key.modified;
  return fields;
}

function provenance(mount: RegistryMount): { provenance?: { source: string } } {
  return mount.file === undefined ? {} : { provenance: { source: mount.file } };
}
