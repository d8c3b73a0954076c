/**
 * The critical-areas scan (docs/critical-scan.md) as a scan task: the
 * collectors of the critical areas, and the antivirus hand-off, run by the
 * one orchestration (`runScan`) with the task this module builds. The set
 * of areas is defined here, once: `iocscan critical-scan` and
 * `Start-IocCriticalScan` read it, and so does the antivirus hand-off for
 * the files it hands over.
 *
 * @module
 */
import type { ScanTask } from "./scan_task.ts";

/**
 * The collectors of the critical areas, in run order: running processes (ProcessItem, read only
 * when an IOC needs it) and their images and modules, the kernel's modules and drivers, the
 * autostart places, the fixed disks' boot records (`disk`: MBR, GPT header, volume boot records;
 * docs/disk.md; the structure check's problems as findings) and the EFI system partition's boot
 * files where it is mounted (`boot-files`).
 */
export const criticalAreaCollectors: readonly string[] = [
  "process",
  "process-modules",
  "driver",
  "autoruns",
  "disk",
  "boot-files",
];

/** The antivirus hand-off's collector, run last (it hands over what the areas above list). */
export const antivirusCollector = "antivirus";

/** What `critical-scan` was asked. */
export interface CriticalScanRequest {
  iocPaths: string[];
  /** `auto`, `clamav`, `defender`, `none` (docs/critical-scan.md). */
  antivirus: string;
  clamavDatabase?: string;
  databasePath?: string;
  taskName?: string;
}

/**
 * The task of a critical-areas scan: a scan task with the antivirus hand-off's two keys, which the
 * antivirus descriptor reads (scan/descriptors/antivirus.ts).
 */
export interface CriticalScanTask extends ScanTask {
  /** `auto`, `clamav`, `defender`, `none`. */
  antivirus?: string;
  /** The ClamAV signature database clamscan loads (`--database`). */
  clamavDatabase?: string;
}

/** The scan task of a critical-areas scan: its collectors as `types`, the hand-off's options. */
export function criticalScanTask(request: CriticalScanRequest): CriticalScanTask {
  const task: CriticalScanTask = {
    version: 1,
    iocPaths: request.iocPaths,
    types: [
      ...criticalAreaCollectors,
      ...(request.antivirus === "none" ? [] : [antivirusCollector]),
    ],
    antivirus: request.antivirus,
  };
  if (request.clamavDatabase !== undefined) task.clamavDatabase = request.clamavDatabase;
  if (request.databasePath !== undefined) task.databasePath = request.databasePath;
  if (request.taskName !== undefined) task.taskName = request.taskName;
  return task;
}
