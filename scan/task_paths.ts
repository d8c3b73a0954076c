/**
 * The paths of a scan task made absolute, against the folder the user ran
 * iocscan in. A run stores its task (`runs.options_json`) and its IOC files'
 * names, and `iocscan results` shows them long after: `./iocs` would then name
 * whatever folder the reader happens to be in.
 *
 * @module
 */
import { resolve } from "node:path";
import { isPostgresUrl } from "../store/postgres_url.ts";
import type { ScanTask } from "./scan_task.ts";
import { evidenceOptionKeys } from "./collector_list.ts";

/** The task's keys that hold lists of file-system paths. */
const pathListKeys = ["iocPaths", "evidence", "evtx", "hives", "roots"] as const;

/** SQLite's name for a database that lives in memory only; not a path. */
const inMemoryDatabase = ":memory:";

/**
 * A copy of `task` whose paths are absolute (`cwd` by default the process's
 * folder): IOC paths, scopes, evidence, EVTX files, hives, roots and a SQLite
 * database path. A PostgreSQL URL and `:memory:` stay as they are.
 *
 * @example
 * ```ts
 * import { withAbsolutePaths } from "./task_paths.ts";
 * const task = withAbsolutePaths({ version: 1, iocPaths: ["iocs"] }, "/cases");
 * // task.iocPaths[0] === "/cases/iocs" (on Linux)
 * ```
 */
export function withAbsolutePaths(task: ScanTask, cwd: string = Deno.cwd()): ScanTask {
  const absolute: ScanTask = { ...task };
  for (const key of pathListKeys) {
    const paths = task[key];
    if (paths !== undefined) absolute[key] = paths.map((path) => resolve(cwd, path));
  }
  // Collectors' evidence options (`diskImages`…) name files too.
  const fields = absolute as unknown as Record<string, unknown>;
  for (const key of evidenceOptionKeys()) {
    const paths = fields[key];
    if (Array.isArray(paths)) fields[key] = paths.map((path) => resolve(cwd, String(path)));
  }
  if (task.scopes !== undefined) {
    absolute.scopes = task.scopes.map((scope) => ({ ...scope, path: resolve(cwd, scope.path) }));
  }
  const database = task.databasePath;
  if (database !== undefined && database !== inMemoryDatabase && !isPostgresUrl(database)) {
    absolute.databasePath = resolve(cwd, database);
  }
  for (const key of ["localDatabasePath", "databaseCa"] as const) {
    const path = task[key];
    if (path !== undefined && path !== inMemoryDatabase) absolute[key] = resolve(cwd, path);
  }
  return absolute;
}
