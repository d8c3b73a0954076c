/**
 * The scan task file: the JSON document that carries a scan's parameters
 * (`iocscan scan --task FILE`). The PowerShell module writes one for every run
 * and every scheduled task, so that no parameter travels on a long command line.
 * docs/task-file.md describes the schema for users.
 *
 * @module
 */
import { parseDriveLetter } from "../windows/drive_letters.ts";
import type { TaskOptionKind } from "./collector_descriptor.ts";
import { collectorDescriptors, evidenceOptionKeys, scanCollectors } from "./collector_list.ts";
import { actionOptions, scanActions, unknownActions } from "./action_list.ts";
import { parseTimeBound, readTimeBound } from "./parse_time.ts";
import { readIsolationDuration } from "../actions/isolation/isolation_duration.ts";
import type { ScanTask, ScopeSpec } from "./scan_task.ts";

export type { ScanTask, ScopeSpec } from "./scan_task.ts";

/** The keys a scope object may hold. */
const scopeKeys = new Set(["path", "depth"]);

/** A task file that does not follow the schema; `place` names the offending key. */
export class TaskFileError extends Error {
  constructor(readonly file: string, readonly place: string, message: string) {
    super(`${file}: ${place}: ${message}`);
    this.name = "TaskFileError";
  }
}

/** The keys every scan reads, by kind; each collector's own keys come from its descriptor. */
const sharedKeys: Readonly<Record<TaskOptionKind | "drive", readonly string[]>> = {
  strings: ["iocPaths", "types", "evidence", "evtx", "hives", "roots", "actions"],
  string: ["taskName", "databasePath", "localDatabasePath", "databaseCa"],
  count: ["maxIocFileSize"],
  size: [],
  flag: ["followIocLinks"],
  time: [],
  duration: [],
  drive: ["rootDrive"],
};

/** The task file's keys of one kind: the shared ones, then those the collectors and actions declare. */
function keysOf(kind: TaskOptionKind | "drive"): string[] {
  return [
    ...sharedKeys[kind],
    ...declaredOptions().filter((option) => option.kind === kind).map((option) => option.key),
  ];
}

/** The options the collectors and the actions declare. */
function declaredOptions() {
  return [...collectorDescriptors.flatMap((descriptor) => descriptor.options), ...actionOptions];
}

/** Every key a task file may hold. */
function knownKeys(): Set<string> {
  return new Set<string>([
    "version",
    "$schema",
    "scopes",
    ...Object.values(sharedKeys).flat(),
    ...declaredOptions().map((option) => option.key),
  ]);
}
/**
 * The lists that name inputs: empty, they would name nothing, and a task
 * without evidence scans this machine, so `"evidence": []` (a case's list that
 * came out empty) must not turn an offline scan into a live one.
 */
const inputListKeys = ["evidence", "evtx", "hives", "roots", "scopes"] as const;

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
  const known = knownKeys();
  for (const key of Object.keys(input)) {
    if (!known.has(key)) throw new TaskFileError(file, key, "unknown key");
  }
  for (const key of [...inputListKeys, ...evidenceOptionKeys()]) {
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
  const fields = task as unknown as Record<string, unknown>;
  for (const key of keysOf("strings")) {
    const list = input[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((entry) => typeof entry !== "string")) {
      throw new TaskFileError(file, key, "expected an array of strings");
    }
    fields[key] = list as string[];
  }
  for (const key of [...keysOf("string"), ...keysOf("time"), ...keysOf("duration")]) {
    const text = input[key];
    if (text === undefined) continue;
    if (typeof text !== "string") throw new TaskFileError(file, key, "expected a string");
    if (text.trim() === "") throw new TaskFileError(file, key, "expected a non-empty string");
    fields[key] = text;
  }
  for (const key of keysOf("drive")) {
    const text = input[key];
    if (text === undefined) continue;
    const drive = typeof text === "string" ? parseDriveLetter(text) : undefined;
    if (drive === undefined) {
      throw new TaskFileError(file, key, "expected a drive letter such as D:");
    }
    fields[key] = drive;
  }
  for (const key of [...keysOf("count"), ...keysOf("size")]) {
    const number = input[key];
    if (number === undefined) continue;
    if (typeof number !== "number" || !Number.isSafeInteger(number) || number <= 0) {
      throw new TaskFileError(file, key, "expected a positive whole number");
    }
    fields[key] = number;
  }
  for (const key of keysOf("flag")) {
    const flag = input[key];
    if (flag === undefined) continue;
    if (typeof flag !== "boolean") throw new TaskFileError(file, key, "expected true or false");
    fields[key] = flag;
  }
  for (const key of keysOf("time")) {
    const text = fields[key];
    if (typeof text !== "string") continue;
    const reading = readTimeBound(text);
    if ("problem" in reading) throw new TaskFileError(file, key, reading.problem);
  }
  for (const key of keysOf("duration")) {
    const text = fields[key];
    if (typeof text !== "string") continue;
    const reading = readIsolationDuration(text);
    if ("problem" in reading) throw new TaskFileError(file, key, reading.problem);
  }
  const now = new Date();
  const [since, until] = (["since", "until"] as const).map((key) =>
    task[key] && parseTimeBound(task[key], now)
  );
  if (since && until && since.getTime() > until.getTime()) {
    throw new TaskFileError(file, "since", `${task.since} is later than until (${task.until})`);
  }
  task.types?.forEach((type, index) => {
    if (!scanCollectors.includes(type.trim().toLowerCase())) {
      throw new TaskFileError(
        file,
        `types[${index}]`,
        `unknown collector ${JSON.stringify(type)} (known: ${scanCollectors.join(", ")})`,
      );
    }
  });
  task.actions?.forEach((name, index) => {
    if (unknownActions([name]).length > 0) {
      throw new TaskFileError(
        file,
        `actions[${index}]`,
        `unknown action ${JSON.stringify(name)} (known: ${scanActions.join(", ")})`,
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
