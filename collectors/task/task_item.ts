/**
 * The `TaskItem` object of one task record: the 1.0 (Redline) fields and the
 * 1.1 ones (`path`, `disabled`, `userName`, `arguments`, `crontab*`,
 * `triggers/trigger/*`). A field the source cannot tell is `unevaluated`
 * with the reason, never left out silently (a negated item would hold).
 *
 * @module
 */
import type {
  FieldValue,
  ObservedFields,
  ObservedItem,
  Unevaluated,
} from "../../contracts/observed_item.ts";
import { taskDocument, type TaskRecord, type TaskTrigger } from "./task_record.ts";

/** When and where a task was observed. */
export interface TaskObservation {
  /** When it was read (ISO 8601 UTC). */
  readonly time: string;
  /** The computer's name, when known (offline evidence may not say). */
  readonly computer?: string;
}

/** Fields Linux jobs never have (Windows Task Scheduler facts). */
const windowsOnly: Readonly<Record<string, string>> = {
  AccountLogonType: "a Linux job has no logon type",
  AccountRunLevel: "a Linux job has no run level",
  VirtualPath: "a Linux job has no Task Scheduler path",
  Creator: "a Linux job records no author",
  CreationDate: "a Linux job records no creation date",
  MostRecentRunTime: "Linux schedulers keep no last-run time iocscan reads",
  ExitCode: "Linux schedulers keep no exit code iocscan reads",
};

/** Crontab fields absent from Windows tasks. */
const cronOnly: Readonly<Record<string, string>> = {
  crontabCommand: "a Windows task has no crontab line",
  crontabMinute: "a Windows task has no crontab line",
  crontabHour: "a Windows task has no crontab line",
  crontabDayOfMonth: "a Windows task has no crontab line",
  crontabMonth: "a Windows task has no crontab line",
  crontabDayOfWeek: "a Windows task has no crontab line",
  crontabPath: "a Windows task has no crontab line",
};

/** The object of one task. */
export function taskItemOf(record: TaskRecord, observation: TaskObservation): ObservedItem {
  const fields: ObservedFields = {};
  const put = (name: string, value: FieldValue) => {
    if (value !== undefined && value !== "") fields[name] = value;
  };
  const exec = record.actions.find((action) => action.type === "Exec");
  put("Name", record.name);
  put("VirtualPath", record.virtualPath);
  put("path", record.file);
  if (record.enabled !== undefined) {
    put("disabled", !record.enabled);
    put("Status", record.enabled ? "Ready" : "Disabled");
  }
  if (record.flags && record.flags.length > 0) put("Flag", record.flags.join(" | "));
  put("Comment", record.description);
  put("Creator", record.author);
  put("AccountName", record.account);
  put("userName", record.account);
  put("AccountLogonType", record.logonType);
  put("AccountRunLevel", record.runLevel);
  put("ApplicationName", exec?.programPath);
  put("Parameters", exec?.arguments);
  put("arguments", exec?.arguments);
  put("WorkingDirectory", exec?.workingDirectory);
  put("CreationDate", record.creationDate);
  put("MostRecentRunTime", record.lastRun);
  put("ExitCode", record.lastResult);
  put("MaxRunTime", record.maxRunTime);
  put("Priority", record.priority);
  if (record.actions.length > 0) {
    put("ActionList", {
      Action: record.actions.map((action) =>
        compact({
          ActionType: action.type,
          ExecProgramPath: action.programPath,
          ExecArguments: action.arguments,
          ExecWorkingDirectory: action.workingDirectory,
          COMClassId: action.comClassId,
          COMData: action.comData,
          ...action.message,
        })
      ),
    });
  }
  if (record.triggers.length > 0) {
    put("TriggerList", { Trigger: record.triggers.map(triggerFields) });
    put("triggers", {
      trigger: record.triggers.map((trigger) =>
        compact({
          type: trigger.type,
          schedule: trigger.frequency ?? trigger.begin,
          details: triggerDetails(trigger),
        })
      ),
    });
  }
  const cron = record.crontab;
  if (cron) {
    put("crontabCommand", cron.command);
    put("crontabMinute", cron.minute);
    put("crontabHour", cron.hour);
    put("crontabDayOfMonth", cron.dayOfMonth);
    put("crontabMonth", cron.month);
    put("crontabDayOfWeek", cron.dayOfWeek);
    put("crontabPeriod", cron.period);
    put("crontabEvent", cron.event);
    put("crontabDelay", cron.delay);
    put("crontabJobIdentifier", cron.jobIdentifier);
    put("crontabPath", record.file);
  }
  const unevaluated: Record<string, string> = {
    ...(record.kind === "windows" ? cronOnly : windowsOnly),
    ...record.unevaluated,
  };
  for (const name of Object.keys(unevaluated)) if (name in fields) delete unevaluated[name];
  const item: ObservedItem = {
    document: taskDocument,
    key: record.virtualPath ?? record.name,
    fields,
    provenance: {
      time: observation.time,
      ...(observation.computer ? { computer: observation.computer } : {}),
      ...(record.openFile ? { source: record.openFile } : {}),
    },
  };
  if (Object.keys(unevaluated).length > 0) item.unevaluated = unevaluated as Unevaluated;
  return item;
}

function triggerFields(trigger: TaskTrigger): { [name: string]: FieldValue } {
  return compact({
    TriggerEnabled: trigger.enabled,
    TriggerBegin: trigger.begin,
    TriggerEnd: trigger.end,
    TriggerFrequency: trigger.frequency,
    TriggerUsername: trigger.username,
    TriggerDelay: trigger.delay,
    TriggerMaxRunTime: trigger.maxRunTime,
    TriggerSessionChangeType: trigger.sessionChangeType,
    TriggerSubscription: trigger.subscription,
  });
}

function triggerDetails(trigger: TaskTrigger): string | undefined {
  const parts = [
    trigger.begin && `begin ${trigger.begin}`,
    trigger.end && `end ${trigger.end}`,
    trigger.delay && `delay ${trigger.delay}`,
    trigger.username && `user ${trigger.username}`,
    trigger.subscription && `subscription ${trigger.subscription}`,
  ].filter((part): part is string => typeof part === "string" && part !== "");
  return parts.length > 0 ? parts.join(", ") : undefined;
}

function compact(
  record: Readonly<Record<string, FieldValue>>,
): { [name: string]: FieldValue } {
  const out: { [name: string]: FieldValue } = {};
  for (const [name, value] of Object.entries(record)) {
    if (value !== undefined && value !== "") out[name] = value;
  }
  return out;
}
