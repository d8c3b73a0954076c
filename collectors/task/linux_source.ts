/**
 * The Linux schedulers below a root folder (`/` on the live system, a
 * mounted image offline): `/etc/crontab`, `/etc/cron.d/*`, `/etc/anacrontab`,
 * the scripts of `/etc/cron.{hourly,daily,weekly,monthly}`, the user spools
 * (`/var/spool/cron/crontabs/*`, `/var/spool/cron/*`), systemd timers with
 * the services they start, and `at` jobs (`/var/spool/cron/atjobs`,
 * `/var/spool/at`). Every file is attacker-written: it is read, never run.
 *
 * @module
 */
import { posix } from "node:path";
import { linkOutOfRoot } from "../evidence_root.ts";
import { splitCommand } from "./command_image.ts";
import { type CrontabJob, parseAnacrontab, parseCrontab, scheduleOf } from "./crontab.ts";
import type { TaskAction, TaskRecord, TaskTrigger } from "./task_record.ts";
import type { TaskSource, TaskSourceEvent } from "./task_source.ts";
import { TaskRoot, textOf } from "./task_files.ts";
import { parseUnitFile, type UnitFile, unitValues } from "./unit_file.ts";

/** The folders of run-parts scripts, and the period each stands for. */
const cronFolders: readonly (readonly [string, string])[] = [
  ["etc/cron.hourly", "hourly"],
  ["etc/cron.daily", "daily"],
  ["etc/cron.weekly", "weekly"],
  ["etc/cron.monthly", "monthly"],
];
/** User spools: Debian's, then Red Hat's (whose folder also holds other spools' folders). */
const userSpools: readonly string[] = ["var/spool/cron/crontabs", "var/spool/cron"];
/** systemd's system unit folders, highest precedence first. */
const unitFolders: readonly string[] = [
  "etc/systemd/system",
  "run/systemd/system",
  "usr/local/lib/systemd/system",
  "usr/lib/systemd/system",
  "lib/systemd/system",
];
/** The `[Timer]` settings that schedule a timer. */
const timerKeys: readonly string[] = [
  "OnCalendar",
  "OnActiveSec",
  "OnBootSec",
  "OnStartupSec",
  "OnUnitActiveSec",
  "OnUnitInactiveSec",
];
/** `at` spools: Debian's, then others'. */
const atSpools: readonly string[] = ["var/spool/cron/atjobs", "var/spool/at"];
/** An `at` job file's name: queue, job number (5 hex digits), run time in minutes (8 hex). */
const atJobName = /^([a-zA-Z=])([0-9a-f]{5})([0-9a-f]{8})$/;
/** The here-document that holds an `at` job's commands. */
const atHereDocument = /<<\s*'?([A-Za-z0-9_]+)'?\s*$/;
/** ExecStart= prefixes that change how systemd runs the program, not which. */
const execPrefixes = /^[-@:+!]+/;
/** The most commands read from one `at` job. */
const maxAtCommands = 100;

/** Options of {@linkcode linuxTaskSource}. */
export interface LinuxTaskSourceOptions {
  /** The folder holding the system's `/etc` and `/var` (default `/`, the live system). */
  readonly root?: string;
}

/**
 * The Linux scheduled jobs below `root`.
 *
 * @example
 * ```ts ignore
 * import { linuxTaskSource } from "./linux_source.ts";
 * for await (const event of linuxTaskSource({ root: "/mnt/image" }).read()) console.log(event);
 * ```
 */
export function linuxTaskSource(options: LinuxTaskSourceOptions = {}): TaskSource {
  const root = new TaskRoot(options.root ?? "/");
  return {
    name: root.live ? "linux schedulers" : `linux schedulers below ${root.path}`,
    async *read(signal) {
      const passwd = userNames(root);
      const parts = [
        () => systemCrontabs(root),
        () => anacrontab(root),
        () => cronScripts(root),
        () => spools(root),
        () => timers(root),
        () => atJobs(root, passwd),
      ];
      for (const part of parts) {
        if (signal?.aborted) return;
        yield* part();
      }
    },
  };
}

function* systemCrontabs(root: TaskRoot): Generator<TaskSourceEvent> {
  yield* crontabFile(root, "etc/crontab", true, undefined);
  const { entries, events } = root.list("etc/cron.d");
  yield* events;
  for (const entry of entries) {
    // cron ignores names with dots and hidden files in cron.d; an attacker's file may still be one.
    if (entry.isDirectory) continue;
    yield* crontabFile(root, `etc/cron.d/${entry.name}`, true, undefined);
  }
}

function* spools(root: TaskRoot): Generator<TaskSourceEvent> {
  const other = new Set(["crontabs", "atjobs", "atspool", "lastrun"]);
  for (const spool of userSpools) {
    const { entries, events } = root.list(spool);
    yield* events;
    for (const entry of entries) {
      if (entry.isDirectory || other.has(entry.name) || entry.name.startsWith(".")) continue;
      yield* crontabFile(root, `${spool}/${entry.name}`, false, entry.name);
    }
  }
}

function* crontabFile(
  root: TaskRoot,
  relative: string,
  systemFormat: boolean,
  owner: string | undefined,
): Generator<TaskSourceEvent> {
  if (!root.exists(relative)) return;
  const read = root.read(relative);
  if ("skip" in read) {
    yield { skip: read.skip };
    return;
  }
  const file = root.display(relative);
  const parsed = parseCrontab(textOf(read.bytes), systemFormat);
  for (const bad of parsed.bad) {
    yield {
      warning: {
        code: "crontab-line-unread",
        message: `${file}:${bad.line}: not a crontab job: ${bad.text.slice(0, 200)}`,
        file,
      },
    };
  }
  for (const job of parsed.jobs) yield { record: cronRecord(root, relative, job, owner, "cron") };
}

function* anacrontab(root: TaskRoot): Generator<TaskSourceEvent> {
  const relative = "etc/anacrontab";
  if (!root.exists(relative)) return;
  const read = root.read(relative);
  if ("skip" in read) {
    yield { skip: read.skip };
    return;
  }
  for (const job of parseAnacrontab(textOf(read.bytes)).jobs) {
    yield { record: cronRecord(root, relative, job, "root", "anacron") };
  }
}

function cronRecord(
  root: TaskRoot,
  relative: string,
  job: CrontabJob,
  owner: string | undefined,
  kind: "cron" | "anacron",
): TaskRecord {
  const file = root.display(relative);
  const { line: _line, user, ...facts } = job;
  const account = user ?? owner;
  const image = imageOf(root, job.command);
  return {
    kind,
    name: `${file}:${job.line}`,
    file,
    openFile: root.open(relative),
    enabled: true,
    ...(account === undefined ? {} : { account }),
    actions: [execAction(root, job.command)],
    triggers: [{ type: kind, enabled: true, frequency: scheduleOf(job) }],
    crontab: facts,
    ...image,
  };
}

function* cronScripts(root: TaskRoot): Generator<TaskSourceEvent> {
  for (const [folder, period] of cronFolders) {
    const { entries, events } = root.list(folder);
    yield* events;
    for (const entry of entries) {
      if (entry.isDirectory || entry.name.startsWith(".")) continue;
      const relative = `${folder}/${entry.name}`;
      const file = root.display(relative);
      yield {
        record: {
          kind: "cron-folder",
          name: file,
          file,
          openFile: root.open(relative),
          enabled: true,
          account: "root",
          actions: [{ type: "Exec", programPath: file, ...openPathOf(root, relative) }],
          triggers: [{ type: "cron", enabled: true, frequency: `@${period}` }],
          crontab: { period, command: file },
          ...openable(root, relative),
        },
      };
    }
  }
}

function* timers(root: TaskRoot): Generator<TaskSourceEvent> {
  const seen = new Set<string>();
  const enabled = enabledUnits(root);
  for (const folder of unitFolders) {
    const { entries, events } = root.list(folder);
    yield* events;
    for (const entry of entries) {
      if (!entry.name.endsWith(".timer") || seen.has(entry.name) || entry.isDirectory) continue;
      seen.add(entry.name);
      const relative = `${folder}/${entry.name}`;
      const read = root.read(relative);
      if ("skip" in read) {
        yield { skip: read.skip };
        continue;
      }
      const timer = parseUnitFile(textOf(read.bytes));
      const serviceName = unitValues(timer, "Timer", "Unit")[0] ??
        entry.name.replace(/\.timer$/, ".service");
      const service = findUnit(root, serviceName);
      const triggers: TaskTrigger[] = timerKeys.flatMap((key) =>
        unitValues(timer, "Timer", key).map((value) => ({
          type: key,
          enabled: enabled.has(entry.name),
          frequency: value,
        }))
      );
      const commands = service ? unitValues(service.unit, "Service", "ExecStart") : [];
      const actions = commands.map((command) =>
        execAction(root, command.replace(execPrefixes, ""))
      );
      const account = service
        ? unitValues(service.unit, "Service", "User")[0] ?? "root"
        : undefined;
      const description = unitValues(timer, "Unit", "Description")[0];
      const first = commands[0];
      const file = root.display(relative);
      yield {
        record: {
          kind: "systemd-timer",
          name: entry.name,
          file,
          openFile: root.open(relative),
          enabled: enabled.has(entry.name),
          ...(description === undefined ? {} : { description }),
          ...(account === undefined ? {} : { account }),
          actions,
          triggers,
          ...(first === undefined ? {} : imageOf(root, first.replace(execPrefixes, ""))),
          unevaluated: service ? {} : {
            ActionList: `the timer's service ${serviceName} was not found`,
            ApplicationName: `the timer's service ${serviceName} was not found`,
          },
        },
      };
    }
  }
}

/** The unit files enabled through a `*.wants` folder of /etc/systemd/system. */
function enabledUnits(root: TaskRoot): Set<string> {
  const names = new Set<string>();
  const { entries } = root.list("etc/systemd/system");
  for (const entry of entries) {
    if (!entry.name.endsWith(".wants") && !entry.name.endsWith(".requires")) continue;
    for (const unit of root.list(`etc/systemd/system/${entry.name}`).entries) names.add(unit.name);
  }
  return names;
}

function findUnit(root: TaskRoot, name: string): { unit: UnitFile } | undefined {
  if (name.includes("/") || name.startsWith(".")) return undefined;
  for (const folder of unitFolders) {
    const relative = `${folder}/${name}`;
    if (!root.exists(relative)) continue;
    const read = root.read(relative);
    if ("skip" in read) return undefined;
    return { unit: parseUnitFile(textOf(read.bytes)) };
  }
  return undefined;
}

function* atJobs(root: TaskRoot, users: ReadonlyMap<string, string>): Generator<TaskSourceEvent> {
  for (const spool of atSpools) {
    const { entries, events } = root.list(spool);
    yield* events;
    for (const entry of entries) {
      const match = atJobName.exec(entry.name);
      if (entry.isDirectory || !match) continue;
      const relative = `${spool}/${entry.name}`;
      const read = root.read(relative);
      if ("skip" in read) {
        yield { skip: read.skip };
        continue;
      }
      const text = textOf(read.bytes);
      const uid = /^# atrun uid=(\d+)/m.exec(text)?.[1];
      const account = uid === undefined ? undefined : users.get(uid) ?? `uid ${uid}`;
      const begin = new Date(parseInt(match[3]!, 16) * 60_000).toISOString();
      const commands = atCommands(text);
      const file = root.display(relative);
      yield {
        record: {
          kind: "at",
          name: entry.name,
          file,
          openFile: root.open(relative),
          enabled: true,
          ...(account === undefined ? {} : { account }),
          actions: commands.map((command) => execAction(root, command)),
          triggers: [{ type: "at", enabled: true, begin, frequency: "once" }],
          ...(commands[0] === undefined ? {} : imageOf(root, commands[0])),
        },
      };
    }
  }
}

/** The commands of an `at` job: the lines of its here-document, else its last line. */
function atCommands(text: string): string[] {
  const lines = text.split("\n").map((line) => line.replace(/\r$/, ""));
  const start = lines.findIndex((line) => atHereDocument.test(line));
  if (start === -1) {
    const last = lines.map((line) => line.trim()).filter((line) => line && !line.startsWith("#"))
      .pop();
    return last === undefined ? [] : [last];
  }
  const delimiter = atHereDocument.exec(lines[start]!)![1]!;
  const commands: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === delimiter || commands.length >= maxAtCommands) break;
    if (line.trim() !== "" && !line.trim().startsWith("#")) commands.push(line.trim());
  }
  return commands;
}

/** uid → user name from the root's `/etc/passwd` (empty when unreadable). */
function userNames(root: TaskRoot): Map<string, string> {
  const names = new Map<string, string>();
  if (!root.exists("etc/passwd")) return names;
  const read = root.read("etc/passwd");
  if ("skip" in read) return names;
  for (const line of textOf(read.bytes).split("\n")) {
    const [name, , uid] = line.split(":");
    if (name && uid && !names.has(uid)) names.set(uid, name);
  }
  return names;
}

function execAction(root: TaskRoot, command: string): TaskAction {
  const { program, arguments: args } = splitCommand(command);
  const image = imageOf(root, command).imageOpenPath;
  return {
    type: "Exec",
    ...(program === undefined ? {} : { programPath: program }),
    ...(image === undefined ? {} : { openPath: image }),
    ...(args === undefined ? {} : { arguments: args }),
  };
}

/** Where the image of a command is opened: an absolute program path below the root. */
function imageOf(root: TaskRoot, command: string): { imageOpenPath?: string } {
  const { program } = splitCommand(command);
  if (program === undefined || !program.startsWith("/")) return {};
  return openable(root, posix.normalize(program).replace(/^\/+/, ""));
}

/** An action's `openPath` for a file below the root (see {@linkcode openable}). */
function openPathOf(root: TaskRoot, relative: string): { openPath?: string } {
  const image = openable(root, relative).imageOpenPath;
  return image === undefined ? {} : { openPath: image };
}

/** The file below the root to hash; none when, on an image, its link leads out of the image. */
function openable(root: TaskRoot, relative: string): { imageOpenPath?: string } {
  const path = root.open(relative);
  if (!root.live && linkOutOfRoot(path, root.path) !== undefined) return {};
  return { imageOpenPath: path };
}
