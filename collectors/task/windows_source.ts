/**
 * Windows scheduled tasks: the task XML files under
 * `%SystemRoot%\System32\Tasks` and the TaskCache keys of the SOFTWARE hive,
 * compared. Live, the files are read in place and TaskCache through the live
 * registry (collectors/registry/, advapi32); offline, both come from a
 * mounted image (`--root`) or the SOFTWARE hive given with `--hive`. A task
 * in one and absent from the other carries the flag `XML_FILE_MISSING` or
 * `TASKCACHE_ENTRY_MISSING` (a deleted XML file is a known way to hide a
 * task; it still runs).
 *
 * The live Windows source has not yet run on Windows: its parts are tested on
 * files and hives built by code.
 *
 * @module
 */
import { join } from "node:path";
import { linkOutOfRoot } from "../evidence_root.ts";
import type { RegistryMount } from "../registry/mod.ts";
import { findPath } from "../registry/mod.ts";
import { XmlSyntaxError } from "../../openioc/xml_error.ts";
import { readTaskCache, type TaskCacheEntry } from "./task_cache.ts";
import { type TaskAction, taskDocument, type TaskRecord } from "./task_record.ts";
import { maxTaskFiles, type TaskSource, type TaskSourceEvent } from "./task_source.ts";
import { TaskRoot } from "./task_files.ts";
import { decodeTaskText, type ExpandVariables, parseTaskXml } from "./task_xml.ts";

/** The task folder below a Windows volume's root. */
export const tasksFolderSegments: readonly string[] = ["Windows", "System32", "Tasks"];
/** The deepest task folder followed (the scheduler's own go 4 deep). */
const maxFolderDepth = 16;
/** iocscan's flags of a task found in one place only. */
export const taskCacheFlags = {
  xmlMissing: "XML_FILE_MISSING",
  cacheMissing: "TASKCACHE_ENTRY_MISSING",
  noSecurityDescriptor: "TASKCACHE_SD_MISSING",
} as const;

/** Where a Windows source reads. */
export interface WindowsTaskSourceOptions {
  /** The Tasks folder as this machine opens it; undefined when there is none to read. */
  readonly tasksFolder?: string;
  /** The Tasks folder as Windows names it (`C:\Windows\System32\Tasks`). */
  readonly displayFolder: string;
  /**
   * The SOFTWARE hive holding TaskCache, or why it cannot be read (then
   * tasks are read from their XML files alone, and a warning says so).
   */
  readonly software: () => Promise<RegistryMount | string>;
  /** Expands `%SystemRoot%` and the like in a task's program. */
  readonly expand: ExpandVariables;
  /** Maps a program's Windows path to the file this machine opens (undefined: none). */
  readonly openImage: (windowsPath: string) => string | undefined;
  /** How the source is named in stats. */
  readonly name: string;
}

/** The tasks of one Windows system. */
export function windowsTaskSource(options: WindowsTaskSourceOptions): TaskSource {
  return {
    name: options.name,
    async *read(signal) {
      const software = await options.software();
      const cache = typeof software === "string" ? undefined : readTaskCache(software);
      if (typeof software === "string" && options.tasksFolder === undefined) {
        yield {
          skip: {
            object: options.name,
            reason: "source-unavailable",
            detail: `neither the task files nor TaskCache could be read: ${software}`,
            unreadDocuments: [taskDocument],
          },
        };
        return;
      }
      if (typeof software === "string") {
        yield {
          skip: {
            object: "TaskCache",
            reason: "source-unavailable",
            detail:
              `TaskCache not read (${software}): tasks whose XML file was deleted are not seen`,
            unreadDocuments: [taskDocument],
          },
        };
      } else {
        for (const warning of software.takeWarnings()) {
          yield { warning: { code: warning.code, message: warning.message } };
        }
      }
      const fromXml = new Set<string>();
      if (options.tasksFolder === undefined) {
        yield {
          warning: {
            code: "task-folder-missing",
            message:
              `${options.displayFolder} is not in the evidence: tasks read from TaskCache only`,
          },
        };
      } else {
        for (const event of xmlTasks(options, options.tasksFolder, [], 0)) {
          if (signal?.aborted) return;
          if ("record" in event) {
            const path = event.record.virtualPath!.toLowerCase();
            fromXml.add(path);
            yield { record: withCache(event.record, cache?.get(path), cache !== undefined) };
          } else {
            yield event;
          }
        }
      }
      for (const entry of cache?.values() ?? []) {
        if (fromXml.has(entry.virtualPath.toLowerCase())) continue;
        yield {
          record: registryOnly(entry, options, typeof software === "string" ? undefined : software),
        };
      }
    },
  };
}

function* xmlTasks(
  options: WindowsTaskSourceOptions,
  folder: string,
  segments: readonly string[],
  depth: number,
): Generator<TaskSourceEvent> {
  const root = new TaskRoot(folder);
  const { entries, events } = root.list("");
  yield* events;
  for (const entry of entries.slice(0, maxTaskFiles)) {
    const path = [...segments, entry.name];
    if (entry.isDirectory) {
      if (depth >= maxFolderDepth) {
        yield {
          skip: {
            object: join(folder, entry.name),
            reason: "path-too-long",
            detail: `task folders nested deeper than ${maxFolderDepth}: not read`,
            unreadDocuments: [taskDocument],
          },
        };
      } else {
        yield* xmlTasks(options, join(folder, entry.name), path, depth + 1);
      }
      continue;
    }
    const openFile = join(folder, entry.name);
    const display = `${options.displayFolder}\\${path.join("\\")}`;
    const read = root.read(entry.name);
    if ("skip" in read) {
      yield { skip: { ...read.skip, object: display } };
      continue;
    }
    let facts;
    try {
      facts = parseTaskXml(decodeTaskText(read.bytes), options.expand);
    } catch (error) {
      yield {
        skip: {
          object: display,
          reason: error instanceof XmlSyntaxError ? "corrupt" : "unsupported",
          detail: `not a readable task file: ${
            error instanceof Error ? error.message : String(error)
          }`,
          // A file the parser could not read may be a task Windows runs; one that is no task is not.
          ...(error instanceof XmlSyntaxError ? { unreadDocuments: [taskDocument] } : {}),
        },
      };
      continue;
    }
    const virtualPath = `\\${path.join("\\")}`;
    const actions = facts.actions.map((action) => withOpenPath(action, options));
    const image = actions.find((action) => action.type === "Exec")?.openPath;
    yield {
      record: {
        ...facts,
        actions,
        kind: "windows",
        name: entry.name,
        // The file's place is the task's path; RegistrationInfo/URI may say otherwise.
        virtualPath,
        file: display,
        openFile,
        ...(image === undefined ? {} : { imageOpenPath: image }),
      },
    };
  }
}

function withCache(
  record: TaskRecord,
  entry: TaskCacheEntry | undefined,
  cacheRead: boolean,
): TaskRecord {
  if (!cacheRead) {
    return {
      ...record,
      unevaluated: {
        ...record.unevaluated,
        MostRecentRunTime: "TaskCache was not read",
        ExitCode: "TaskCache was not read",
      },
    };
  }
  if (entry === undefined) {
    return {
      ...record,
      taskCache: "xml-only",
      flags: [...record.flags ?? [], taskCacheFlags.cacheMissing],
      unevaluated: {
        ...record.unevaluated,
        MostRecentRunTime: "the task is not registered in TaskCache",
        ExitCode: "the task is not registered in TaskCache",
      },
    };
  }
  return {
    ...record,
    taskCache: "both",
    flags: [
      ...record.flags ?? [],
      ...(entry.noSecurityDescriptor ? [taskCacheFlags.noSecurityDescriptor] : []),
    ],
    ...(entry.lastRun === undefined ? {} : { lastRun: entry.lastRun }),
    ...(entry.lastResult === undefined ? {} : { lastResult: entry.lastResult }),
    ...(entry.lastRun === undefined
      ? {
        unevaluated: {
          ...record.unevaluated,
          MostRecentRunTime: "TaskCache records no run of the task",
          ExitCode: "TaskCache records no run of the task",
        },
      }
      : {}),
  };
}

function registryOnly(
  entry: TaskCacheEntry,
  options: WindowsTaskSourceOptions,
  software: RegistryMount | undefined,
): TaskRecord {
  const actions = typeof entry.actions === "string"
    ? []
    : entry.actions.map((action) =>
      withOpenPath(
        action.programPath === undefined
          ? action
          : { ...action, programPath: options.expand(action.programPath) },
        options,
      )
    );
  const image = actions.find((action) => action.type === "Exec")?.openPath;
  const name = entry.virtualPath.split("\\").filter((part) => part !== "").pop() ??
    entry.virtualPath;
  const noXml = "the task's XML file is missing: TaskCache does not keep it";
  return {
    kind: "windows",
    name,
    virtualPath: entry.virtualPath,
    // Read from the hive: the task file it names is missing.
    ...(software?.file === undefined ? {} : { openFile: software.file }),
    taskCache: "registry-only",
    flags: [
      taskCacheFlags.xmlMissing,
      ...(entry.noSecurityDescriptor ? [taskCacheFlags.noSecurityDescriptor] : []),
    ],
    ...(entry.author === undefined ? {} : { author: entry.author }),
    ...(entry.description === undefined ? {} : { description: entry.description }),
    ...(entry.date === undefined ? {} : { creationDate: entry.date }),
    ...(entry.lastRun === undefined ? {} : { lastRun: entry.lastRun }),
    ...(entry.lastResult === undefined ? {} : { lastResult: entry.lastResult }),
    actions,
    triggers: [],
    ...(image === undefined ? {} : { imageOpenPath: image }),
    unevaluated: {
      path: noXml,
      TriggerList: noXml,
      triggers: noXml,
      AccountName: noXml,
      userName: noXml,
      AccountLogonType: noXml,
      AccountRunLevel: noXml,
      Status: noXml,
      disabled: noXml,
      MaxRunTime: noXml,
      Priority: noXml,
      ...(typeof entry.actions === "string"
        ? { ActionList: entry.actions, ApplicationName: entry.actions, Parameters: entry.actions }
        : {}),
    },
  };
}

/** An action with the file this machine opens for its program, when there is one. */
function withOpenPath(action: TaskAction, options: WindowsTaskSourceOptions): TaskAction {
  if (action.programPath === undefined) return action;
  const openPath = options.openImage(unquote(action.programPath));
  return openPath === undefined ? action : { ...action, openPath };
}

/** A program path without the quotes a task may wrap it in. */
function unquote(program: string): string {
  const trimmed = program.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
    ? trimmed.slice(1, -1)
    : trimmed;
}

/**
 * The file a program's Windows path names below an image root mounted as
 * `drive` (matched in any case), or undefined when the path is on another
 * drive or relative.
 */
export function imageFileOpener(
  root: string,
  drive: string,
): (windowsPath: string) => string | undefined {
  return (windowsPath) => {
    const match = /^([A-Za-z]:)\\(.*)$/.exec(windowsPath);
    if (!match || match[1]!.toUpperCase() !== drive.toUpperCase()) return undefined;
    const segments = match[2]!.split("\\").filter((part) => part !== "" && part !== ".");
    if (segments.includes("..")) return undefined;
    const path = findPath(root, segments) ?? join(root, ...segments);
    // A program whose link leads out of the image is not the image's: it is not hashed.
    return linkOutOfRoot(path, root) === undefined ? path : undefined;
  };
}

/** Live Windows: a program given as an absolute drive path is opened as written. */
export function liveImageOpener(windowsPath: string): string | undefined {
  return /^[A-Za-z]:\\/.test(windowsPath) ? windowsPath : undefined;
}
