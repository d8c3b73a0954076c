/**
 * Building RegistryItem objects: one per value, and one per key without
 * values. Field names are the search paths below `RegistryItem/`.
 *
 * - `Hive`: `HKEY_LOCAL_MACHINE` or `HKEY_USERS`.
 * - `KeyPath`: the key below the root, mount included
 *   (`SOFTWARE\Microsoft\Windows\CurrentVersion\Run`, `S-1-5-21-…\Software\…`).
 * - `Path`: `Hive\KeyPath\ValueName`; a default value ends in `\`, a
 *   value-less key item is the key path itself.
 * - `ValueName`: empty for the default value and for value-less keys.
 * - `Type`: `REG_SZ`…; absent for value-less keys.
 * - `Text`: the data as text (strings up to the first NUL; REG_EXPAND_SZ as
 *   stored; REG_MULTI_SZ as a list; integers in decimal; other data as hex).
 * - `Value`: like `Text`, but REG_EXPAND_SZ expanded.
 * - `NumSubKeys`, `NumValues`, `Modified` (the key's last write),
 *   `ReportedLengthInBytes` (the value's size), `Username`, `SecurityID`
 *   (user hives).
 *
 * @module
 */
import { decodeValue, toHex, valueTypeName } from "../../formats/regf/mod.ts";
import type { ObservedFields, ObservedItem, Provenance } from "../../contracts/observed_item.ts";
import { expandEnvironment } from "./environment.ts";
import type { Environment } from "./environment.ts";
import type { RegistryKeyRecord, RegistryMount, RegistryValueRecord } from "./source.ts";

/** The document name. */
export const REGISTRY_DOCUMENT = "RegistryItem";

/**
 * The fields every item of a key has, in the order items hold them (and
 * NDJSON lines write them): `Modified`, `Username` and `SecurityID` only when
 * known. The one list of the key-level fields; the NDJSON writer
 * (cli/output/registry_ndjson.ts) is built from it.
 */
export const registryKeyFieldNames = [
  "Hive",
  "KeyPath",
  "NumSubKeys",
  "NumValues",
  "Modified",
  "Username",
  "SecurityID",
] as const;

/**
 * The fields that follow the key's: of a value item all of them, of a
 * value-less key item `Path` and an empty `ValueName`.
 */
export const registryValueFieldNames = [
  "Path",
  "ValueName",
  "Type",
  "Text",
  "Value",
  "ReportedLengthInBytes",
] as const;

/** The name of a RegistryItem field. */
export type RegistryItemField =
  | typeof registryKeyFieldNames[number]
  | typeof registryValueFieldNames[number];

/**
 * The fields objects built by {@linkcode valueItem} and {@linkcode keyItem}:
 * their shape is known, which lets the NDJSON serializer take its fast path.
 */
export const registryItemFields: WeakSet<object> = new WeakSet();

/** Text and Value of a value record. */
export function valueTexts(
  record: RegistryValueRecord,
  env: Environment,
): { text: string | string[]; value: string | string[] } {
  const decoded = record.decoded ??
    decodeValue(record.type, record.data ?? new Uint8Array(0));
  if (typeof decoded === "string") {
    return {
      text: decoded,
      value: record.type === 2 ? expandEnvironment(decoded, env) : decoded,
    };
  }
  if (typeof decoded === "number" || typeof decoded === "bigint") {
    const text = decoded.toString();
    return { text, value: text };
  }
  if (Array.isArray(decoded)) return { text: decoded, value: decoded };
  const hex = toHex(decoded);
  return { text: hex, value: hex };
}

// One provenance per hive file, shared by its items (a full walk makes hundreds of thousands).
const provenances = new WeakMap<RegistryMount, Provenance>();

/** The evidence provenance of a mount's items: its hive file; none for the live registry. */
function provenanceOf(mount: RegistryMount): Provenance | undefined {
  if (mount.file === undefined) return undefined;
  let provenance = provenances.get(mount);
  if (provenance === undefined) provenances.set(mount, provenance = { source: mount.file });
  return provenance;
}

function registryObject(mount: RegistryMount, key: string, fields: ObservedFields): ObservedItem {
  const provenance = provenanceOf(mount);
  return provenance === undefined
    ? { document: REGISTRY_DOCUMENT, key, fields }
    : { document: REGISTRY_DOCUMENT, key, fields, provenance };
}

/** The key path below the root, mount included, from the path below the mount. */
export function keyPathOf(mount: RegistryMount, path: string): string {
  if (mount.mountPath === "") return path;
  return path === "" ? mount.mountPath : `${mount.mountPath}\\${path}`;
}

/** The key-level fields, in {@linkcode registryKeyFieldNames}' order. */
function baseFields(
  mount: RegistryMount,
  keyPath: string,
  key: RegistryKeyRecord,
): ObservedFields {
  const fields: ObservedFields = {
    Hive: mount.root,
    KeyPath: keyPath,
    NumSubKeys: key.numSubKeys,
    NumValues: key.numValues,
  };
  if (key.modified) fields.Modified = key.modified;
  if (mount.username !== undefined) fields.Username = mount.username;
  if (mount.sid !== undefined) fields.SecurityID = mount.sid;
  return fields;
}

/** The item for one value. */
export function valueItem(
  mount: RegistryMount,
  keyPath: string,
  key: RegistryKeyRecord,
  record: RegistryValueRecord,
  env: Environment,
): ObservedItem {
  // Assigned in registryValueFieldNames' order.
  const fields = baseFields(mount, keyPath, key);
  const path = `${mount.root}\\${keyPath}\\${record.name}`;
  const { text, value } = valueTexts(record, env);
  fields.Path = path;
  fields.ValueName = record.name;
  fields.Type = valueTypeName(record.type);
  fields.Text = text;
  fields.Value = value;
  fields.ReportedLengthInBytes = record.reportedLength;
  registryItemFields.add(fields);
  return registryObject(mount, path, fields);
}

/** The item for a key that has no values. */
export function keyItem(
  mount: RegistryMount,
  keyPath: string,
  key: RegistryKeyRecord,
): ObservedItem {
  const fields = baseFields(mount, keyPath, key);
  const path = `${mount.root}\\${keyPath}`;
  fields.Path = path;
  fields.ValueName = "";
  registryItemFields.add(fields);
  return registryObject(mount, path, fields);
}
