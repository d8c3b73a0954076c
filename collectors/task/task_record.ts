/**
 * One scheduled task as every source gives it (a Windows task XML file, a
 * TaskCache entry, a crontab line, a systemd timer, an `at` job), before it
 * becomes a `TaskItem` object (task_item.ts).
 *
 * @module
 */

/** The OpenIOC document of scheduled tasks. */
export const taskDocument = "TaskItem";

/** What kind of scheduler a task belongs to. */
export type TaskKind = "windows" | "cron" | "cron-folder" | "anacron" | "systemd-timer" | "at";

/** One action of a task (Windows has four kinds; every Linux job is an `Exec`). */
export interface TaskAction {
  /** `Exec`, `ComHandler`, `SendEmail` or `ShowMessage`, as the task XML names them. */
  readonly type: string;
  /** The program, as written (environment variables expanded where the source can). */
  readonly programPath?: string;
  /** The program's file as this machine opens it (for its digests); undefined when unknown. */
  readonly openPath?: string;
  readonly arguments?: string;
  readonly workingDirectory?: string;
  readonly comClassId?: string;
  readonly comData?: string;
  /** `SendEmail` and `ShowMessage` parts, by their TaskItem field name (`EmailTo`…). */
  readonly message?: Readonly<Record<string, string>>;
}

/** One trigger of a task. */
export interface TaskTrigger {
  /** `TimeTrigger`, `LogonTrigger`, `CalendarTrigger`… or `cron`, `OnCalendar`, `at`. */
  readonly type: string;
  readonly enabled?: boolean;
  /** ISO 8601 as written (Windows `StartBoundary`), or computed (`at`). */
  readonly begin?: string;
  readonly end?: string;
  /** How often: `daily`, `weekly`, a cron schedule, an `OnCalendar` expression… */
  readonly frequency?: string;
  readonly username?: string;
  /** A delay as written (`PT5M`, `15min`). */
  readonly delay?: string;
  readonly maxRunTime?: string;
  readonly sessionChangeType?: string;
  readonly subscription?: string;
}

/** A crontab line's parts (TaskItem's `crontab*` fields). */
export interface CrontabFacts {
  readonly minute?: string;
  readonly hour?: string;
  readonly dayOfMonth?: string;
  readonly month?: string;
  readonly dayOfWeek?: string;
  /** `@reboot`, `@daily`…; anacron's period in days. */
  readonly period?: string;
  /** `@reboot` as an event. */
  readonly event?: string;
  /** anacron's delay in minutes. */
  readonly delay?: number;
  /** anacron's job identifier. */
  readonly jobIdentifier?: string;
  readonly command: string;
}

/**
 * Whether a Windows task was found in its XML file, in the TaskCache keys of
 * SOFTWARE, or both. One without the other is how tasks are hidden (XML
 * deleted) or planted (XML dropped without registration).
 */
export type TaskCacheState = "both" | "xml-only" | "registry-only";

/** One scheduled task. */
export interface TaskRecord {
  readonly kind: TaskKind;
  /** The task's name: the XML file's name, a crontab's `file:line`, a timer unit's name. */
  readonly name: string;
  /** Windows: the task's path in the scheduler (`\Microsoft\Windows\Defrag\ScheduledDefrag`). */
  readonly virtualPath?: string;
  /** The file the task was read from, as analysts write it (the Windows form on an image). */
  readonly file?: string;
  /** The file as opened on this machine (differs from `file` on a mounted image). */
  readonly openFile?: string;
  readonly enabled?: boolean;
  readonly hidden?: boolean;
  readonly author?: string;
  readonly description?: string;
  /** RegistrationInfo/Date or TaskCache's Date, ISO 8601 as written. */
  readonly creationDate?: string;
  /** Whose account the task runs as (Principal/UserId, a crontab's user field or owner). */
  readonly account?: string;
  readonly logonType?: string;
  readonly runLevel?: string;
  readonly priority?: string;
  readonly maxRunTime?: string;
  readonly actions: readonly TaskAction[];
  readonly triggers: readonly TaskTrigger[];
  readonly crontab?: CrontabFacts;
  /** Windows: where the task was found. */
  readonly taskCache?: TaskCacheState;
  /** Windows flags (`TASK_FLAG_HIDDEN`…) and iocscan's own (`XML_FILE_MISSING`…). */
  readonly flags?: readonly string[];
  /** From TaskCache's DynamicInfo, ISO 8601 UTC. */
  readonly lastRun?: string;
  readonly lastResult?: number;
  /** The image the first `Exec` action runs, as the OS opens it; undefined when it cannot be told. */
  readonly imageOpenPath?: string;
  /** Fields the source could not tell, and why (TaskItem field path → reason). */
  readonly unevaluated?: Readonly<Record<string, string>>;
}
