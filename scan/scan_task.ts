/**
 * The shape of a scan task: what a task file holds once parsed
 * (scan/task_file.ts reads and validates it; docs/task-file.md). Its own
 * file, with no imports, so that the collector descriptors can read a task
 * without depending on the parser, which reads the collector list.
 *
 * @module
 */

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
  /** Match Network/DNS and Network/URI items against the names this machine resolved (opt-in). */
  endpointNetwork?: boolean;
  evidence?: string[];
  evtx?: string[];
  hives?: string[];
  roots?: string[];
  /** The drive the files below `roots` are shown on (`X:`); default from each root's name, else C:. */
  rootDrive?: string;
  databasePath?: string;
  /**
   * With a PostgreSQL `databasePath` (a fleet store, docs/fleet.md): the local SQLite store that
   * records the run first and keeps it until it is uploaded (default: the default store location).
   */
  localDatabasePath?: string;
  /** A CA certificate file (PEM) the PostgreSQL server's certificate must chain to (verify-full). */
  databaseCa?: string;
  maxFileSize?: number;
  maxIocFileSize?: number;
  /** Follow links in IOC folders whose target is outside the folder (default false). */
  followIocLinks?: boolean;
  /** Response actions to run on the detections (scan/action_list.ts; docs/actions.md). */
  actions?: string[];
  /** Say what the actions would do, change nothing. */
  whatIf?: boolean;
  /** The quarantine store (default: `IOCSCAN_QUARANTINE_DIR`, else the OS's). */
  quarantineDir?: string;
  /** Act on at most this many objects per run (default 50). */
  maxActions?: number;
  /** Refuse to quarantine files larger than this many bytes (default 100 MB). */
  maxQuarantineFileSize?: number;
  /** Quarantine system-critical files too. */
  force?: boolean;
  /** Stop the processes running an image before deleting it. */
  terminate?: boolean;
  /** How long `isolate` isolates the host: a span such as `8h` (default 8 h). */
  isolationDuration?: string;
  /** The peers `isolate` also allows, `HOST[:PORT][/PROTO]` each. */
  isolationAllow?: string[];
  /** The forbidden target of the isolation's self-test, `HOST:PORT` (TCP). */
  isolationProbe?: string;
  /** Why `isolate` isolates, for the audit (default: the detecting IOCs' names). */
  isolationReason?: string;
}
