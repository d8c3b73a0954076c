/**
 * What every source of the port collector gives: the endpoints it read, the
 * objects it could not read (never silence) and what it worked around. One
 * source per platform (linux_source.ts, windows_source.ts, cim_source.ts), so
 * the collector is tested on recorded data.
 *
 * @module
 */
import type { CollectorWarning, SkippedObject } from "../collector.ts";
import type { PortRecord } from "./port_record.ts";
import { portCollectorName, portDocumentName } from "./names.ts";

export { portCollectorName, portDocumentName } from "./names.ts";

/** What one read of the connection tables gave. */
export interface PortTableRead {
  readonly ports: PortRecord[];
  readonly skips: SkippedObject[];
  readonly warnings: CollectorWarning[];
  /** Figures of the read (processes looked at, namespaces, sockets…). */
  readonly stats: Readonly<Record<string, number | string>>;
}

/** A source of the connection tables. */
export interface PortSource {
  /** What it reads, for messages: `proc-net`, `iphlpapi`, `Get-NetTCPConnection`. */
  readonly name: string;
  read(signal?: AbortSignal): Promise<PortTableRead>;
}

/** A skip of the port collector: one object (a process) it could not read. */
export function portSkip(
  object: string,
  reason: SkippedObject["reason"],
  detail?: string,
): SkippedObject {
  return { collector: portCollectorName, object, reason, ...(detail ? { detail } : {}) };
}

/**
 * A skip of a whole table or source: sockets went unseen, so PortItem counts
 * as not read (an IOC on it that did not fire is undecided, not clean).
 */
export function portTableSkip(
  object: string,
  reason: SkippedObject["reason"],
  detail: string,
): SkippedObject {
  return { ...portSkip(object, reason, detail), unreadDocuments: [portDocumentName] };
}

/** A warning of the port collector. */
export function portWarning(code: string, message: string, file?: string): CollectorWarning {
  return { collector: portCollectorName, code, message, ...(file ? { file } : {}) };
}

/** The message of anything thrown. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
