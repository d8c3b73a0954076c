/**
 * The task collector: one `TaskItem` per scheduled task of its sources
 * (Windows task files and TaskCache, Linux cron, anacron, systemd timers and
 * `at`), the first `Exec` action's image hashed lazily (`md5sum`,
 * `sha1sum`, `sha256sum`) through the file collector's machinery
 * (collectors/process/'s `ImageHashing`). Capped: past `maxObjects` tasks the
 * rest are not read, and a `source-unavailable` skip names TaskItem as
 * unread, so that an IOC on tasks is undecided rather than clean.
 *
 * @module
 */
import { thisComputerName } from "../live/mod.ts";
import type { Collector, CollectRequest } from "../collector.ts";
import type { FieldValue, ObservedItem } from "../../contracts/observed_item.ts";
import { type FileFieldName, wantsDigests } from "../file/mod.ts";
import { createImageHasher, type FileOpener, hostFileOpener } from "../hashing/mod.ts";
import { ImageHashing } from "../process/mod.ts";
import { taskItemOf, type TaskObservation } from "./task_item.ts";
import { taskDocument, type TaskRecord } from "./task_record.ts";
import { TaskImageFields } from "./task_image_fields.ts";
import type { TaskSource } from "./task_source.ts";

/** The collector's name. */
export const taskCollectorName = "task";
/** The documents it produces. */
export const taskDocuments: readonly string[] = [taskDocument];
/** The most tasks read (a Windows server has a few hundred). */
export const maxTasks = 100_000;

/** TaskItem's lazy field (lower case) → the file collector's field. */
const lazyImageFields: ReadonlyMap<string, FileFieldName> = new Map([
  ["md5sum", "Md5sum"],
  ["sha1sum", "Sha1sum"],
  ["sha256sum", "Sha256sum"],
]);

/** The figures of a run. */
export interface TaskCollectorStats {
  sources: string[];
  tasks: number;
  skipped: number;
  warnings: number;
}

/** How the collector is made. */
export interface TaskCollectorOptions {
  readonly sources: readonly TaskSource[];
  readonly observe?: () => TaskObservation;
  readonly maxObjects?: number;
  /** Hash in this thread with this opener (tests); by default two hash workers. */
  readonly opener?: FileOpener;
  readonly hashWorkers?: number;
  /**
   * Whether IOCs read an action's own digests (`ActionList/Action/ExecProgramMd5sum`…): then
   * `ActionList` is a lazy field, each `Exec` action's image hashed when it is read.
   */
  readonly actionDigests?: boolean;
}

/** Creates the task collector. */
export function createTaskCollector(
  options: TaskCollectorOptions,
): Collector & { readonly stats: Readonly<TaskCollectorStats> } {
  let stats = emptyStats(options);
  return {
    name: taskCollectorName,
    documents: taskDocuments,
    get stats() {
      return stats;
    },
    collect(request) {
      stats = emptyStats(options);
      return collectTasks(options, request, stats);
    },
  };
}

function emptyStats(options: TaskCollectorOptions): TaskCollectorStats {
  return { sources: options.sources.map((s) => s.name), tasks: 0, skipped: 0, warnings: 0 };
}

async function* collectTasks(
  options: TaskCollectorOptions,
  request: CollectRequest,
  stats: TaskCollectorStats,
): AsyncGenerator<ObservedItem> {
  const needs = request.needs.get(taskDocument);
  if (needs === undefined) return;
  const { reporter } = request;
  const actionDigests = options.actionDigests === true &&
    [...needs].some((name) => name.toLowerCase() === "actionlist");
  const wanted = new Set<FileFieldName>([
    ...[...needs].flatMap((name) => lazyImageFields.get(name.toLowerCase()) ?? []),
    ...(actionDigests ? lazyImageFields.values() : []),
  ]);
  const hasher = wanted.size === 0 ? undefined : createImageHasher(options, wantsDigests(wanted));
  const hashing = hasher && new ImageHashing({
    hasher,
    opener: options.opener ?? hostFileOpener(),
    wanted,
    followSymlinks: true,
    reporter: {
      ...reporter,
      skipped(entry) {
        stats.skipped++;
        reporter.skipped(entry);
      },
    },
    collector: taskCollectorName,
    countBytes() {},
  });
  const limit = options.maxObjects ?? maxTasks;
  const observe = options.observe ?? liveObservation;
  try {
    for (const source of options.sources) {
      for await (const event of source.read(request.signal)) {
        if (request.signal?.aborted) return;
        if ("skip" in event) {
          stats.skipped++;
          reporter.skipped({ collector: taskCollectorName, ...event.skip });
        } else if ("warning" in event) {
          stats.warnings++;
          reporter.warning({ collector: taskCollectorName, ...event.warning });
        } else {
          if (stats.tasks >= limit) {
            stats.skipped++;
            reporter.skipped({
              collector: taskCollectorName,
              object: source.name,
              reason: "source-unavailable",
              detail: `more than ${limit} tasks: the rest were not read`,
              unreadDocuments: taskDocuments,
            });
            return;
          }
          const record = event.record;
          const item = taskItemOf(record, observe());
          if (hashing) item.lazy = lazyFields(item, record, hashing, actionDigests);
          stats.tasks++;
          yield item;
        }
      }
    }
  } finally {
    hasher?.release();
  }
}

/** The task's lazy fields; `ActionList` moves there when its actions' digests are asked. */
function lazyFields(
  item: ObservedItem,
  record: TaskRecord,
  hashing: ImageHashing,
  actionDigests: boolean,
): TaskImageFields {
  const exec = record.actions.find((action) => action.type === "Exec");
  const eager = item.fields.ActionList as { Action: { [name: string]: FieldValue }[] } | undefined;
  if (actionDigests && eager !== undefined) delete item.fields.ActionList;
  return new TaskImageFields({
    hashing,
    ...(exec?.programPath === undefined ? {} : { program: exec.programPath }),
    ...(record.imageOpenPath === undefined ? {} : { openPath: record.imageOpenPath }),
    ...(actionDigests && eager !== undefined
      ? { actions: { records: record.actions, fields: eager.Action } }
      : {}),
  });
}

function liveObservation(): TaskObservation {
  return { time: new Date().toISOString(), computer: thisComputerName() };
}
