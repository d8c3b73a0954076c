/**
 * Windows processes as {@linkcode ProcessRecord}s, from the answers of a
 * {@linkcode WindowsProcessApi}: the process list decoded from
 * `SYSTEM_PROCESS_INFORMATION` (windows/layouts/), each process's image path,
 * command line and user asked one by one (a protected process that refuses
 * one is an `unreadable` skip naming it, and that field `unevaluated`), and
 * the named handles (mutants, events, sections, files, keys…) from the
 * system handle table, each name asked with a timeout.
 *
 * @module
 */
import { blockingFileAccessMasks } from "../../windows/layouts/process.ts";
import {
  decodeSystemHandles,
  decodeSystemProcesses,
  type SystemHandleEntry,
} from "../../windows/layouts/process_decode.ts";
import { isFailure, type WindowsProcessApi } from "./windows_api.ts";
import type {
  ProcessHandle,
  ProcessReadNeeds,
  ProcessRecord,
  ProcessSourceEvent,
} from "./process_record.ts";

/** The bounds of the Windows source. */
export interface WindowsProcessLimits {
  readonly maxProcesses: number;
  /** Named handles kept per process at most. */
  readonly maxHandles: number;
  /** How long one object name may take before its worker is abandoned. */
  readonly nameTimeoutMs: number;
}

/** The default bounds. */
export const defaultWindowsProcessLimits: WindowsProcessLimits = {
  maxProcesses: 65_536,
  maxHandles: 4_096,
  nameTimeoutMs: 1_000,
};

/** Processes without an image: the idle process and System. */
const kernelPids: ReadonlySet<number> = new Set([0, 4]);

/** The name Windows tools give the idle process, whose record has no image name. */
const idleProcessName = "System Idle Process";

/** The object types whose named handles are listed. */
const namedTypes: ReadonlySet<string> = new Set([
  "Mutant",
  "Event",
  "Section",
  "File",
  "Key",
  "Semaphore",
  "Directory",
  "SymbolicLink",
  "ALPC Port",
  "Job",
  "Timer",
]);

/** The records of every process, with skips and warnings, from `api`. */
export async function* windowsRecords(
  api: WindowsProcessApi,
  needs: ProcessReadNeeds,
  limits: WindowsProcessLimits = defaultWindowsProcessLimits,
  now: () => Date = () => new Date(),
  signal?: AbortSignal,
): AsyncGenerator<ProcessSourceEvent> {
  const listed = api.systemProcesses();
  if (isFailure(listed)) {
    yield {
      skip: true,
      object: "process-list:NtQuerySystemInformation",
      reason: listed.denied ? "unreadable" : "error",
      detail: listed.error,
      listing: true,
    };
    return;
  }
  const decoded = decodeSystemProcesses(listed.bytes, listed.base);
  if (decoded.damaged) {
    yield {
      skip: true,
      object: "process-list:NtQuerySystemInformation",
      reason: "error",
      detail:
        `the process list is damaged, the processes after it are not listed: ${decoded.damaged}`,
      listing: true,
    };
  }
  let processes = decoded.records;
  if (processes.length > limits.maxProcesses) {
    yield {
      warning: true,
      code: "process-cap",
      message: `${processes.length} processes, only the first ${limits.maxProcesses} are read ` +
        `(the cap on processes)`,
    };
    yield {
      skip: true,
      object: `processes past the first ${limits.maxProcesses}`,
      reason: "too-large",
      detail: `${processes.length} processes listed: the rest are not read`,
      listing: true,
    };
    processes = processes.slice(0, limits.maxProcesses);
  }
  const table = needs.handles ? yield* handleTable(api) : undefined;
  for (const process of processes) {
    if (signal?.aborted) return;
    const observedAt = now().toISOString();
    const kernel = kernelPids.has(process.pid);
    const name = process.imageName || (process.pid === 0 ? idleProcessName : undefined);
    const who = `pid ${process.pid} ${name ?? "?"}`;
    const unevaluated: Record<string, string> = {};
    const denied: string[] = [];
    const ask = <T>(
      what: string,
      fields: readonly string[],
      result: T | { error: string; denied: boolean },
      needed = true,
    ) => {
      if (!isFailure(result)) return result as T;
      for (const field of fields) unevaluated[field] = `${what}: ${result.error}`;
      if (result.denied && needed) denied.push(what);
      return undefined;
    };
    const imagePath = kernel ? undefined : ask<string>(
      "image path",
      ["path", "md5sum", "sha1sum", "sha256sum"],
      api.imagePath(process.pid),
      needs.image !== false,
    );
    const commandLine = kernel
      ? undefined
      : ask<string>("command line", ["arguments", "cmdLine"], api.commandLine(process.pid));
    const user = needs.user && process.pid !== 0
      ? ask<{ username?: string; sid: string }>(
        "user",
        ["Username", "SecurityID"],
        api.user(process.pid),
      )
      : undefined;
    const privileges = needs.privileges && process.pid !== 0
      ? ask<string[]>("privileges", ["EnabledPrivilege"], api.privileges(process.pid))
      : undefined;
    if (needs.libraries && !kernel) {
      unevaluated.DllPath = "the loaded modules of a Windows process are not read yet";
    }
    let handles: ProcessHandle[] | undefined;
    if (table !== undefined && process.pid !== 0) {
      const entries = table.byPid.get(process.pid) ?? [];
      const read = await namedHandles(api, process.pid, entries, limits);
      if ("failure" in read) {
        unevaluated.HandleList = `handles: ${read.failure.error}`;
        if (read.failure.denied) denied.push("handles");
      } else {
        handles = read.handles;
        if (read.gaps.length > 0) {
          unevaluated["HandleList/Handle/Name"] = read.gaps.join("; ");
          yield {
            warning: true,
            code: "handle-names-unread",
            message: `${who}: ${read.gaps.join("; ")}`,
          };
        }
      }
      // A value it does carry still matches; the rest of the list is unknown.
      if (table.gap !== undefined) unevaluated.HandleList = table.gap;
    }
    const record: ProcessRecord = {
      pid: process.pid,
      parentPid: process.parentPid,
      ...(name === undefined ? {} : { name }),
      ...(imagePath === undefined ? {} : { imagePath, imageOpenPath: imagePath }),
      ...(commandLine === undefined ? {} : { commandLine }),
      ...(user?.username === undefined ? {} : { username: user.username }),
      ...(user === undefined ? {} : { securityId: user.sid }),
      ...(process.createTime === undefined ? {} : { startTime: process.createTime }),
      kernelSeconds: process.kernelSeconds,
      userSeconds: process.userSeconds,
      ...(kernel ? { kernelThread: true } : {}),
      ...(handles === undefined ? {} : { handles }),
      ...(privileges === undefined ? {} : { enabledPrivileges: privileges }),
      observedAt,
      ...(Object.keys(unevaluated).length === 0 ? {} : { unevaluated }),
    };
    if (denied.length > 0) {
      yield {
        skip: true,
        object: who,
        reason: "unreadable",
        detail: `access denied: ${denied.join(", ")} (a protected process, or another user's)`,
      };
    }
    yield record;
  }
}

/** The system handle table by pid, and why every process's handles are unknown when they are. */
interface HandleTable {
  readonly byPid: ReadonlyMap<number, SystemHandleEntry[]>;
  /** The table could not be read, or was cut: no process's list is known to be whole. */
  readonly gap?: string;
}

/** Reads the system handle table: a failure is a skip of the source, a cut table a warning. */
function* handleTable(api: WindowsProcessApi): Generator<ProcessSourceEvent, HandleTable> {
  const table = api.systemHandles();
  if (isFailure(table)) {
    yield {
      skip: true,
      object: "handle-table:NtQuerySystemInformation",
      reason: table.denied ? "unreadable" : "error",
      detail: table.error,
    };
    return { byPid: new Map(), gap: `the system handle table could not be read: ${table.error}` };
  }
  const decoded = decodeSystemHandles(table);
  if (decoded.damaged) {
    yield { warning: true, code: "handle-table-cut", message: decoded.damaged };
  }
  const byPid = new Map<number, SystemHandleEntry[]>();
  for (const entry of decoded.entries) {
    const list = byPid.get(entry.pid);
    if (list) list.push(entry);
    else byPid.set(entry.pid, [entry]);
  }
  return decoded.damaged
    ? { byPid, gap: `the system handle table was cut: ${decoded.damaged}` }
    : { byPid };
}

async function namedHandles(
  api: WindowsProcessApi,
  pid: number,
  entries: readonly SystemHandleEntry[],
  limits: WindowsProcessLimits,
): Promise<
  { handles: ProcessHandle[]; gaps: string[] } | { failure: { error: string; denied: boolean } }
> {
  const query = api.openHandles(pid);
  if (isFailure(query)) return { failure: query };
  const handles: ProcessHandle[] = [];
  const gaps: string[] = [];
  const types = new Map<number, string | undefined>();
  let timeouts = 0;
  let skippedBlocking = 0;
  // Handles whose type or name could not be told: the list may lack them.
  let typesUnread = 0;
  let namesUnread = 0;
  try {
    for (const entry of entries) {
      if (handles.length >= limits.maxHandles) {
        gaps.push(`more than ${limits.maxHandles} named handles: only the first are listed`);
        break;
      }
      let type = types.get(entry.objectTypeIndex);
      if (!types.has(entry.objectTypeIndex)) {
        const asked = query.typeName(entry.handleValue);
        type = isFailure(asked) ? undefined : asked;
        if (type !== undefined) types.set(entry.objectTypeIndex, type);
      }
      if (type === undefined) {
        typesUnread++;
        continue;
      }
      if (!namedTypes.has(type)) continue;
      if (type === "File" && blockingFileAccessMasks.includes(entry.grantedAccess)) {
        skippedBlocking++;
        continue;
      }
      const name = await query.objectName(entry.handleValue, limits.nameTimeoutMs);
      if (name === "timeout") {
        timeouts++;
        continue;
      }
      if (isFailure(name)) {
        namesUnread++;
        continue;
      }
      if (name === "") continue; // An unnamed object: nothing to list.
      handles.push({ Name: name, Type: type });
    }
  } finally {
    query.close();
  }
  if (timeouts > 0) {
    gaps.push(`${timeouts} handle name(s) not told within ${limits.nameTimeoutMs} ms`);
  }
  if (namesUnread > 0) gaps.push(`${namesUnread} handle name(s) could not be read`);
  if (typesUnread > 0) gaps.push(`${typesUnread} handle type(s) could not be read`);
  if (skippedBlocking > 0) {
    gaps.push(`${skippedBlocking} file handle(s) whose name query may block were not asked`);
  }
  return { handles, gaps };
}
