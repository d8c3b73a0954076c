/**
 * A hive file mounted at its live name: the offline, hive-backed
 * implementation of {@linkcode RegistryMount}.
 *
 * @module
 */
import { basename } from "node:path";
import { decodeValue, filetimeToDate, RegistryHive } from "../../formats/regf/mod.ts";
import type { KeyNode, TreeCounts } from "../../formats/regf/mod.ts";
import type { RootName } from "./hive_names.ts";
import type {
  HiveRole,
  KeyVisit,
  RegistryKeyRecord,
  RegistryMount,
  RegistryValueRecord,
  SourceWarning,
} from "./source.ts";

/** Where a hive is mounted. */
export interface MountPoint {
  /** The root the hive is mounted under. */
  root: RootName;
  /** The mount key below the root (`SOFTWARE`, a SID…). */
  mountPath: string;
  /** What the hive holds. */
  role: HiveRole;
  /** The profile folder name, for user hives. */
  username?: string;
  /** The user's SID, for user hives, when known. */
  sid?: string;
}

/** A hive file mounted at a live name. */
export class HiveMount implements RegistryMount {
  /** The root the hive is mounted under. */
  readonly root: RootName;
  readonly mountPath: string;
  /** What the hive holds. */
  readonly role: HiveRole;
  readonly file: string;
  readonly username?: string;
  readonly sid?: string;
  /** The parsed hive. */
  readonly hive: RegistryHive;
  #warningsTaken = 0;
  #unstoredReported = 0;

  /** Mounts an opened hive. */
  constructor(file: string, hive: RegistryHive, point: MountPoint) {
    this.file = file;
    this.hive = hive;
    this.root = point.root;
    this.mountPath = point.mountPath;
    this.role = point.role;
    if (point.username !== undefined) this.username = point.username;
    if (point.sid !== undefined) this.sid = point.sid;
  }

  /** True when the hive was recovered from its transaction logs. */
  get recovered(): boolean {
    return this.hive.recovery?.recovered ?? false;
  }

  /** Finds a key by segments (any case), returning it with its stored names. */
  #resolve(path: readonly string[]): { key: KeyNode; names: string[] } | undefined {
    let key = this.hive.rootKey();
    const names: string[] = [];
    for (const part of path) {
      if (!key) return undefined;
      key = this.hive.findKey([part], key);
      if (key) names.push(key.name);
    }
    return key ? { key, names } : undefined;
  }

  /** @inheritdoc */
  /** See {@linkcode RegistryMount.walk}. */
  walk(path: readonly string[], recursive: boolean): Iterable<KeyVisit> | undefined {
    const found = this.#resolve(path);
    if (!found) return undefined;
    return this.#visits(found.key, found.names, recursive);
  }

  *#visits(start: KeyNode, base: string[], recursive: boolean): Generator<KeyVisit> {
    const hive = this.hive;
    const visit = (key: KeyNode, path: string): KeyVisit => new HiveKeyVisit(hive, key, path);
    const basePath = base.join("\\");
    if (!recursive) {
      yield visit(start, basePath);
      return;
    }
    // prefixes[d] is the path of the current key at depth d, built once per key.
    const prefixes: string[] = [basePath];
    for (const step of hive.iterateKeys(start)) {
      if (step.depth === 0) {
        yield visit(step.key, basePath);
        continue;
      }
      const parent = prefixes[step.depth - 1]!;
      const path = parent === "" ? step.key.name : `${parent}\\${step.key.name}`;
      prefixes[step.depth] = path;
      yield visit(step.key, path);
    }
  }

  /** @inheritdoc */
  /** See {@linkcode RegistryMount.readValue}. */
  readValue(path: readonly string[], name: string): RegistryValueRecord | undefined {
    const found = this.#resolve(path);
    if (!found) return undefined;
    const wanted = name.toUpperCase();
    const value = this.hive.values(found.key).find((v) => v.name.toUpperCase() === wanted);
    if (!value) return undefined;
    return {
      name: value.name,
      type: value.type,
      reportedLength: value.dataSize,
      data: this.hive.valueData(value),
    };
  }

  /** @inheritdoc */
  /** See {@linkcode RegistryMount.subkeyNames}. */
  subkeyNames(path: readonly string[]): string[] | undefined {
    const found = this.#resolve(path);
    return found ? this.hive.subkeys(found.key).map((k) => k.name) : undefined;
  }

  /** Counts the whole allocated tree (root key and default values included). */
  counts(): TreeCounts {
    return this.hive.countTree();
  }

  /** @inheritdoc */
  /** See {@linkcode RegistryMount.takeWarnings}. */
  takeWarnings(): SourceWarning[] {
    const out: SourceWarning[] = [];
    const stored = this.hive.warnings;
    for (; this.#warningsTaken < stored.length; this.#warningsTaken++) {
      const w = stored[this.#warningsTaken]!;
      const warning: SourceWarning = {
        code: `regf-${w.code}`,
        message: w.message,
        file: this.file,
      };
      if (w.offset !== undefined) warning.place = `offset 0x${w.offset.toString(16)}`;
      out.push(warning);
    }
    const unstored = this.hive.warningCount - stored.length;
    if (this.#warningsTaken === stored.length && unstored > this.#unstoredReported) {
      out.push({
        code: "regf-more-warnings",
        message: `${
          unstored - this.#unstoredReported
        } more warnings about this hive were not listed`,
        file: this.file,
      });
      this.#unstoredReported = unstored;
    }
    return out;
  }
}

/** One key of a walk; its values are read when asked for. */
class HiveKeyVisit implements KeyVisit {
  readonly key: RegistryKeyRecord;
  readonly path: string;
  readonly #hive: RegistryHive;
  readonly #node: KeyNode;

  constructor(hive: RegistryHive, node: KeyNode, path: string) {
    this.key = keyRecord(node);
    this.path = path;
    this.#hive = hive;
    this.#node = node;
  }

  values(): RegistryValueRecord[] {
    const hive = this.#hive;
    const values = hive.values(this.#node);
    const records: RegistryValueRecord[] = new Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      records[i] = {
        name: value.name,
        type: value.type,
        reportedLength: value.dataSize,
        data: hive.valueData(value),
      };
    }
    return records;
  }
}

function keyRecord(key: KeyNode): RegistryKeyRecord {
  const record: RegistryKeyRecord = {
    name: key.name,
    numSubKeys: key.numSubKeys,
    numValues: key.numValues,
  };
  const modified = filetimeToDate(key.lastWritten);
  if (modified) record.modified = modified;
  return record;
}

const rolesByFileName: ReadonlyMap<string, HiveRole> = new Map([
  ["SYSTEM", "SYSTEM"],
  ["SOFTWARE", "SOFTWARE"],
  ["SAM", "SAM"],
  ["SECURITY", "SECURITY"],
  ["DEFAULT", "DEFAULT"],
  ["NTUSER.DAT", "NTUSER"],
  ["USRCLASS.DAT", "USRCLASS"],
  ["COMPONENTS", "COMPONENTS"],
  ["AMCACHE.HVE", "AMCACHE"],
]);

/** Root subkeys that identify a hive's role (after yarp's heuristics). */
const roleSigns: ReadonlyArray<[HiveRole, ReadonlyArray<readonly string[]>]> = [
  ["SYSTEM", [["CONTROLSET001", "CONTROLSET002", "CONTROLSET003"], ["SELECT"]]],
  ["SOFTWARE", [["MICROSOFT"], ["CLASSES"], ["SECURE", "POLICIES"]]],
  ["NTUSER", [["SOFTWARE"], ["CONTROL PANEL"], ["APPEVENTS", "KEYBOARD LAYOUT"]]],
  ["SECURITY", [["POLICY"], ["RXACT"]]],
  ["COMPONENTS", [["INSTALLERS"], ["CANONICALDATA"]]],
  ["SAM", [["SAM"]]],
  ["USRCLASS", [["LOCAL SETTINGS"]]],
  ["AMCACHE", [["ROOT"]]],
];

/**
 * The role of a hive: from its file name (`SYSTEM`, `NTUSER.DAT`…, any case),
 * else from its root's subkeys, else `OTHER`.
 */
export function detectRole(file: string, hive: RegistryHive): HiveRole {
  const byName = rolesByFileName.get(basename(file).toUpperCase());
  if (byName) return byName;
  const root = hive.rootKey();
  if (!root) return "OTHER";
  const names = new Set(hive.subkeys(root).map((k) => k.name.toUpperCase()));
  for (const [role, signs] of roleSigns) {
    if (signs.every((any) => any.some((name) => names.has(name)))) return role;
  }
  return "OTHER";
}

/** Decodes a string value of a record (REG_SZ/REG_EXPAND_SZ), or undefined. */
export function recordText(record: RegistryValueRecord | undefined): string | undefined {
  if (!record) return undefined;
  const decoded = record.decoded ??
    (record.data ? decodeValue(record.type, record.data) : undefined);
  if (typeof decoded === "string") return decoded;
  if (typeof decoded === "number") return String(decoded);
  return undefined;
}

/** Decodes a DWORD value of a record, or undefined. */
export function recordNumber(record: RegistryValueRecord | undefined): number | undefined {
  if (!record) return undefined;
  const decoded = record.decoded ??
    (record.data ? decodeValue(record.type, record.data) : undefined);
  if (typeof decoded === "number") return decoded;
  if (typeof decoded === "string" && /^(0x[0-9a-f]+|\d+)$/i.test(decoded.trim())) {
    return Number(decoded.trim());
  }
  return undefined;
}
