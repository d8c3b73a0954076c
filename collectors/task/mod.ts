/**
 * The task collector: `TaskItem` objects of the scheduled tasks of Windows
 * (task XML files and the TaskCache keys, live or from an image) and Linux
 * (cron, anacron, systemd timers, `at`), their images hashed lazily.
 *
 * @example
 * ```ts ignore
 * import { createTaskCollector, linuxTaskSource } from "./mod.ts";
 * const collector = createTaskCollector({ sources: [linuxTaskSource({ root: "/" })] });
 * ```
 *
 * @module
 */
export {
  createTaskCollector,
  maxTasks,
  taskCollectorName,
  type TaskCollectorOptions,
  type TaskCollectorStats,
  taskDocuments,
} from "./collector.ts";
export type {
  CrontabFacts,
  TaskAction,
  TaskCacheState,
  TaskKind,
  TaskRecord,
  TaskTrigger,
} from "./task_record.ts";
export { taskDocument } from "./task_record.ts";
export { taskItemOf, type TaskObservation } from "./task_item.ts";
export {
  maxTaskFileBytes,
  noTaskSource,
  type TaskSource,
  type TaskSourceEvent,
} from "./task_source.ts";
export { linuxTaskSource, type LinuxTaskSourceOptions } from "./linux_source.ts";
export {
  imageFileOpener,
  liveImageOpener,
  taskCacheFlags,
  tasksFolderSegments,
  windowsTaskSource,
  type WindowsTaskSourceOptions,
} from "./windows_source.ts";
export {
  decodeDynamicInfo,
  decodeTaskActions,
  readTaskCache,
  taskCachePath,
} from "./task_cache.ts";
export { decodeTaskText, parseTaskXml } from "./task_xml.ts";
export { cronCommand, parseAnacrontab, parseCrontab } from "./crontab.ts";
export { splitCommand } from "./command_image.ts";
export { listTasks, type TaskEntry } from "./task_list.ts";
