/**
 * The shape of the objects that collectors produce and the matcher evaluates.
 *
 * Fields are named as in the OpenIOC search path below the document name:
 * `FileItem/PEInfo/PETimeStamp` is `fields.PEInfo.PETimeStamp`. Repeated
 * elements are arrays at any level: `ProcessItem/HandleList/Handle/Name` reads
 * `fields.HandleList.Handle[*].Name`. The matcher compares keys
 * case-insensitively, so `Md5sum` and `MD5Sum` both work; collectors should
 * still emit the catalogue's canonical spelling, which is the fast path.
 *
 * @module
 */

/** A value as observed: scalars, nested records and arrays of either. */
export type FieldValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | undefined
  | Date
  | FieldValue[]
  | { [name: string]: FieldValue };

/** The fields of an observed object, keyed by the first search-path segment. */
export type ObservedFields = { [name: string]: FieldValue };

/**
 * Fields that are expensive to compute (hashes, PE data) and are only computed
 * when an indicator still depends on them.
 */
export interface LazyFieldSource {
  /** Whether this source can produce the top-level field `name` (e.g. `Md5sum`, `PEInfo`). */
  provides(name: string): boolean;
  /**
   * Computes the named top-level fields at once (one read of the file for all
   * hashes). Fields that cannot be computed are left out of the result; the
   * source reports why through its collector's skip or warning channel.
   */
  load(names: readonly string[]): Promise<ObservedFields>;
  /**
   * The fields that the loads so far could not evaluate, and why (see
   * {@linkcode ObservedItem.unevaluated}); asked after each `load`.
   */
  unevaluated?(): Unevaluated | undefined;
}

/**
 * Fields of one object that could not be evaluated, and why: a search path
 * below the document, `/`-separated (`PEInfo/DigitalSignature/SignatureVerified`,
 * or `PEInfo/ImportedModules` for everything below it), mapped to the reason
 * in words. Keys compare case-insensitively.
 *
 * An item on such a field is **unknown** on that object unless one of the
 * values the object does carry matches it: it neither holds nor fails,
 * negated or not, so `SignatureVerified isnot true` does not hold on a file
 * whose signature was not checked. A same-object group left unknown by it
 * makes its IOC undecided (engine/session.ts, `undecided`), and the scan
 * incomplete, rather than clean.
 *
 * @example
 * ```ts
 * import type { ObservedItem } from "./observed_item.ts";
 * const file: ObservedItem = {
 *   document: "FileItem",
 *   key: "/mnt/image/Windows/notepad.exe",
 *   fields: { FullPath: "C:\\Windows\\notepad.exe" },
 *   unevaluated: { Username: "the owner of a file on a mounted image is not its Windows owner" },
 * };
 * ```
 */
export type Unevaluated = { readonly [path: string]: string };

/**
 * Where an object was read, so that an analyst can find it again. Copied into
 * the object's evidence; every part is optional.
 */
export interface Provenance {
  /**
   * The file on the scanning machine the object is or was read from: a file
   * on a mounted image (whose identity is its Windows path), the .evtx file
   * of an event, the hive file of a registry value.
   */
  source?: string;
  /** When the object was recorded (an event's `TimeCreated`), ISO 8601 UTC. */
  time?: string;
  /** The computer that recorded it (an event's `Computer`). */
  computer?: string;
  /**
   * The autostart place that starts this object (collectors/autoruns): its
   * location and entry name, `HKEY_LOCAL_MACHINE\…\Run :: Updater`, on the
   * FileItem of an autostart image and on the AutorunItem itself.
   */
  autostart?: string;
  /**
   * The file on this machine that runs as the object, as this machine opens it: a live
   * process's executable, a live service's or driver's image. Response actions act on it
   * (docs/actions.md: the quarantine of a detected process quarantines its image).
   */
  image?: string;
}

/** One observed object: a file, an event, a registry value, a process… */
export interface ObservedItem {
  /** The OpenIOC document this object belongs to, e.g. `FileItem` or `processEvent`. */
  document: string;
  /** A short human identity for evidence: a full path, `Security#4711`, a registry path. */
  key: string;
  /** The fields known now. */
  fields: ObservedFields;
  /** Fields computed on demand. */
  lazy?: LazyFieldSource;
  /** Where the object was read; copied into its evidence. */
  provenance?: Provenance;
  /** Fields that could not be evaluated on this object, and why (not the same as missing). */
  unevaluated?: Unevaluated;
}
