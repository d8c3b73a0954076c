/**
 * The antivirus hand-off as a collector of findings: it yields no object;
 * it hands the critical set (the files of the other critical areas) to an
 * antivirus engine and reports what the engine said as findings of its own
 * source (docs/critical-scan.md). A collector, so that the critical-areas
 * scan stays one `runScan` (one orchestration: findings, store, summary and
 * exit code as for any collector).
 *
 * - each detection: a finding `antivirus` (severity `detection`: exit 1);
 * - each file the engine could not scan: a skip (never clean, never a hit),
 *   and one finding `antivirus-files-not-scanned` (severity `incomplete`);
 * - no engine, or one that cannot scan (not installed, no signature
 *   database, Defender passive): a finding `antivirus-unavailable`
 *   (severity `incomplete`: the run is incomplete, exit 3 unless something
 *   was detected), never "clean".
 *
 * @module
 */
import type { Collector, CollectorFinding, CollectRequest } from "../../collectors/collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import type { AntivirusEngine } from "./antivirus.ts";

/** The collector's name (`--types antivirus`). */
export const antivirusCollectorName = "antivirus";
/** A file the engine flagged. */
export const antivirusFinding = "antivirus";
/** No verdict at all: no engine, or one that cannot scan. */
export const antivirusUnavailable = "antivirus-unavailable";
/** Files of the critical set the engine did not scan. */
export const antivirusFilesNotScanned = "antivirus-files-not-scanned";

/** One file of the critical set: as shown, and as the engine opens it. */
export interface CriticalFile {
  /** The path as the scan shows it (`/tmp/x (deleted)`). */
  path: string;
  /** What the engine is given (`/proc/<pid>/exe`, the path itself). */
  openPath: string;
}

/** The critical set, as the other critical areas list it. */
export interface CriticalSet {
  files: CriticalFile[];
  /** Parts of the set that could not be listed (a skipped area). */
  gaps: string[];
}

/** How the collector is built. */
export interface AntivirusCollectorOptions {
  /** The engine, or why there is none (`--antivirus auto` on a host without one). */
  readonly engine: AntivirusEngine | { readonly unavailable: string };
  /** Lists the critical set (run when the collector runs). */
  criticalSet(signal?: AbortSignal): Promise<CriticalSet>;
  /** The clock of findings (tests). */
  readonly now?: () => Date;
}

/** The figures of a run. */
export interface AntivirusStats {
  engine: string;
  files: number;
  detections: number;
  notScanned: number;
}

/** The antivirus collector with its last run's figures. */
export interface AntivirusCollector extends Collector {
  readonly stats: Readonly<AntivirusStats>;
}

/** Creates the collector. */
export function createAntivirusCollector(options: AntivirusCollectorOptions): AntivirusCollector {
  const engineName = "name" in options.engine ? options.engine.name : "none";
  let stats: AntivirusStats = { engine: engineName, files: 0, detections: 0, notScanned: 0 };
  return {
    name: antivirusCollectorName,
    documents: [],
    get stats() {
      return { ...stats };
    },
    collect(request) {
      stats = { engine: engineName, files: 0, detections: 0, notScanned: 0 };
      return handOff(options, request, stats);
    },
  };
}

/** Whether a file is gone (a process that ended took its `/proc/<pid>/…` with it). */
async function vanished(file: string): Promise<boolean> {
  try {
    await Deno.stat(file);
    return false;
  } catch (error) {
    return error instanceof Deno.errors.NotFound;
  }
}

// deno-lint-ignore require-yield
async function* handOff(
  options: AntivirusCollectorOptions,
  request: CollectRequest,
  stats: AntivirusStats,
): AsyncGenerator<ObservedItem> {
  const now = options.now ?? (() => new Date());
  const engine = options.engine;
  const source = "name" in engine ? engine.name : antivirusCollectorName;
  const finding = (entry: Omit<CollectorFinding, "source" | "time">) =>
    request.reporter.finding?.({ source, time: now().toISOString(), ...entry });
  if (!("name" in engine)) {
    finding({
      kind: antivirusUnavailable,
      object: "antivirus",
      severity: "incomplete",
      detail: `no antivirus verdict: ${engine.unavailable}`,
    });
    return;
  }
  const set = await options.criticalSet(request.signal);
  if (request.signal?.aborted) return;
  for (const gap of set.gaps) {
    request.reporter.warning({
      collector: antivirusCollectorName,
      code: "critical-set-partial",
      message: `part of the critical set was not listed for the antivirus: ${gap}`,
    });
  }
  const byOpenPath = new Map<string, string>();
  for (const file of set.files) byOpenPath.set(file.openPath, file.path);
  const files = [...byOpenPath.keys()];
  stats.files = files.length;
  const report = await engine.scan(files, request.signal);
  if (!report.available) {
    finding({
      kind: antivirusUnavailable,
      object: engine.name,
      severity: "incomplete",
      detail: `antivirus unavailable: ${report.why}`,
      data: { engine: engine.name },
    });
    return;
  }
  for (const note of report.notes) {
    request.reporter.warning({
      collector: antivirusCollectorName,
      code: "antivirus-note",
      message: note,
    });
  }
  for (const detection of report.detections) {
    stats.detections++;
    const shown = byOpenPath.get(detection.file) ?? detection.file;
    finding({
      kind: antivirusFinding,
      object: shown,
      severity: "detection",
      detail: `${engine.name}: ${detection.signature}`,
      data: {
        engine: engine.name,
        signature: detection.signature,
        ...(shown === detection.file ? {} : { opened: detection.file }),
      },
    });
  }
  let notScanned = 0;
  for (const skip of report.skipped) {
    // A file gone since it was listed (its process ended) is no blind spot: there is nothing left
    // to scan. Any other file the engine did not scan is.
    const gone = skip.reason === "unreadable" && await vanished(skip.file);
    if (!gone) notScanned++;
    request.reporter.skipped({
      collector: antivirusCollectorName,
      object: byOpenPath.get(skip.file) ?? skip.file,
      reason: gone ? "not-found" : skip.reason,
      detail: `${engine.name}: ${skip.detail}${gone ? " (gone since it was listed)" : ""}`,
    });
  }
  stats.notScanned = notScanned;
  if (notScanned > 0) {
    finding({
      kind: antivirusFilesNotScanned,
      object: engine.name,
      severity: "incomplete",
      detail: `${notScanned} file(s) of the critical set were not scanned by ` +
        `${engine.name} (each is a skipped record): they have no antivirus verdict`,
      data: { engine: engine.name, files: notScanned },
    });
  }
}
