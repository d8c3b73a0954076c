/**
 * The tasks of a system as plain entries, for views over several collectors
 * (the autoruns view): each task's name, the image its first `Exec` action
 * runs, that action's arguments, whether it is enabled, and the file it was
 * read from.
 *
 * @module
 */
import type { TaskSource } from "./task_source.ts";

/** One scheduled task, as an autostart entry. */
export interface TaskEntry {
  /** The task's name (`\Folder\Task` on Windows, `/etc/crontab:12`, `backup.timer`). */
  readonly name: string;
  /** The program of the first `Exec` action, as written (variables expanded); undefined without one. */
  readonly imagePath?: string;
  /** The file this machine opens for that program (for hashing), when it can be told. */
  readonly imageOpenPath?: string;
  readonly arguments?: string;
  /** Undefined when the source cannot tell (a TaskCache entry without its XML file). */
  readonly enabled?: boolean;
  /** The file the task was read from, as the scanned system names it. */
  readonly sourceFile?: string;
  /** Windows flags and iocscan's own (`XML_FILE_MISSING`…). */
  readonly flags: readonly string[];
}

/** The tasks of `sources` (skips and warnings are passed to `report`, never dropped). */
export async function listTasks(
  sources: readonly TaskSource[],
  report: (event: { skip?: unknown; warning?: unknown }) => void = () => {},
  signal?: AbortSignal,
): Promise<TaskEntry[]> {
  const entries: TaskEntry[] = [];
  for (const source of sources) {
    for await (const event of source.read(signal)) {
      if (!("record" in event)) {
        report(event);
        continue;
      }
      const record = event.record;
      const exec = record.actions.find((action) => action.type === "Exec");
      entries.push({
        name: record.virtualPath ?? record.name,
        ...(exec?.programPath === undefined ? {} : { imagePath: exec.programPath }),
        ...(record.imageOpenPath === undefined ? {} : { imageOpenPath: record.imageOpenPath }),
        ...(exec?.arguments === undefined ? {} : { arguments: exec.arguments }),
        ...(record.enabled === undefined ? {} : { enabled: record.enabled }),
        ...(record.file === undefined ? {} : { sourceFile: record.file }),
        flags: record.flags ?? [],
      });
    }
  }
  return entries;
}
