/**
 * Scan orchestration: a task in, events and a stored run out.
 *
 * @example
 * ```ts ignore
 * import { runScan } from "./mod.ts";
 * const outcome = await runScan(
 *   { version: 1, iocPaths: ["iocs"], scopes: [{ path: "/srv" }] },
 *   { event: (event) => console.log(JSON.stringify(event)) },
 * );
 * ```
 *
 * @module
 */
export {
  runScan,
  type RunScanOptions,
  type ScanEventSink,
  type ScanOutcome,
  ScanSetupError,
} from "./run_scan.ts";
export {
  parseScanTask,
  readScanTask,
  type ScanTask,
  type ScopeSpec,
  TaskFileError,
} from "./task_file.ts";
export { type ClassifiedEvidence, classifyEvidence } from "./classify_evidence.ts";
export {
  collectorForDocument,
  type CollectorSelection,
  selectCollectors,
} from "./collector_selection.ts";
export {
  collectorDescriptor,
  collectorDescriptors,
  registerCollector,
  scanCollectors,
} from "./collector_list.ts";
export {
  type BuildOutcome,
  type CollectorDescriptor,
  type CollectorSource,
  type ScanEvidence,
  type TaskOption,
  taskOption,
  type TaskOptionKind,
} from "./collector_descriptor.ts";
export { observeCollected } from "./observe_collected.ts";
export {
  HANDLED_SIGNALS,
  type HandledSignal,
  interruptionOf,
  type InterruptWatch,
  ScanInterruption,
  watchInterrupts,
  type WatchInterruptsOptions,
} from "./interrupt.ts";
export { storeRun, StoreWriteError } from "./store_run.ts";
export { parseTimeBound } from "./parse_time.ts";
