/**
 * The port collector's live Linux source: `/proc/<pid>/net/{tcp,tcp6,udp,udp6}`
 * read once per network namespace that has processes (processes grouped by
 * the inode of their `/proc/<pid>/ns/net` link; containers' sockets are not in
 * the root `/proc/net`), and each socket tied to its process by scanning
 * `/proc/<pid>/fd` for `socket:[inode]` links.
 *
 * What it cannot read is said: a process whose descriptors or namespace are
 * denied (another user's, when not root) is a `skipped` record naming it, and
 * a socket whose owner was not found while some process was unreadable has
 * pid, process and path `unevaluated`. A socket no process holds (TIME_WAIT,
 * inode 0) simply has no owner. Every read is bounded: processes, descriptors
 * per process and bytes per table, each cap reported when reached.
 *
 * Deno reads `/proc` only with every permission (docs/architecture.md, "The
 * live host wing"); tests inject a {@linkcode ProcFs} or run the CLI.
 *
 * @module
 */
import { readProcText } from "../live/mod.ts";
import type { ProcText } from "../live/mod.ts";
import type { SkippedObject } from "../collector.ts";
import type { PortRecord } from "./port_record.ts";
import { maxMountinfoBytes, procHidesProcesses } from "../process/proc_visibility.ts";
import { parseProcNetTable, procNetTables } from "./proc_net_table.ts";
import {
  errorText,
  portSkip,
  type PortSource,
  type PortTableRead,
  portTableSkip,
  portWarning,
} from "./source.ts";

/** The file-system calls the source makes, injectable for tests. */
export interface ProcFs {
  /** The names in a folder. */
  readDir(path: string): AsyncIterable<string>;
  readLink(path: string): Promise<string>;
  readText(path: string, maxBytes: number): Promise<ProcText>;
}

/** The real `/proc`. */
export const denoProcFs: ProcFs = {
  async *readDir(path) {
    for await (const entry of Deno.readDir(path)) yield entry.name;
  },
  readLink: (path) => Deno.readLink(path),
  readText: (path, maxBytes) => readProcText(path, maxBytes),
};

/** The bounds of one read. */
export interface LinuxPortLimits {
  /** Processes looked at, at most (the rest are reported, not read). */
  readonly maxProcesses: number;
  /** Descriptors read per process, at most. */
  readonly maxFdsPerProcess: number;
  /** Bytes read per table file, at most. */
  readonly maxTableBytes: number;
  /** Processes read at once. */
  readonly concurrency: number;
}

/** The default bounds. */
export const defaultLinuxPortLimits: LinuxPortLimits = {
  maxProcesses: 65_536,
  maxFdsPerProcess: 65_536,
  maxTableBytes: 64 * 1024 * 1024,
  concurrency: 16,
};

/** Options of the Linux source. */
export interface LinuxPortSourceOptions {
  readonly fs?: ProcFs;
  readonly limits?: Partial<LinuxPortLimits>;
  /** The clock (tests fix it). */
  readonly now?: () => Date;
  /** This user's uid (default `Deno.uid()`): root sees every process whatever `hidepid` says. */
  readonly uid?: number | null;
}

/** The source of the port collector on a live Linux host. */
export function linuxPortSource(options: LinuxPortSourceOptions = {}): PortSource {
  return {
    name: "proc-net",
    read: (signal) => readLinuxPorts(options, signal),
  };
}

/** One set of tables to read: a namespace's, or an unreadable process's. */
interface TableReading {
  /**
   * Whose `/proc/<holder>/net` shows the namespace: `self`, or its processes in
   * order (when one exits before its tables are read, the next is used).
   */
  readonly holders: readonly (number | "self")[];
  /** How skips name the namespace. */
  readonly label: string;
  /** The objects' `networkNamespace`: absent for iocscan's own. */
  readonly networkNamespace?: string;
  /** Keep only sockets no earlier table showed (the namespace is not known). */
  readonly onlyUnseen: boolean;
}

/** What was learnt of one process. */
interface ProcessView {
  readonly pid: number;
  readonly namespace?: string;
  readonly inodes: readonly number[];
  /** Why its descriptors or namespace could not be read. */
  readonly denied?: string;
  /** Set when it holds more descriptors than the cap: some of its sockets were not looked at. */
  readonly capped?: string;
}

const socketLink = /^socket:\[(\d+)\]$/;
/** Descriptor links read at once in one process. */
const fdLinksAtOnce = 256;
const deletedSuffix = " (deleted)";

/** Reads every namespace's tables and ties sockets to processes. */
export async function readLinuxPorts(
  options: LinuxPortSourceOptions,
  signal?: AbortSignal,
): Promise<PortTableRead> {
  const fs = options.fs ?? denoProcFs;
  const limits = { ...defaultLinuxPortLimits, ...options.limits };
  const observedAt = (options.now ?? (() => new Date()))().toISOString();
  const skips: SkippedObject[] = [];
  const warnings: PortTableRead["warnings"] = [];

  const ownNamespace = await fs.readLink("/proc/self/ns/net");
  const pids: number[] = [];
  for await (const name of fs.readDir("/proc")) {
    if (/^\d+$/.test(name)) pids.push(Number(name));
  }
  pids.sort((a, b) => a - b);
  if (pids.length > limits.maxProcesses) {
    warnings.push(portWarning(
      "port-process-cap",
      `${pids.length} processes, only the first ${limits.maxProcesses} were read (maxProcesses)`,
    ));
    skips.push(portSkip(
      `processes past the first ${limits.maxProcesses}`,
      "too-large",
      `${pids.length - limits.maxProcesses} processes not read: their sockets have no owner`,
    ));
  }

  // Processes /proc does not list to this user (hidepid): their sockets' owners, and the
  // namespaces only they are in, went unseen.
  let hiding: string | undefined;
  try {
    const mountinfo = (await fs.readText("/proc/self/mountinfo", maxMountinfoBytes)).text;
    hiding = procHidesProcesses(mountinfo, options.uid === undefined ? Deno.uid() : options.uid);
  } catch {
    hiding = undefined; // No mount table: nothing known hides.
  }
  if (hiding !== undefined) skips.push(portTableSkip("process-list:/proc", "unreadable", hiding));

  const views: ProcessView[] = [];
  const chosen = pids.slice(0, limits.maxProcesses);
  for (let at = 0; at < chosen.length; at += limits.concurrency) {
    if (signal?.aborted) break;
    const batch = chosen.slice(at, at + limits.concurrency);
    const read = await Promise.all(batch.map((pid) => viewProcess(fs, pid, limits, warnings)));
    for (const view of read) if (view) views.push(view);
  }

  const owners = new Map<number, number>();
  // Each namespace with the processes in it, read through the first that is still there.
  const namespaces = new Map<string, number[] | "self">([[ownNamespace, "self"]]);
  // Processes whose sockets went unseen: denied, or past the cap.
  let denied = Math.max(0, pids.length - limits.maxProcesses) + (hiding === undefined ? 0 : 1);
  for (const view of views) {
    if (view.denied !== undefined) {
      denied++;
      skips.push(portSkip(
        `pid ${view.pid}${await commOf(fs, view.pid)}`,
        "unreadable",
        `its descriptors (so its sockets' owner) could not be read: ${view.denied}`,
      ));
    } else if (view.capped !== undefined) {
      // Its sockets past the cap are owned by nobody seen: as unknown as a refused process's.
      denied++;
      skips.push(portSkip(
        `pid ${view.pid}${await commOf(fs, view.pid)}`,
        "too-large",
        `${view.capped}: the owner of the sockets among them is not known`,
      ));
    }
    for (const inode of view.inodes) if (!owners.has(inode)) owners.set(inode, view.pid);
    if (view.namespace !== undefined) {
      const holders = namespaces.get(view.namespace);
      if (holders === undefined) namespaces.set(view.namespace, [view.pid]);
      else if (holders !== "self") holders.push(view.pid);
    }
  }

  const images = new Map<number, Promise<Image>>();
  const imageOf = (pid: number) => {
    let image = images.get(pid);
    if (!image) images.set(pid, image = readImage(fs, pid));
    return image;
  };
  // The tables to read: one per namespace found, then those of each process whose namespace
  // could not be read (its namespace may be one no readable process is in), keeping only the
  // sockets not seen yet.
  const readings: TableReading[] = [...namespaces].map(([namespace, holders]) => ({
    holders: holders === "self" ? ["self"] : holders,
    label: namespace,
    ...(holders === "self" ? {} : { networkNamespace: namespace }),
    onlyUnseen: false,
  }));
  for (const view of views) {
    if (view.namespace !== undefined) continue;
    const label = `the namespace of pid ${view.pid} (unreadable)`;
    readings.push({
      holders: [view.pid],
      label,
      networkNamespace: label,
      onlyUnseen: true,
    });
  }
  const seenInodes = new Set<number>();
  const seenUnowned = new Set<string>();
  const ports: PortRecord[] = [];
  let tablesRead = 0;
  for (const reading of readings) {
    if (signal?.aborted) break;
    let holder = 0;
    for (const table of procNetTables) {
      const namespace = reading.label;
      let file = "";
      let text: ProcText | undefined;
      while (text === undefined && holder < reading.holders.length) {
        file = `/proc/${reading.holders[holder]}/net/${table.file}`;
        try {
          text = await fs.readText(file, limits.maxTableBytes);
        } catch (error) {
          if (!(error instanceof Deno.errors.NotFound)) {
            skips.push(portTableSkip(`${file} (${namespace})`, "unreadable", errorText(error)));
            break;
          }
          // No tcp6/udp6 when IPv6 is off; but when the process itself is gone, the
          // namespace is read through the next of its processes (its sockets are still there).
          if (await stillThere(fs, reading.holders[holder]!)) break;
          holder++;
        }
      }
      if (text === undefined) continue;
      tablesRead++;
      if (text.truncated) {
        skips.push(portTableSkip(
          `${file} (${namespace})`,
          "too-large",
          `read only its first ${limits.maxTableBytes} bytes (maxTableBytes): later sockets not read`,
        ));
      }
      // A cut table ends in a cut line: read only its whole lines.
      const whole = text.truncated
        ? text.text.slice(0, text.text.lastIndexOf("\n") + 1)
        : text.text;
      const parsed = parseProcNetTable(whole, table.file);
      for (const bad of parsed.badLines) {
        warnings.push(portWarning(
          "port-bad-line",
          `line ${bad.line} of ${file} is not a socket line: ${bad.text}`,
          file,
        ));
      }
      for (const entry of parsed.entries) {
        // Socket inodes are unique on the host; a socket without one (TIME_WAIT) by its ends.
        const unownedKey = `${table.file} ${entry.localIP}:${entry.localPort} ` +
          `${entry.remoteIP}:${entry.remotePort} ${entry.state}`;
        const seen = entry.inode === 0 ? seenUnowned.has(unownedKey) : seenInodes.has(entry.inode);
        if (reading.onlyUnseen && seen) continue;
        if (entry.inode === 0) seenUnowned.add(unownedKey);
        else seenInodes.add(entry.inode);
        const record: Record<string, unknown> = {
          protocol: entry.protocol,
          isIPv6: entry.isIPv6,
          localIP: entry.localIP,
          localPort: entry.localPort,
          remoteIP: entry.remoteIP,
          remotePort: entry.remotePort,
          ...(entry.state === undefined ? {} : { state: entry.state }),
          ...(reading.networkNamespace === undefined
            ? {}
            : { networkNamespace: reading.networkNamespace }),
          observedAt,
        };
        const unevaluated: Record<string, string> = {
          CreationTime: "Linux does not record when a socket was created",
        };
        const owner = entry.inode === 0 ? undefined : owners.get(entry.inode);
        if (owner !== undefined) {
          record.pid = owner;
          const image = await imageOf(owner);
          Object.assign(record, image.fields);
          Object.assign(unevaluated, image.unevaluated);
        } else if (entry.inode !== 0 && denied > 0) {
          const why = `no readable process holds socket ${entry.inode}, and ${denied} ` +
            `process(es) could not be read`;
          Object.assign(unevaluated, { pid: why, process: why, path: why });
        }
        ports.push({ ...record, unevaluated } as unknown as PortRecord);
      }
    }
  }
  return {
    ports,
    skips,
    warnings,
    stats: {
      processes: views.length,
      processesUnreadable: views.filter((view) => view.denied !== undefined).length,
      namespaces: namespaces.size,
      tables: tablesRead,
      sockets: ports.length,
    },
  };
}

async function viewProcess(
  fs: ProcFs,
  pid: number,
  limits: LinuxPortLimits,
  warnings: PortTableRead["warnings"],
): Promise<ProcessView | undefined> {
  let namespace: string;
  try {
    namespace = await fs.readLink(`/proc/${pid}/ns/net`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined; // exited
    // A kernel thread holds no descriptors: nothing of it is unseen.
    if (await isKernelThread(fs, pid)) return { pid, inodes: [] };
    return { pid, inodes: [], denied: errorText(error) };
  }
  const names: string[] = [];
  let capped: string | undefined;
  try {
    for await (const name of fs.readDir(`/proc/${pid}/fd`)) {
      if (names.length >= limits.maxFdsPerProcess) {
        capped = `more than ${limits.maxFdsPerProcess} descriptors, the rest were not read ` +
          `(maxFdsPerProcess)`;
        warnings.push(
          portWarning("port-fd-cap", `pid ${pid}: ${capped}: their sockets have no owner`),
        );
        break;
      }
      names.push(name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    if (await isKernelThread(fs, pid)) return { pid, namespace, inodes: [] };
    return { pid, namespace, inodes: [], denied: errorText(error) };
  }
  const inodes: number[] = [];
  let unreadLink: string | undefined;
  // A bounded number of links read at once, however many descriptors a process holds.
  for (let at = 0; at < names.length; at += fdLinksAtOnce) {
    const links = await Promise.all(
      names.slice(at, at + fdLinksAtOnce).map((name) =>
        fs.readLink(`/proc/${pid}/fd/${name}`).catch((error) => {
          // Closed since the listing: gone. Anything else: a socket may hide behind it.
          if (!(error instanceof Deno.errors.NotFound)) unreadLink ??= errorText(error);
          return "";
        })
      ),
    );
    for (const link of links) {
      const match = socketLink.exec(link);
      if (match) inodes.push(Number(match[1]));
    }
  }
  if (unreadLink !== undefined) return { pid, namespace, inodes, denied: unreadLink };
  return capped === undefined ? { pid, namespace, inodes } : { pid, namespace, inodes, capped };
}

interface Image {
  readonly fields: { process?: string; path?: string; imagePath?: string };
  readonly unevaluated: Record<string, string>;
}

/** The owner's image: file name and folder from `/proc/<pid>/exe`; `comm` for a kernel thread. */
async function readImage(fs: ProcFs, pid: number): Promise<Image> {
  try {
    let target = await fs.readLink(`/proc/${pid}/exe`);
    if (target.endsWith(deletedSuffix)) target = target.slice(0, -deletedSuffix.length);
    const slash = target.lastIndexOf("/");
    return {
      fields: {
        process: target.slice(slash + 1),
        path: slash > 0 ? target.slice(0, slash) : "/",
        imagePath: target,
      },
      unevaluated: {},
    };
  } catch (error) {
    const why = `the image of pid ${pid} could not be read: ${errorText(error)}`;
    if (error instanceof Deno.errors.NotFound) {
      // A kernel thread has no image; a process that exited since has none any more.
      const comm = (await commOf(fs, pid)).slice(2, -1);
      return comm === ""
        ? { fields: {}, unevaluated: { process: why, path: why } }
        : { fields: { process: comm }, unevaluated: { path: why } };
    }
    return { fields: {}, unevaluated: { process: why, path: why } };
  }
}

/** Whether a process (or `self`) still exists: its namespace link can be read. */
async function stillThere(fs: ProcFs, holder: number | "self"): Promise<boolean> {
  try {
    await fs.readLink(`/proc/${holder}/ns/net`);
    return true;
  } catch (error) {
    return !(error instanceof Deno.errors.NotFound);
  }
}

/** `PF_KTHREAD` in the flags of `/proc/<pid>/stat` (field 9). */
const kernelThreadFlag = 0x00200000;

/** Whether a process is a kernel thread (its `stat` is readable by every user). */
async function isKernelThread(fs: ProcFs, pid: number): Promise<boolean> {
  try {
    const stat = (await fs.readText(`/proc/${pid}/stat`, 4096)).text;
    // The fields after the command name, which is in parentheses and may hold anything.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const flags = Number(fields[6]);
    return Number.isInteger(flags) && (flags & kernelThreadFlag) !== 0;
  } catch {
    return false;
  }
}

/** ` (comm)` of a process, or "" when it cannot be read (for naming it in a skip). */
async function commOf(fs: ProcFs, pid: number): Promise<string> {
  try {
    const comm = (await fs.readText(`/proc/${pid}/comm`, 64)).text.trim();
    return comm === "" ? "" : ` (${comm})`;
  } catch {
    return "";
  }
}
