/**
 * The option parsers every command shares: times, counts, sizes, ids and
 * lists. Each turns the text a user typed into a value or throws commander's
 * `InvalidArgumentError`, which commander reports naming the option, and
 * `runCli` turns into exit code 2. One definition of each rule, so that
 * `--since 90s` means the same to every command.
 *
 * @module
 */
import { parseSyslogUrl, type SyslogTarget } from "./forwarding/syslog_sink.ts";
import {
  isReportFormat,
  type ReportFormatName,
  reportFormatNames,
} from "../report/report_formats.ts";
import { InvalidArgumentError } from "@commander-js/extra-typings";
import { readTimeBound } from "../scan/parse_time.ts";
import { scanCollectors } from "../scan/collector_selection.ts";
import { parseDriveLetter } from "../windows/drive_letters.ts";
import { UsageError } from "./usage_error.ts";
import {
  type AllowSpec,
  parseAllowSpec,
  parseProbeSpec,
  readIsolationDuration,
} from "../actions/isolation/mod.ts";
import { ENTRY_ID } from "../actions/quarantine/entry_record.ts";

/**
 * `--since`/`--until`: an ISO 8601 time (UTC when no zone is given) or a span
 * back from now such as `90s`, `30d` or `1.5d` (scan/parse_time.ts).
 *
 * @example
 * ```ts
 * import { toTimeBound } from "./option_parsers.ts";
 * toTimeBound("2026-11-01T10:00").toISOString(); // "2026-11-01T10:00:00.000Z"
 * ```
 */
export function toTimeBound(text: string): Date {
  const reading = readTimeBound(text);
  if ("problem" in reading) throw new InvalidArgumentError(reading.problem);
  return reading.date;
}

/**
 * Refuses a time window whose start is after its end.
 *
 * @throws UsageError naming both options.
 */
export function checkTimeWindow(since: Date | undefined, until: Date | undefined): void {
  if (since === undefined || until === undefined || since.getTime() <= until.getTime()) return;
  throw new UsageError(
    `--since (${since.toISOString()}) is later than --until (${until.toISOString()})`,
  );
}

/** A whole number ≥ 0 (`--depth`, `--max-file-size` of scan). */
export function toCount(text: string): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value)) {
    throw new InvalidArgumentError(`expected a whole number ≥ 0, found "${text}"`);
  }
  return value;
}

/** A positive whole number of bytes (`--max-file-size` of indicators and match). */
export function toByteCount(text: string): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentError("expected a positive whole number of bytes");
  }
  return value;
}

/** The units a size may be written in (`100MB`), as multiples of a byte (binary: 1 KB = 1024). */
const sizeUnits: Readonly<Record<string, number>> = {
  "": 1,
  B: 1,
  K: 1024,
  KB: 1024,
  KIB: 1024,
  M: 1024 ** 2,
  MB: 1024 ** 2,
  MIB: 1024 ** 2,
  G: 1024 ** 3,
  GB: 1024 ** 3,
  GIB: 1024 ** 3,
};

/**
 * A positive size in bytes: a whole number, or a number with a unit (`100MB`, `1.5G`, `512 KiB`;
 * units are binary, 1 KB = 1024 bytes), rounded down to whole bytes.
 *
 * @example
 * ```ts
 * import { toByteSize } from "./option_parsers.ts";
 * toByteSize("100MB"); // 104857600
 * ```
 */
export function toByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match ? sizeUnits[match[2]!.toUpperCase()] : undefined;
  const value = match && unit !== undefined ? Math.floor(Number(match[1]) * unit) : NaN;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentError(
      `expected a positive size in bytes such as 1048576 or 100MB, found "${text}"`,
    );
  }
  return value;
}

/**
 * A quarantine entry's id, as the store makes them (`20261207T055143Z-8b4da513`; `quarantine
 * list`): anything else (a path such as `../x`) is refused before the store is opened.
 */
export function toEntryId(text: string): string {
  const id = text.trim();
  if (!ENTRY_ID.test(id)) {
    throw new InvalidArgumentError(
      `a quarantine entry id looks like 20261207T055143Z-8b4da513 (iocscan quarantine list), not "${text}"`,
    );
  }
  return id;
}

/** A run id: a positive whole number. */
export function toRunId(text: string): number {
  const id = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(id) || id <= 0) {
    throw new InvalidArgumentError("a run id is a positive whole number");
  }
  return id;
}

/** A number of days ≥ 0, fractions allowed (`--older-than-days`). */
export function toDays(text: string): number {
  const days = Number(text);
  if (text.trim() === "" || !Number.isFinite(days) || days < 0) {
    throw new InvalidArgumentError("a number of days ≥ 0");
  }
  return days;
}

/**
 * `--types file,eventlog`: a comma-separated list of collector names. An
 * empty list (`--types ,`) or an unknown name is refused rather than read as
 * "automatic".
 */
export function toCollectorTypes(text: string): string[] {
  const names = text.split(",").map((name) => name.trim()).filter((name) => name !== "");
  if (names.length === 0) {
    throw new InvalidArgumentError(`name at least one of ${scanCollectors.join(", ")}`);
  }
  const unknown = names.filter((name) =>
    !(scanCollectors as readonly string[]).includes(name.toLowerCase())
  );
  if (unknown.length > 0) {
    throw new InvalidArgumentError(
      `unknown collector ${unknown.join(", ")} (known: ${scanCollectors.join(", ")})`,
    );
  }
  return names.map((name) => name.toLowerCase());
}

/** `--db`: a SQLite path or a PostgreSQL URL; an empty one is refused (it is no database). */
export function toDatabaseFlag(text: string): string {
  if (text.trim() === "") throw new InvalidArgumentError("name a SQLite file or a postgres:// URL");
  return text;
}

/** `--view`: the live registry view, 64 or 32 (bits). */
export function toRegistryView(text: string): 64 | 32 {
  const view = text.trim();
  if (view === "64" || view === "32") return view === "64" ? 64 : 32;
  throw new InvalidArgumentError("64 or 32");
}

/** A drive letter as `--root-drive` takes it (`D`, `d:`, `D:`), normalised to `D:`. */
export function toDriveLetter(text: string): string {
  const drive = parseDriveLetter(text);
  if (drive === undefined) {
    throw new InvalidArgumentError(`expected a drive letter such as D:, found "${text}"`);
  }
  return drive;
}

/**
 * `--duration` of `isolate` and `isolation extend`: a span such as `8h`, `90m`, `1h30m` or `2d`
 * (units s, m, h, d), from 1 minute to 9,999 hours (actions/isolation/isolation_duration.ts);
 * returns milliseconds.
 *
 * @example
 * ```ts
 * import { toIsolationDuration } from "./option_parsers.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(toIsolationDuration("1h30m"), 5_400_000);
 * ```
 */
export function toIsolationDuration(text: string): number {
  return toDurationText(text).ms;
}

/**
 * A task option of kind `duration` (`scan --isolation-duration`): the text, trimmed, once it reads
 * as an isolation's duration; the task file holds the same text.
 */
export function toDurationOption(text: string): string {
  toDurationText(text);
  return text.trim();
}

function toDurationText(text: string): { ms: number } {
  const reading = readIsolationDuration(text);
  if ("problem" in reading) throw new InvalidArgumentError(reading.problem);
  return reading;
}

/** `--allow HOST[:PORT][/PROTO]` (repeatable): each entry added to the ones before. */
export function toAllowSpecs(text: string, previous: AllowSpec[] = []): AllowSpec[] {
  try {
    return [...previous, parseAllowSpec(text)];
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

/** `--probe HOST:PORT`: the forbidden target of the isolation's self-test (TCP). */
export function toProbeTarget(text: string): AllowSpec & { port: number } {
  try {
    return parseProbeSpec(text);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

/** `--format`/`--report-format`: a report format of report/report_formats.ts. */
export function toReportFormat(text: string): ReportFormatName {
  const name = text.trim().toLowerCase();
  if (!isReportFormat(name)) {
    throw new InvalidArgumentError(`expected one of ${reportFormatNames.join(", ")}`);
  }
  return name;
}

/** `--syslog`: each `udp|tcp|tls://host:port` given, in order (cli/forwarding/syslog_sink.ts). */
export function toSyslogTargets(text: string, previous: SyslogTarget[] = []): SyslogTarget[] {
  try {
    return [...previous, parseSyslogUrl(text)];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}
