/**
 * The scan task file: the JSON document that carries a scan's parameters
 * (`iocscan scan --task FILE`). The PowerShell module writes one for every run
 * and every scheduled task, so that no parameter travels on a long command line.
 * docs/task-file.md describes the schema for users.
 *
 * @module
 */
import { parseDriveLetter } from "../windows/drive_letters.ts";
import { scanCollectors } from "./collector_selection.ts";
import { parseTimeBound, readTimeBound } from "./parse_time.ts";

/** A scan scope: a folder and how deep to walk it. */
export interface ScopeSpec {
  path: string;
  /** Folder levels below `path` to walk; absent means unlimited. */
  depth?: number;
}

/** The parameters of one scan, as the task file holds them (schema version 1). */
export interface ScanTask {
  version: 1;
  taskName?: string;
  iocPaths: string[];
  scopes?: ScopeSpec[];
  presets?: string[];
  exclude?: string[];
  types?: string[];
  eventLogs?: string[];
  since?: string;
  until?: string;
  registryKeys?: string[];
  registryFull?: boolean;
  evidence?: string[];
  evtx?: string[];
  hives?: string[];
  roots?: string[];
  /** The drive the files below `roots` are shown on (`X:`); default from each root's name, else C:. */
  rootDrive?: string;
  databasePath?: string;
  maxFileSize?: number;
  maxIocFileSize?: number;
  /** Follow links in IOC folders whose target is outside the folder (default false). */
  followIocLinks?: boolean;
}

/** The keys a scope object may hold. */
const scopeKeys = new Set(["path", "depth"]);

/** A task file that does not follow the schema; `place` names the offending key. */
export class TaskFileError extends Error {
  constructor(readonly file: string, readonly place: string, message: string) {
    super(`${file}: ${place}: ${message}`);
    this.name = "TaskFileError";
  }
}

const stringListKeys = [
  "iocPaths",
  "presets",
  "exclude",
  "types",
  "eventLogs",
  "registryKeys",
  "evidence",
  "evtx",
  "hives",
  "roots",
] as const;
/**
 * The lists that name inputs: empty, they would name nothing, and a task
 * without evidence scans this machine, so `"evidence": []` (a case's list that
 * came out empty) must not turn an offline scan into a live one.
 */
const inputListKeys = ["evidence", "evtx", "hives", "roots", "scopes"] as const;
const stringKeys = ["taskName", "since", "until", "databasePath"] as const;
const driveKeys = ["rootDrive"] as const;
const numberKeys = ["maxFileSize", "maxIocFileSize"] as const;
const booleanKeys = ["registryFull", "followIocLinks"] as const;
const timeKeys = ["since", "until"] as const;
const knownKeys = new Set<string>([
  "version",
  "scopes",
  ...booleanKeys,
  "$schema",
  ...stringListKeys,
  ...stringKeys,
  ...driveKeys,
  ...numberKeys,
]);

/**
 * Validates parsed JSON against the task schema.
 *
 * @example
 * ```ts
 * import { parseScanTask } from "./task_file.ts";
 * const task = parseScanTask({ version: 1, iocPaths: ["iocs"] }, "task.json");
 * // task.iocPaths[0] === "iocs"
 * ```
 */
export function parseScanTask(value: unknown, file: string): ScanTask {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TaskFileError(file, "$", "the task must be a JSON object");
  }
  const input = value as Record<string, unknown>;
  if (input.version !== 1) {
    throw new TaskFileError(file, "version", `expected 1, found ${JSON.stringify(input.version)}`);
  }
  for (const key of Object.keys(input)) {
    if (!knownKeys.has(key)) throw new TaskFileError(file, key, "unknown key");
  }
  for (const key of inputListKeys) {
    const list = input[key];
    if (Array.isArray(list) && list.length === 0) {
      throw new TaskFileError(
        file,
        key,
        "expected at least one path (leave the key out rather than give an empty list)",
      );
    }
  }
  const task: ScanTask = { version: 1, iocPaths: [] };
  for (const key of stringListKeys) {
    const list = input[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((entry) => typeof entry !== "string")) {
      throw new TaskFileError(file, key, "expected an array of strings");
    }
    task[key] = list as string[];
  }
  for (const key of stringKeys) {
    const text = input[key];
    if (text === undefined) continue;
    if (typeof text !== "string") throw new TaskFileError(file, key, "expected a string");
    if (text.trim() === "") throw new TaskFileError(file, key, "expected a non-empty string");
    task[key] = text;
  }
  for (const key of driveKeys) {
    const text = input[key];
    if (text === undefined) continue;
    const drive = typeof text === "string" ? parseDriveLetter(text) : undefined;
    if (drive === undefined) {
      throw new TaskFileError(file, key, "expected a drive letter such as D:");
    }
    task[key] = drive;
  }
  for (const key of numberKeys) {
    const number = input[key];
    if (number === undefined) continue;
    if (typeof number !== "number" || !Number.isSafeInteger(number) || number <= 0) {
      throw new TaskFileError(file, key, "expected a positive whole number");
    }
    task[key] = number;
  }
  for (const key of booleanKeys) {
    const flag = input[key];
    if (flag === undefined) continue;
    if (typeof flag !== "boolean") throw new TaskFileError(file, key, "expected true or false");
    task[key] = flag;
  }
  for (const key of timeKeys) {
    const text = task[key];
    if (text === undefined) continue;
    const reading = readTimeBound(text);
    if ("problem" in reading) throw new TaskFileError(file, key, reading.problem);
  }
  const now = new Date();
  const [since, until] = timeKeys.map((key) => task[key] && parseTimeBound(task[key], now));
  if (since && until && since.getTime() > until.getTime()) {
    throw new TaskFileError(file, "since", `${task.since} is later than until (${task.until})`);
  }
  task.types?.forEach((type, index) => {
    if (!(scanCollectors as readonly string[]).includes(type.trim().toLowerCase())) {
      throw new TaskFileError(
        file,
        `types[${index}]`,
        `unknown collector ${JSON.stringify(type)} (known: ${scanCollectors.join(", ")})`,
      );
    }
  });
  if (input.scopes !== undefined) task.scopes = parseScopes(input.scopes, file);
  if (task.iocPaths.length === 0) {
    throw new TaskFileError(file, "iocPaths", "at least one IOC file or folder is required");
  }
  return task;
}

function parseScopes(value: unknown, file: string): ScopeSpec[] {
  if (!Array.isArray(value)) throw new TaskFileError(file, "scopes", "expected an array");
  return value.map((entry, index) => {
    const place = `scopes[${index}]`;
    if (typeof entry === "string") return { path: entry };
    if (typeof entry !== "object" || entry === null || typeof entry.path !== "string") {
      throw new TaskFileError(file, place, "expected a path string or {path, depth}");
    }
    for (const key of Object.keys(entry)) {
      if (!scopeKeys.has(key)) throw new TaskFileError(file, `${place}.${key}`, "unknown key");
    }
    const depth = entry.depth;
    if (depth === undefined || depth === null) return { path: entry.path };
    if (typeof depth !== "number" || !Number.isSafeInteger(depth) || depth < 0) {
      throw new TaskFileError(file, `${place}.depth`, "expected a whole number ≥ 0");
    }
    return { path: entry.path, depth };
  });
}

/** Reads and validates a task file. */
export async function readScanTask(file: string): Promise<ScanTask> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    throw new TaskFileError(file, "$", `cannot read: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new TaskFileError(file, "$", `not valid JSON: ${(error as Error).message}`);
  }
  return parseScanTask(json, file);
}
