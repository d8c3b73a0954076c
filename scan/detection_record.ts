/**
 * What every detection record carries beyond its IOC and evidence (docs/reports.md): the host it
 * was made on, when it was observed, and the IOC's severity (openioc/severity.ts).
 *
 * @module
 */
import type { DetectionEvent } from "../contracts/events.ts";
import { DEFAULT_SEVERITY } from "../contracts/severity.ts";
import type { IocDocument } from "../openioc/model.ts";
import { iocSeverity } from "../openioc/severity.ts";

/** The host and time a run's detections were made at. */
export interface DetectionStamp {
  /** Absent when the objects did not come from this host (`match` reads them from a file). */
  host?: string;
  /** ISO 8601 UTC. */
  time: string;
}

/**
 * Sets `host`, `time` and `severity` on each detection, the severity from the document whose
 * content hash is the detection's `ioc.sha256`.
 */
export function stampDetections(
  detections: readonly DetectionEvent[],
  documents: readonly IocDocument[],
  stamp: DetectionStamp,
): void {
  const severities = new Map(
    documents.map((document) => [document.contentHash, iocSeverity(document).severity]),
  );
  for (const detection of detections) {
    if (stamp.host !== undefined) detection.host = stamp.host;
    detection.time = stamp.time;
    detection.severity = severities.get(detection.ioc.sha256) ?? DEFAULT_SEVERITY;
  }
}
