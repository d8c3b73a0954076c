/**
 * Where services and drivers are read from: one source per platform or
 * evidence kind, so that the collectors' logic is tested on recorded data.
 *
 * @module
 */
import type { SkipReason } from "../collector.ts";
import type { ServiceEntry } from "./service_entry.ts";

/** A part of a source that could not be read. */
export interface SourceSkip {
  object: string;
  reason: SkipReason;
  detail: string;
  /** The documents left unread as a whole by it (the scan reads them as not observed). */
  unreadDocuments?: readonly string[];
}

/** What a source read. */
export interface ServiceSourceResult {
  entries: ServiceEntry[];
  skips: SourceSkip[];
  warnings: { code: string; message: string }[];
  /** ServiceItem/DriverItem fields this source never knows, with why (`status` offline). */
  unknown?: Readonly<Record<string, string>>;
}

/** One way to read the services and drivers of a system. */
export interface ServiceSource {
  /** Its name in statistics: `systemd-unit-files`, `system-hive`… */
  readonly name: string;
  read(signal?: AbortSignal): Promise<ServiceSourceResult>;
}
