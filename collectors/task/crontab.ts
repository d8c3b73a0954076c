/**
 * Crontab lines (`/etc/crontab`, `/etc/cron.d/*`, the user spools) and
 * anacrontab lines, parsed without a shell: the schedule, the user (system
 * crontabs have a user field, user spools do not), the command and the
 * program it starts. Lines are attacker-written text: nothing here runs them.
 *
 * @module
 */
import type { CrontabFacts } from "./task_record.ts";

/** One job line of a crontab, with the line number it was read at (1-based). */
export interface CrontabJob extends CrontabFacts {
  readonly line: number;
  /** The user field of a system crontab; undefined in a user spool. */
  readonly user?: string;
}

/** What a crontab file holds: its jobs, and the lines that were neither jobs nor settings. */
export interface ParsedCrontab {
  readonly jobs: CrontabJob[];
  /** Lines that could not be read as a job (line number and text). */
  readonly bad: { readonly line: number; readonly text: string }[];
}

/** The `@` nicknames cron understands, and the 1.1 `crontabPeriod` they stand for. */
const nicknames: ReadonlyMap<string, string> = new Map([
  ["@reboot", "reboot"],
  ["@yearly", "yearly"],
  ["@annually", "yearly"],
  ["@monthly", "monthly"],
  ["@weekly", "weekly"],
  ["@daily", "daily"],
  ["@midnight", "daily"],
  ["@hourly", "hourly"],
]);
/** An environment setting (`MAILTO=root`, `PATH = /bin`). */
const settingLine = /^[A-Za-z_][A-Za-z0-9_]*\s*=/;
/** The longest line read as a job; longer lines are reported, not parsed. */
const maxLineChars = 64 * 1024;

/**
 * Parses a crontab. `systemFormat` is true for `/etc/crontab` and
 * `/etc/cron.d/*`, whose jobs name the user after the schedule.
 *
 * @example
 * ```ts
 * import { parseCrontab } from "./crontab.ts";
 * const { jobs } = parseCrontab("*\/5 * * * * root /usr/bin/x --y\n", true);
 * // jobs[0].user === "root", jobs[0].command === "/usr/bin/x --y"
 * ```
 */
export function parseCrontab(text: string, systemFormat: boolean): ParsedCrontab {
  const jobs: CrontabJob[] = [];
  const bad: { line: number; text: string }[] = [];
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!.replace(/\r$/, "");
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || settingLine.test(line)) continue;
    if (raw.length > maxLineChars) {
      bad.push({ line: index + 1, text: `${raw.slice(0, 80)}… (${raw.length} characters)` });
      continue;
    }
    const job = jobOf(line, index + 1, systemFormat);
    if (job) jobs.push(job);
    else bad.push({ line: index + 1, text: raw });
  }
  return { jobs, bad };
}

function jobOf(line: string, number: number, systemFormat: boolean): CrontabJob | undefined {
  const words = line.split(/\s+/);
  const first = words[0]!;
  const nickname = nicknames.get(first.toLowerCase());
  const scheduleWords = first.startsWith("@") ? 1 : 5;
  if (first.startsWith("@") && nickname === undefined) return undefined;
  const userWords = systemFormat ? 1 : 0;
  if (words.length < scheduleWords + userWords + 1) return undefined;
  const command = cronCommand(restAfterWords(line, scheduleWords + userWords));
  const user = systemFormat ? words[scheduleWords] : undefined;
  if (nickname !== undefined) {
    return {
      line: number,
      period: nickname,
      ...(nickname === "reboot" ? { event: "reboot" } : {}),
      command,
      ...(user === undefined ? {} : { user }),
    };
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = words;
  return {
    line: number,
    minute: minute!,
    hour: hour!,
    dayOfMonth: dayOfMonth!,
    month: month!,
    dayOfWeek: dayOfWeek!,
    command,
    ...(user === undefined ? {} : { user }),
  };
}

/** anacrontab (`/etc/anacrontab`): `period delay job-identifier command`. */
export function parseAnacrontab(text: string): ParsedCrontab {
  const jobs: CrontabJob[] = [];
  const bad: { line: number; text: string }[] = [];
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!.replace(/\r$/, "");
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || settingLine.test(line)) continue;
    const words = line.split(/\s+/);
    const delay = Number(words[1]);
    if (words.length < 4 || raw.length > maxLineChars || !Number.isInteger(delay)) {
      bad.push({ line: index + 1, text: raw.slice(0, 200) });
      continue;
    }
    jobs.push({
      line: index + 1,
      period: words[0]!,
      delay,
      jobIdentifier: words[2]!,
      command: restAfterWords(line, 3),
    });
  }
  return { jobs, bad };
}

/** The text after the first `count` whitespace-separated words. */
function restAfterWords(line: string, count: number): string {
  const pattern = new RegExp(`^(?:\\S+\\s+){${count}}`);
  return line.replace(pattern, "");
}

/**
 * The command cron runs: up to the first `%` not escaped by a backslash
 * (the rest is the command's standard input), with `\%` read as `%`.
 */
export function cronCommand(text: string): string {
  let out = "";
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === "\\" && text[index + 1] === "%") {
      out += "%";
      index++;
    } else if (char === "%") {
      break;
    } else {
      out += char;
    }
  }
  return out.trim();
}

/** The schedule of a job as one string (`*\/5 * * * *`, `@daily`). */
export function scheduleOf(job: CrontabFacts): string {
  if (job.period !== undefined && job.minute === undefined) {
    return job.delay === undefined ? `@${job.period}` : `${job.period} days`;
  }
  return [job.minute, job.hour, job.dayOfMonth, job.month, job.dayOfWeek].join(" ");
}
