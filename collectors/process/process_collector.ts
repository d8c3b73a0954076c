/**
 * The ProcessItem collector: every process of the live system, from the
 * platform's {@linkcode ProcessSource}, with its image's digests and PEInfo
 * computed lazily (image_source.ts) and its parent's name joined from the
 * same listing. It reads only what the loaded IOCs need: the user when they
 * name `Username`/`SecurityID`, descriptors and handles when they name
 * `HandleList`.
 *
 * What it cannot read is never silence: a process this user may not read is
 * a `skipped` record naming it (`unreadable`) and its unread fields are
 * `unevaluated`; a source that cannot run at all is a skip of the source.
 *
 * @module
 */
import { thisComputerName } from "../live/mod.ts";
import type { Collector, CollectRequest } from "../collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { type FileFieldName, wantsDigests } from "../file/mod.ts";
import { createImageHasher, type FileOpener, hostFileOpener } from "../hashing/mod.ts";
import { ImageHashing, type ImageIdentity } from "./image_source.ts";
import { processDocument, processItemOf } from "./process_item.ts";
import type { ProcessMemory } from "./memory/mod.ts";
import type { PortLists } from "./port_lists.ts";
import type { ProcessReadNeeds, ProcessRecord, ProcessSource } from "./process_record.ts";

/** The collector's name: `--types process`, `collect process`. */
export const processCollectorName = "process";

/** The documents it produces. */
export const processDocuments: readonly string[] = [processDocument];

/** The figures of one run. */
export interface ProcessCollectorStats {
  /** Which source read the processes (`proc`, `windows-api`, `cim`). */
  source: string;
  processes: number;
  skipped: number;
  /** Distinct image files whose digests or PEInfo were asked for. */
  images: number;
  /** Processes whose memory was read for `SectionList` or `StringList`. */
  memoryRead: number;
  /** Ports joined into processes' `PortList`. */
  ports: number;
}

/** Options of the collector. */
export interface ProcessCollectorOptions {
  /** Where processes are read (tests pass a recorded one). */
  readonly source: ProcessSource;
  /** The computer name for provenance (default `Deno.hostname()`). */
  readonly hostname?: string;
  /** Hash workers; 0 hashes in this thread (tests). Default 2. */
  readonly hashWorkers?: number;
  /** Opens images for hashing in this thread and for PE parsing. */
  readonly opener?: FileOpener;
  /** Tells image files apart (tests). */
  readonly identity?: ImageIdentity;
  /**
   * Reads each process's memory sections and the IOC strings in its memory
   * (`SectionList`, `StringList`), when an IOC names them: made once per run
   * from the loaded IOCs (memory/mod.ts). Without it those fields are unknown.
   */
  readonly memory?: ProcessMemory;
  /**
   * Reads the connection tables once and sorts the ports by owner, when an
   * IOC names `PortList` (port_lists.ts). Without it `PortList` is unknown.
   */
  readonly portLists?: (signal?: AbortSignal) => Promise<PortLists>;
}

/** The ProcessItem fields the image source computes, by lower-case name → file field. */
const lazyImageFields: ReadonlyMap<string, FileFieldName> = new Map([
  ["md5sum", "Md5sum"],
  ["sha1sum", "Sha1sum"],
  ["sha256sum", "Sha256sum"],
  ["peinfo", "PEInfo"],
]);

/** Processes read between two progress reports. */
const progressEvery = 256;

/** The fields read from the image's name or file (lower case). */
const imageFieldNames = ["name", "path", "parentprocessname", ...lazyImageFields.keys()];

/** A collector of processes with its last run's figures. */
export interface ProcessCollector extends Collector {
  readonly stats: Readonly<ProcessCollectorStats>;
}

/**
 * Creates the collector over `options.source`.
 *
 * @example
 * ```ts ignore
 * import { createProcessCollector, linuxProcessSource } from "./mod.ts";
 * const collector = createProcessCollector({ source: linuxProcessSource() });
 * const needs = new Map([["ProcessItem", new Set(["name", "sha256sum"])]]);
 * const reporter = { skipped: console.error, warning: console.error, progress() {} };
 * for await (const item of collector.collect({ needs, reporter })) console.log(item.key);
 * ```
 */
export function createProcessCollector(options: ProcessCollectorOptions): ProcessCollector {
  let stats = emptyStats(options.source.name);
  // The images are counted as the engine asks for their digests, after the objects went out.
  let hashing: ImageHashing | undefined;
  return {
    name: processCollectorName,
    documents: processDocuments,
    get stats() {
      return { ...stats, images: hashing?.images ?? 0 };
    },
    collect(request: CollectRequest): AsyncIterable<ObservedItem> {
      stats = emptyStats(options.source.name);
      hashing = undefined;
      return collectProcesses(options, request, stats, (shared) => hashing = shared);
    },
  };
}

function emptyStats(source: string): ProcessCollectorStats {
  return { source, processes: 0, skipped: 0, images: 0, memoryRead: 0, ports: 0 };
}

async function* collectProcesses(
  options: ProcessCollectorOptions,
  request: CollectRequest,
  stats: ProcessCollectorStats,
  share: (hashing: ImageHashing) => void,
): AsyncGenerator<ObservedItem> {
  const needs = request.needs.get(processDocument);
  if (needs === undefined) return;
  const lower = new Set([...needs].map((name) => name.toLowerCase()));
  const readNeeds: ProcessReadNeeds = {
    user: lower.has("username") || lower.has("securityid"),
    handles: lower.has("handlelist"),
    libraries: lower.has("dllpath"),
    privileges: lower.has("enabledprivilege"),
    image: imageFieldNames.some((name) => lower.has(name)),
  };
  const reporter = request.reporter;
  const records: ProcessRecord[] = [];
  for await (const event of options.source.processes(readNeeds, request.signal)) {
    if ("skip" in event) {
      stats.skipped++;
      reporter.skipped({
        collector: processCollectorName,
        object: event.object,
        reason: event.reason,
        detail: event.detail,
        ...(event.listing ? { unreadDocuments: processDocuments } : {}),
      });
    } else if ("warning" in event) {
      reporter.warning({
        collector: processCollectorName,
        code: event.code,
        message: event.message,
      });
    } else {
      records.push(event);
      if (records.length % progressEvery === 0) {
        reporter.progress({
          collector: processCollectorName,
          objects: records.length,
          current: `pid ${event.pid}`,
        });
      }
    }
  }
  if (request.signal?.aborted) return;
  const names = new Map(records.map((record) => [record.pid, record.name]));
  const computer = options.hostname ?? thisComputerName();
  const wanted = new Set(
    [...lower].flatMap((name) => lazyImageFields.get(name) ?? []),
  );
  const hasher = wanted.size === 0 ? undefined : createImageHasher(options, wantsDigests(wanted));
  const hashing = hasher && new ImageHashing({
    hasher,
    opener: options.opener ?? hostFileOpener(),
    wanted,
    followSymlinks: true,
    reporter: {
      ...reporter,
      skipped(entry) {
        stats.skipped++;
        reporter.skipped(entry);
      },
    },
    collector: processCollectorName,
    countBytes() {},
  }, options.identity);
  if (hashing) share(hashing);
  const memoryFields = memoryFieldNames.filter((name) => lower.has(name.toLowerCase()));
  const ports = lower.has("portlist") ? await portListsOf(options, request.signal) : undefined;
  try {
    for (const record of records) {
      if (request.signal?.aborted) return;
      const item = processItemOf(
        record,
        computer,
        names.get(record.parentPid ?? -1),
        parentGap(record, names),
      );
      if (hashing && record.imageOpenPath !== undefined) {
        // An image it can open but not name (Linux: not UTF-8) is named by where it opens.
        item.lazy = hashing.sourceFor(
          record.imagePath ?? record.imageOpenPath,
          record.imageOpenPath,
        );
      }
      if (ports !== undefined) stats.ports += joinPorts(item, ports);
      if (memoryFields.length > 0) {
        await addMemory(item, record.pid, memoryFields, options.memory, request);
        stats.memoryRead++;
      }
      stats.processes++;
      yield item;
    }
  } finally {
    hasher?.release();
  }
}

/** The parent's name is unknown when the parent (not pid 0, "no parent") was not listed. */
function parentGap(
  record: ProcessRecord,
  names: ReadonlyMap<number, string | undefined>,
): Record<string, string> | undefined {
  const parent = record.parentPid;
  if (parent === undefined || parent === 0 || names.get(parent) !== undefined) return undefined;
  return {
    ParentProcessName: `the parent (pid ${parent}) was not in the listing: exited, or not readable`,
  };
}

/** The top-level fields the memory library fills. */
const memoryFieldNames = ["SectionList", "StringList"] as const;

/** The run's port lists, or why there are none (an unknown, never an empty list). */
async function portListsOf(
  options: ProcessCollectorOptions,
  signal: AbortSignal | undefined,
): Promise<PortLists> {
  if (options.portLists === undefined) {
    return { byPid: new Map(), unknown: new Map(), unknownAll: "ports are not read here" };
  }
  try {
    return await options.portLists(signal);
  } catch (error) {
    const why = `ports not read: ${error instanceof Error ? error.message : String(error)}`;
    return { byPid: new Map(), unknown: new Map(), unknownAll: why };
  }
}

/** Sets the process's `PortList`, or marks it unknown; returns the ports joined. */
function joinPorts(item: ObservedItem, ports: PortLists): number {
  const pid = Number(item.fields["pid"]);
  const unknown = ports.unknownAll ?? ports.unknown.get(pid);
  const own = ports.byPid.get(pid) ?? [];
  item.fields["PortList"] = { PortItem: [...own] };
  // Ports that were seen still count: a hit on one is a fact, only a miss is unknown.
  if (unknown !== undefined) item.unevaluated = { ...item.unevaluated, PortList: unknown };
  return own.length;
}

/** Adds what the memory library read of one process (or why it could not) to its object. */
async function addMemory(
  item: ObservedItem,
  pid: number,
  names: readonly string[],
  memory: ProcessMemory | undefined,
  request: CollectRequest,
): Promise<void> {
  if (memory === undefined) {
    const why = "process memory is not read here";
    item.unevaluated = {
      ...item.unevaluated,
      ...Object.fromEntries(names.map((name) => [name, why])),
    };
    return;
  }
  const load = await memory.load(pid, item.key, names);
  Object.assign(item.fields, load.fields);
  if (load.unevaluated) item.unevaluated = { ...item.unevaluated, ...load.unevaluated };
  for (const skip of load.skipped) request.reporter.skipped(skip);
  for (const warning of load.warnings) request.reporter.warning(warning);
}
