/**
 * The source interface of the task collector: one per scheduler family and
 * evidence kind (Linux files below a root; Windows task files and TaskCache,
 * live or from an image), so that the collector's logic is tested on files
 * and hives built by code.
 *
 * @module
 */
import type { SkipReason } from "../collector.ts";
import type { TaskRecord } from "./task_record.ts";

/** What a source yields: a task, a skipped object, or a warning. */
export type TaskSourceEvent =
  | { readonly record: TaskRecord }
  | {
    readonly skip: {
      readonly object: string;
      readonly reason: SkipReason;
      readonly detail: string;
      /** Set when the whole source could not be read: the scan treats TaskItem as unread. */
      readonly unreadDocuments?: readonly string[];
    };
  }
  | {
    readonly warning: { readonly code: string; readonly message: string; readonly file?: string };
  };

/** One place tasks are read from. */
export interface TaskSource {
  /** How the source is named in stats. */
  readonly name: string;
  read(signal?: AbortSignal): AsyncIterable<TaskSourceEvent>;
}

/** The largest task file read (crontabs, units, task XML): real ones are a few KiB. */
export const maxTaskFileBytes = 1024 * 1024;
/** The most files one folder of tasks yields (a folder flooded with files is cut, and says so). */
export const maxTaskFiles = 20_000;

/**
 * A source for evidence that holds no scheduler at all (a mounted root with
 * neither a Windows task folder or SOFTWARE hive nor a Linux `/etc`): it
 * yields no task, and a warning saying so. The root was read; it holds no
 * tasks.
 */
export function noTaskSource(name: string, message: string): TaskSource {
  return {
    name,
    async *read() {
      yield { warning: { code: "no-task-scheduler", message } };
    },
  };
}
