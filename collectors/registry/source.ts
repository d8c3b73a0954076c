/**
 * The small interface between the registry collector and where registry
 * data comes from: hive files (offline), advapi32 (live Windows) or recorded
 * `reg query` output. Everything above it is tested through the hive files.
 *
 * @module
 */
import type { DecodedValue } from "../../formats/regf/mod.ts";
import type { RootName } from "./hive_names.ts";

/** What a hive holds, which decides where it is mounted. */
export type HiveRole =
  | "SYSTEM"
  | "SOFTWARE"
  | "SAM"
  | "SECURITY"
  | "DEFAULT"
  | "NTUSER"
  | "USRCLASS"
  | "COMPONENTS"
  | "AMCACHE"
  | "OTHER";

/** One value as a source reports it. */
export interface RegistryValueRecord {
  /** The value name; empty for the default value. */
  name: string;
  /** The value type number (REG_SZ = 1…). */
  type: number;
  /** The data size the source reports. */
  reportedLength: number;
  /** The raw data, when the source has it (hives, advapi32). */
  data?: Uint8Array;
  /** Data already decoded, for sources that only give text (`reg query`). */
  decoded?: DecodedValue;
}

/** One key as a source reports it. */
export interface RegistryKeyRecord {
  /** The name. */
  name: string;
  /** The key's last-written time. */
  modified?: Date;
  /** Number of subkeys. */
  numSubKeys: number;
  /** Number of values. */
  numValues: number;
}

/** One key of a walk: the key, its path below the mount (as stored) and its values. */
export interface KeyVisit {
  /** The key itself. */
  key: RegistryKeyRecord;
  /** The key's path below the mount, segments joined with `\` and spelled as stored; `""` for the mount's root. */
  path: string;
  /** Reads the key's values (damaged ones are left out, with warnings). */
  values(): RegistryValueRecord[];
}

/** A problem a source met, in collector-warning terms. */
export interface SourceWarning {
  /** A stable code for the warning. */
  code: string;
  /** What happened, for people. */
  message: string;
  /** The file path. */
  file?: string;
  /** Where in the file (an offset), when known. */
  place?: string;
}

/** One hive as mounted at its live name, e.g. `HKEY_LOCAL_MACHINE\SOFTWARE`. */
export interface RegistryMount {
  /** The root the hive is mounted under. */
  readonly root: RootName;
  /** The mount's key below the root: `SOFTWARE`, `SYSTEM`, a SID, `<SID>_Classes`. */
  readonly mountPath: string;
  /** What the hive holds. */
  readonly role: HiveRole;
  /** The hive file, for offline mounts. */
  readonly file?: string;
  /** The profile folder name, for user hives. */
  readonly username?: string;
  /** The user's SID, for user hives, when known. */
  readonly sid?: string;
  /** True when the hive was recovered from its transaction logs. */
  readonly recovered?: boolean;
  /**
   * The key at `path` (segments below the mount, any case) and, when
   * `recursive`, every key below it, parents first; undefined when the key
   * does not exist. Never throws for damaged data: that becomes warnings.
   */
  walk(path: readonly string[], recursive: boolean): Iterable<KeyVisit> | undefined;
  /** Reads one value of the key at `path`, or undefined. */
  readValue(path: readonly string[], name: string): RegistryValueRecord | undefined;
  /** The subkey names of the key at `path`, or undefined when it does not exist. */
  subkeyNames(path: readonly string[]): string[] | undefined;
  /** Warnings gathered so far (each returned once). */
  takeWarnings(): SourceWarning[];
}
