/**
 * The services and drivers of a SYSTEM hive: the current control set (from
 * `Select\Current`), its `Services` key, one entry per subkey whose `Type`
 * says service (0x10, 0x20) or driver (0x1, 0x2, 0x8). Read with our REGF
 * parser; hive values may be hostile: they are read as data, bounded by
 * {@linkcode maxHiveServices}, and nothing of them is run.
 *
 * @module
 */
import {
  decodeValue,
  filetimeToDate,
  type KeyNode,
  type RegistryHive,
} from "../../formats/regf/mod.ts";
import type { Environment } from "../registry/mod.ts";
import { earlierImages, splitImagePath } from "./image_path.ts";
import type { ServiceEntry } from "./service_entry.ts";
import { kindOfType, startModes, typeName } from "./windows_codes.ts";

/** The most subkeys of `Services` read from one hive (a real one holds under 1000). */
export const maxHiveServices = 20_000;

/** The key path prefix of the current control set, as an analyst writes it. */
const machineSystem = "HKEY_LOCAL_MACHINE\\SYSTEM";

/** What a SYSTEM hive gave. */
export interface HiveServices {
  entries: ServiceEntry[];
  /** `ControlSet001`…, or undefined when the hive has none. */
  controlSet?: string;
  /** Subkeys without a readable `Type`, or of another type (adapters): not listed. */
  ignored: number;
  /** Whether {@linkcode maxHiveServices} cut the list. */
  capped: boolean;
  /** Why nothing could be read, when so. */
  failure?: string;
}

/**
 * The services and drivers configured in a SYSTEM hive.
 *
 * @param file The hive file (provenance).
 * @param env The machine's environment, for `%SystemRoot%` and friends.
 */
export function readHiveServices(
  hive: RegistryHive,
  file: string,
  env: Environment,
  limit: number = maxHiveServices,
): HiveServices {
  const controlSet = currentControlSet(hive);
  if (controlSet === undefined) {
    return { entries: [], ignored: 0, capped: false, failure: "no control set (Select\\Current)" };
  }
  const services = hive.findKey([controlSet, "Services"]);
  if (services === undefined) {
    return {
      entries: [],
      controlSet,
      ignored: 0,
      capped: false,
      failure: `no ${controlSet}\\Services key`,
    };
  }
  const entries: ServiceEntry[] = [];
  let ignored = 0;
  let capped = false;
  for (const key of hive.subkeys(services)) {
    if (entries.length >= limit) {
      capped = true;
      break;
    }
    const entry = entryOf(
      hive,
      key,
      `${machineSystem}\\${controlSet}\\Services\\${key.name}`,
      file,
      env,
    );
    if (entry === undefined) ignored++;
    else entries.push(entry);
  }
  return { entries, controlSet, ignored, capped };
}

/** `ControlSet00N` named by `Select\Current`, or the only control set there is. */
function currentControlSet(hive: RegistryHive): string | undefined {
  const select = hive.findKey("Select");
  const current = select === undefined
    ? undefined
    : numberValue(valuesOf(hive, select).get("current"));
  if (current !== undefined && current > 0 && current < 1000) {
    const name = `ControlSet${String(current).padStart(3, "0")}`;
    if (hive.findKey(name) !== undefined) return name;
  }
  const root = hive.rootKey();
  const sets = root ? hive.subkeys(root).filter((key) => /^ControlSet\d{3}$/i.test(key.name)) : [];
  return sets.length === 1 ? sets[0]!.name : undefined;
}

function entryOf(
  hive: RegistryHive,
  key: KeyNode,
  sourceKey: string,
  file: string,
  env: Environment,
): ServiceEntry | undefined {
  const values = valuesOf(hive, key);
  const type = numberValue(values.get("type"));
  if (type === undefined) return undefined;
  const kind = kindOfType(type);
  if (kind === undefined) return undefined;
  const entry: ServiceEntry = {
    kind,
    name: key.name,
    sourceKey,
    source: file,
    type: typeName(type),
  };
  const start = numberValue(values.get("start"));
  if (start !== undefined) entry.mode = startModes.get(start) ?? String(start);
  const display = textValue(values.get("displayname"));
  if (display !== undefined) entry.descriptiveName = display;
  const description = textValue(values.get("description"));
  if (description !== undefined) entry.description = description;
  const account = textValue(values.get("objectname"));
  if (account !== undefined) entry.startedAs = account;
  const image = textValue(values.get("imagepath"));
  if (image !== undefined) {
    const split = splitImagePath(image, env);
    entry.path = split.path;
    entry.arguments = split.arguments;
    // The SCM splits a service's line as CreateProcess does; the kernel takes a driver's whole.
    const earlier = kind === "service" ? earlierImages(image, env) : [];
    if (earlier.length > 0) entry.earlierImages = earlier;
  } else if (kind === "driver") {
    // A driver without ImagePath loads System32\drivers\<name>.sys.
    entry.path = splitImagePath(`System32\\drivers\\${key.name}.sys`, env).path;
  }
  const failure = textValue(values.get("failurecommand"));
  if (failure !== undefined) entry.failureCommand = failure;
  const parameters = hive.findKey(["Parameters"], key);
  const dll = parameters === undefined
    ? undefined
    : textValue(valuesOf(hive, parameters).get("servicedll"));
  if (dll !== undefined) {
    entry.serviceDll = splitImagePath(`"${dll.replaceAll('"', "")}"`, env).path;
  }
  const written = filetimeToDate(key.lastWritten);
  if (written !== undefined) entry.time = written.toISOString();
  return entry;
}

type Decoded = ReturnType<typeof decodeValue>;

/** A key's values by lower-case name, decoded (the first of duplicate names wins). */
function valuesOf(hive: RegistryHive, key: KeyNode): Map<string, Decoded> {
  const values = new Map<string, Decoded>();
  for (const value of hive.values(key)) {
    const name = value.name.toLowerCase();
    if (values.has(name)) continue;
    try {
      values.set(name, decodeValue(value.type, hive.valueData(value)));
    } catch {
      // Unreadable data: the value is left out, as if absent.
    }
  }
  return values;
}

function numberValue(value: Decoded | undefined): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  return undefined;
}

function textValue(value: Decoded | undefined): string | undefined {
  if (typeof value === "string") return value.replace(/\0+$/, "");
  if (Array.isArray(value)) return value.join(" ");
  return undefined;
}
