/**
 * Which files a run's detections name for quarantine: the object of each live FileItem
 * evidence, one target per path with every IOC that named it. Evidence read from an offline
 * image (its `source` is the file under a `--root`) is never modified: it is listed apart, to be
 * reported as `refused: offline-evidence`. ProcessItem, ServiceItem and DriverItem evidence
 * names its image (provenance `image`, set by the live collectors): that file is the target,
 * with the process's pid for `terminate`; such evidence without an image (a hive's service, an
 * unreadable or deleted executable) is listed apart as `refused: image-unknown`. A FileItem of
 * a running process's image or module (the process-modules view of the critical-areas sweep)
 * names its file as `image` too; a deleted one (`… (deleted)`, read through `/proc`) has no path
 * left and is `refused: image-unknown` as well, saying so.
 *
 * @module
 */
import type { DetectionEvent, Evidence } from "../../contracts/events.ts";
import type { QuarantineTarget } from "./contract.ts";
import { pidOfProcessKey } from "../../collectors/process/process_item.ts";
import { deletedSuffix } from "../../collectors/process_modules/maps_regions.ts";

/** An IOC as a target records it. */
type TargetIoc = QuarantineTarget["iocs"][number];

/** Evidence the quarantine will not touch, and why. */
export interface UntouchedEvidence {
  readonly object: string;
  readonly reason: "offline-evidence" | "image-unknown";
  readonly detail: string;
  readonly iocs: readonly TargetIoc[];
}

/** The targets of a run's detections, and the evidence left alone. */
export interface QuarantineTargets {
  readonly targets: QuarantineTarget[];
  readonly untouched: UntouchedEvidence[];
}

/** Where one evidence's file is on this machine, or why it is left alone. */
type EvidenceFile =
  | { readonly path: string; readonly pids: readonly number[] }
  | { readonly untouched: string; readonly reason?: UntouchedEvidence["reason"] }
  | undefined;

/** The image of a process, service or driver evidence, or why there is none to act on. */
function imageFile(evidence: Evidence, pids: readonly number[]): EvidenceFile {
  if (evidence.image !== undefined) return { path: evidence.image, pids };
  if (evidence.source !== undefined) {
    return {
      untouched:
        `read from the offline evidence file ${evidence.source}; evidence is never modified`,
    };
  }
  return {
    reason: "image-unknown",
    untouched: `the ${evidence.document}'s image file is not known here (unreadable or deleted)`,
  };
}

/** Per document: the file an evidence of it names (undefined: not a file to quarantine). */
const evidenceFiles: Readonly<Record<string, (evidence: Evidence) => EvidenceFile>> = {
  FileItem: (evidence) =>
    // A running process's image or module (the critical-areas sweep) names its file as `image`.
    evidence.image !== undefined
      ? { path: evidence.image, pids: [] }
      : evidence.source === undefined
      ? { path: evidence.object, pids: [] }
      : evidence.object.includes(deletedSuffix)
      ? {
        reason: "image-unknown",
        untouched: `a deleted image, read through ${evidence.source}: no path names the file ` +
          "any more (only the running process holds it); nothing to quarantine",
      }
      : {
        untouched:
          `read from the offline image file ${evidence.source}; evidence is never modified`,
      },
  ProcessItem: (evidence) => {
    const pid = pidOfProcessKey(evidence.object);
    return imageFile(evidence, pid === undefined ? [] : [pid]);
  },
  ServiceItem: (evidence) => imageFile(evidence, []),
  DriverItem: (evidence) => imageFile(evidence, []),
};

/** The targets a run's detections name (one per path), and the offline evidence left alone. */
export function quarantineTargets(
  detections: readonly DetectionEvent[],
  runId?: number,
): QuarantineTargets {
  const targets = new Map<string, { iocs: Map<string, TargetIoc>; pids: Set<number> }>();
  const untouched = new Map<
    string,
    { detail: string; reason: UntouchedEvidence["reason"]; iocs: Map<string, TargetIoc> }
  >();
  for (const detection of detections) {
    const ioc = { id: detection.ioc.id, sha256: detection.ioc.sha256, name: detection.ioc.name };
    const iocKey = `${ioc.id}\u0000${ioc.sha256}`;
    for (const evidence of detection.evidence) {
      const file = evidenceFiles[evidence.document]?.(evidence);
      if (file === undefined) continue;
      if ("untouched" in file) {
        const entry = untouched.get(evidence.object) ?? {
          detail: file.untouched,
          reason: file.reason ?? "offline-evidence",
          iocs: new Map<string, TargetIoc>(),
        };
        entry.iocs.set(iocKey, ioc);
        untouched.set(evidence.object, entry);
        continue;
      }
      const entry = targets.get(file.path) ??
        { iocs: new Map<string, TargetIoc>(), pids: new Set<number>() };
      entry.iocs.set(iocKey, ioc);
      for (const pid of file.pids) entry.pids.add(pid);
      targets.set(file.path, entry);
    }
  }
  return {
    targets: [...targets].map(([path, entry]) => ({
      path,
      iocs: [...entry.iocs.values()],
      pids: [...entry.pids],
      ...(runId === undefined ? {} : { runId }),
    })),
    untouched: [...untouched].map(([object, entry]) => ({
      object,
      reason: entry.reason,
      detail: entry.detail,
      iocs: [...entry.iocs.values()],
    })),
  };
}
