/**
 * The TaskCache keys of a SOFTWARE hive
 * (`Microsoft\Windows NT\CurrentVersion\Schedule\TaskCache`): `Tree\<path>`
 * (each task's `Id`) and `Tasks\{GUID}` (its `Path`, `Author`,
 * `Description`, `Date`, the binary `Actions` and `DynamicInfo`). The
 * scheduler runs what is registered here; a task whose XML file was deleted
 * still runs, which is why the collector compares the two.
 *
 * The binary layouts (`Actions` version 3, `DynamicInfo`) follow public
 * write-ups of the format; they were not checked against a hive of every
 * Windows version, and a blob that does not fit is reported, not guessed.
 *
 * @module
 */
import type { RegistryMount } from "../registry/mod.ts";
import { recordText } from "../registry/mod.ts";
import type { TaskAction } from "./task_record.ts";

/** The TaskCache key below the SOFTWARE hive's root. */
export const taskCachePath: readonly string[] = [
  "Microsoft",
  "Windows NT",
  "CurrentVersion",
  "Schedule",
  "TaskCache",
];

/** One task registered in TaskCache. */
export interface TaskCacheEntry {
  /** `\Folder\Task`, from Tree's key path (or Tasks\{GUID}\Path when Tree lacks it). */
  readonly virtualPath: string;
  /** The `{GUID}` of `Tasks`; undefined when Tree's key has no `Id`. */
  readonly id?: string;
  /** Whether the task has a `Tasks\{GUID}` key. */
  readonly inTasks: boolean;
  /** Whether Tree has a key for it. */
  readonly inTree: boolean;
  /** Tree's `SD` value is missing: the task is hidden from the scheduler's listings. */
  readonly noSecurityDescriptor: boolean;
  readonly author?: string;
  readonly description?: string;
  readonly date?: string;
  /** The decoded `Actions`, or why they could not be decoded. */
  readonly actions: readonly TaskAction[] | string;
  readonly lastRun?: string;
  readonly lastResult?: number;
}

/** Exec, ComHandler, SendEmail and ShowMessage actions in the binary blob. */
const actionMagic = { exec: 0x6666, comHandler: 0x7777, email: 0x8888, message: 0x9999 } as const;
/** Offsets in `DynamicInfo`. */
const dynamicInfo = { lastRun: 12, lastResult: 24, minimumSize: 28 } as const;
/** FILETIME ticks of 1970-01-01. */
const unixEpochTicks = 116444736000000000n;

/**
 * The tasks registered in a SOFTWARE hive, by lower-cased virtual path; an
 * empty map when the hive has no TaskCache key.
 */
export function readTaskCache(software: RegistryMount): Map<string, TaskCacheEntry> {
  const entries = new Map<string, TaskCacheEntry>();
  const treeRoot = [...taskCachePath, "Tree"];
  const byId = new Map<string, { path: string; hasSd: boolean }>();
  const treePrefix = treeRoot.join("\\").toLowerCase();
  for (const visit of software.walk(treeRoot, true) ?? []) {
    const values = visit.values();
    const idValue = values.find((value) => value.name.toLowerCase() === "id");
    if (idValue === undefined) continue;
    const relative = visit.path.slice(treePrefix.length);
    const path = relative.startsWith("\\") ? relative : `\\${relative}`;
    const id = recordText(idValue);
    const hasSd = values.some((value) => value.name.toLowerCase() === "sd");
    if (id !== undefined) byId.set(id.toLowerCase(), { path, hasSd });
    entries.set(path.toLowerCase(), {
      virtualPath: path,
      ...(id === undefined ? {} : { id }),
      inTasks: false,
      inTree: true,
      noSecurityDescriptor: !hasSd,
      actions: "no Tasks\\{GUID} key",
    });
  }
  const tasksRoot = [...taskCachePath, "Tasks"];
  for (const guid of software.subkeyNames(tasksRoot) ?? []) {
    const key = [...tasksRoot, guid];
    const text = (name: string) => recordText(software.readValue(key, name));
    const tree = byId.get(guid.toLowerCase());
    const path = tree?.path ?? text("Path") ?? `\\${guid}`;
    const actionsData = software.readValue(key, "Actions")?.data;
    const dynamic = decodeDynamicInfo(software.readValue(key, "DynamicInfo")?.data);
    const entry: TaskCacheEntry = {
      virtualPath: path,
      id: guid,
      inTasks: true,
      inTree: tree !== undefined,
      noSecurityDescriptor: tree !== undefined && !tree.hasSd,
      ...optional("author", text("Author")),
      ...optional("description", text("Description")),
      ...optional("date", text("Date")),
      actions: actionsData === undefined ? "no Actions value" : decodeTaskActions(actionsData),
      ...dynamic,
    };
    entries.set(path.toLowerCase(), entry);
  }
  return entries;
}

/**
 * Decodes a TaskCache `Actions` blob (version 3: a `u16` version, a
 * length-prefixed UTF-16 context, then actions, each a `u16` magic and a
 * length-prefixed id). Returns the actions, or why the blob does not fit.
 */
export function decodeTaskActions(data: Uint8Array): TaskAction[] | string {
  const reader = new BlobReader(data);
  const version = reader.u16();
  if (version !== 3) return `Actions blob version ${version ?? "?"} is not read (only 3 is)`;
  if (reader.string() === undefined) return "Actions blob cut in its context";
  const actions: TaskAction[] = [];
  while (!reader.done) {
    const magic = reader.u16();
    if (reader.string() === undefined) return `Actions blob cut after ${actions.length} actions`;
    if (magic === actionMagic.exec) {
      const command = reader.string();
      const args = reader.string();
      const workingDirectory = reader.string();
      if (workingDirectory === undefined || reader.u16() === undefined) {
        return `Actions blob cut in Exec action ${actions.length + 1}`;
      }
      actions.push({
        type: "Exec",
        ...optional("programPath", command),
        ...optional("arguments", args),
        ...optional("workingDirectory", workingDirectory),
      });
    } else if (magic === actionMagic.comHandler) {
      const clsid = reader.guid();
      const comData = reader.string();
      if (clsid === undefined || comData === undefined) {
        return `Actions blob cut in ComHandler action ${actions.length + 1}`;
      }
      actions.push({ type: "ComHandler", comClassId: clsid, ...optional("comData", comData) });
    } else {
      const kind = magic === actionMagic.email
        ? "SendEmail"
        : magic === actionMagic.message
        ? "ShowMessage"
        : `0x${(magic ?? 0).toString(16)}`;
      return `Actions blob holds a ${kind} action, whose layout iocscan does not read`;
    }
  }
  return actions;
}

/** `DynamicInfo`: the last run (FILETIME at 12) and its result (u32 at 24). */
export function decodeDynamicInfo(
  data: Uint8Array | undefined,
): { lastRun?: string; lastResult?: number } {
  if (data === undefined || data.length < dynamicInfo.minimumSize) return {};
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const ticks = view.getBigUint64(dynamicInfo.lastRun, true);
  const result = view.getUint32(dynamicInfo.lastResult, true);
  const out: { lastRun?: string; lastResult?: number } = {};
  if (ticks > unixEpochTicks) {
    const ms = Number((ticks - unixEpochTicks) / 10000n);
    const date = new Date(ms);
    if (!Number.isNaN(date.getTime())) {
      out.lastRun = date.toISOString();
      out.lastResult = result;
    }
  }
  return out;
}

function optional<K extends string>(
  name: K,
  value: string | undefined,
): { [P in K]?: string } {
  return (value === undefined || value === "" ? {} : { [name]: value }) as { [P in K]?: string };
}

/** Bounds-checked little-endian reads of a blob. */
class BlobReader {
  readonly #data: Uint8Array;
  readonly #view: DataView;
  #at = 0;

  constructor(data: Uint8Array) {
    this.#data = data;
    this.#view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  get done(): boolean {
    return this.#at >= this.#data.length;
  }

  u16(): number | undefined {
    if (this.#at + 2 > this.#data.length) return undefined;
    const value = this.#view.getUint16(this.#at, true);
    this.#at += 2;
    return value;
  }

  /** A `u32` byte length and that many bytes of UTF-16 LE. */
  string(): string | undefined {
    if (this.#at + 4 > this.#data.length) return undefined;
    const length = this.#view.getUint32(this.#at, true);
    if (length % 2 !== 0 || this.#at + 4 + length > this.#data.length) return undefined;
    const text = new TextDecoder("utf-16le").decode(
      this.#data.subarray(this.#at + 4, this.#at + 4 + length),
    );
    this.#at += 4 + length;
    return text.replace(/\0+$/, "");
  }

  guid(): string | undefined {
    if (this.#at + 16 > this.#data.length) return undefined;
    const v = this.#view;
    const at = this.#at;
    const hex = (value: number, width: number) => value.toString(16).padStart(width, "0");
    const tail = [...this.#data.subarray(at + 8, at + 16)].map((byte) => hex(byte, 2)).join("");
    this.#at += 16;
    return `{${hex(v.getUint32(at, true), 8)}-${hex(v.getUint16(at + 4, true), 4)}-${
      hex(v.getUint16(at + 6, true), 4)
    }-${tail.slice(0, 4)}-${tail.slice(4)}}`.toUpperCase();
  }
}
