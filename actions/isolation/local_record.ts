/**
 * The local record of the active isolation (issue 21): a root-only file next to the results store
 * (`isolation.json`, 0600 in a 0700 folder; on Windows the store folder's access list) holding the
 * isolation as the store holds it — id, plan (allow-list, deadline) and the installed rule set's
 * fingerprint — so that `isolation boot` and `isolation check` can keep an isolation when the
 * store cannot be opened (a `postgres://` store at boot). Audit records they could not store go
 * to a bounded queue file (`isolation-audit-queue.jsonl`) that the next command reaching the store
 * flushes into it. A record that is not ours (another owner, group or others' bits, a symbolic
 * link, bad JSON, an allow-list failing the plan's own checks) is refused.
 *
 * @module
 */
import { join } from "node:path";
import type { StoredIsolation, StoredIsolationAudit } from "../../store/mod.ts";
import { createStoreFolder, restrictStoreFolder } from "../../store/store_permissions.ts";
import { isAllowRule } from "./allow_rule_check.ts";
import { MAX_ISOLATION_MS } from "./isolation_limits.ts";

/** The record's file name in its folder. */
export const LOCAL_RECORD_FILE = "isolation.json";
/** The audit queue's file name in its folder. */
export const AUDIT_QUEUE_FILE = "isolation-audit-queue.jsonl";
/** At most this many queued audit records: a full queue refuses more (never drops one). */
export const AUDIT_QUEUE_LIMIT = 1_000;
/** The record's format version. */
const RECORD_VERSION = 1;
const FILE_MODE = 0o600;
const GROUP_AND_OTHERS = 0o077;
const ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;

/** Why a local record was refused. */
export class LocalRecordRefused extends Error {
  override name = "LocalRecordRefused";
}

/** Where the record and the queue live, and how their files are checked. */
export interface LocalRecordPlace {
  readonly folder: string;
  /** `Deno.build.os` by default. */
  readonly os?: typeof Deno.build.os;
}

/**
 * Writes the record durably: a temporary file (0600) written and fsynced, renamed over the
 * record, the folder fsynced. The folder is created for its owner only when missing.
 */
export async function writeLocalRecord(
  place: LocalRecordPlace,
  isolation: StoredIsolation,
): Promise<void> {
  prepareFolder(place);
  const text = JSON.stringify({ version: RECORD_VERSION, isolation });
  await writeDurably(place, LOCAL_RECORD_FILE, text);
}

/** Removes the record when it names `id` (any record when `id` is undefined), durably. */
export async function removeLocalRecord(place: LocalRecordPlace, id?: string): Promise<void> {
  const path = join(place.folder, LOCAL_RECORD_FILE);
  if (id !== undefined) {
    let current: StoredIsolation | undefined;
    try {
      current = await readLocalRecord(place);
    } catch {
      current = undefined;
    }
    if (current !== undefined && current.id !== id) return;
  }
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    return;
  }
  await syncFolder(place.folder);
}

/**
 * Reads the record: undefined when there is none.
 *
 * @throws LocalRecordRefused when it is not ours or not a valid active isolation.
 */
export async function readLocalRecord(
  place: LocalRecordPlace,
): Promise<StoredIsolation | undefined> {
  const path = join(place.folder, LOCAL_RECORD_FILE);
  const text = await readOwnFile(place, path);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new LocalRecordRefused(`${path} is not JSON (${messageOf(error)})`);
  }
  const problem = recordProblem(parsed);
  if (problem !== undefined) throw new LocalRecordRefused(`${path}: ${problem}`);
  return (parsed as { isolation: StoredIsolation }).isolation;
}

/**
 * Queues one audit record the store could not take.
 *
 * @throws Error when the queue is full or cannot be written (the record is then kept nowhere).
 */
export async function queueAudit(
  place: LocalRecordPlace,
  record: StoredIsolationAudit,
): Promise<void> {
  prepareFolder(place);
  const queued = await queuedAudit(place);
  if (queued.length >= AUDIT_QUEUE_LIMIT) {
    throw new Error(
      `the local audit queue holds ${AUDIT_QUEUE_LIMIT} records already: this one is not kept`,
    );
  }
  const text = [...queued, record].map((entry) => JSON.stringify(entry)).join("\n") + "\n";
  await writeDurably(place, AUDIT_QUEUE_FILE, text);
}

/**
 * The queued audit records, oldest first.
 *
 * @throws LocalRecordRefused when the queue is not ours or not JSON lines.
 */
export async function queuedAudit(place: LocalRecordPlace): Promise<StoredIsolationAudit[]> {
  const path = join(place.folder, AUDIT_QUEUE_FILE);
  const text = await readOwnFile(place, path);
  if (text === undefined) return [];
  const records: StoredIsolationAudit[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw new LocalRecordRefused(`${path} is not JSON lines (${messageOf(error)})`);
    }
    const entry = record as Partial<StoredIsolationAudit> | null;
    if (
      entry === null || typeof entry !== "object" || typeof entry.isolationId !== "string" ||
      typeof entry.step !== "string" || typeof entry.at !== "string" ||
      typeof entry.who !== "string" || (entry.outcome !== "ok" && entry.outcome !== "failed")
    ) {
      throw new LocalRecordRefused(`${path} holds a line that is not an audit record`);
    }
    records.push(entry as StoredIsolationAudit);
  }
  return records;
}

/**
 * Moves the queued audit records into the store (oldest first), then empties the queue. When the
 * store refuses one, the queue keeps it and those after it, and the error is thrown.
 *
 * @returns How many were moved.
 */
export async function flushAuditQueue(
  place: LocalRecordPlace,
  add: (record: StoredIsolationAudit) => Promise<void>,
): Promise<number> {
  const queued = await queuedAudit(place);
  if (queued.length === 0) return 0;
  for (const [index, record] of queued.entries()) {
    try {
      await add(record);
    } catch (error) {
      // What the store took is not queued again: the queue keeps the rest, in order.
      const rest = queued.slice(index).map((entry) => JSON.stringify(entry)).join("\n") + "\n";
      await writeDurably(place, AUDIT_QUEUE_FILE, rest);
      throw error;
    }
  }
  await Deno.remove(join(place.folder, AUDIT_QUEUE_FILE));
  await syncFolder(place.folder);
  return queued.length;
}

/** What is wrong with a parsed record; undefined when it is a valid active isolation. */
function recordProblem(parsed: unknown): string | undefined {
  const record = parsed as { version?: unknown; isolation?: Record<string, unknown> } | null;
  if (record === null || typeof record !== "object" || record.version !== RECORD_VERSION) {
    return `not a version ${RECORD_VERSION} isolation record`;
  }
  const isolation = record.isolation;
  if (isolation === null || typeof isolation !== "object") return "no isolation in it";
  if (typeof isolation.id !== "string" || !ID_PATTERN.test(isolation.id)) return "a bad id";
  if (isolation.state !== "active") return "not an active isolation";
  const expires = typeof isolation.expiresAt === "string" ? Date.parse(isolation.expiresAt) : NaN;
  const started = typeof isolation.started === "string" ? Date.parse(isolation.started) : NaN;
  if (Number.isNaN(expires) || Number.isNaN(started)) return "a bad start or deadline";
  // No plan lasts longer than the longest isolation from now (an extend counts from now too).
  if (expires - Date.now() > MAX_ISOLATION_MS) return "a deadline beyond the longest isolation";
  if (!Array.isArray(isolation.iocIds) || typeof isolation.who !== "string") {
    return "bad IOC ids or who";
  }
  const plan = isolation.plan as Record<string, unknown> | null;
  if (plan === null || typeof plan !== "object" || !Array.isArray(plan.allow)) {
    return "no allow-list";
  }
  if (plan.id !== isolation.id || plan.expiresAt !== isolation.expiresAt) {
    return "its plan names another isolation or deadline";
  }
  const bad = plan.allow.find((rule) => !isAllowRule(rule));
  if (bad !== undefined) {
    return `an allow-list rule fails the plan's checks (${JSON.stringify(bad).slice(0, 120)})`;
  }
  if (plan.installedHash !== undefined && typeof plan.installedHash !== "string") {
    return "a bad rule-set fingerprint";
  }
  return undefined;
}

/** The file's text when it is ours (not a link; POSIX: our uid, no group or others' bits). */
async function readOwnFile(place: LocalRecordPlace, path: string): Promise<string | undefined> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  if (info.isSymlink) throw new LocalRecordRefused(`${path} is a symbolic link`);
  if (!info.isFile) throw new LocalRecordRefused(`${path} is not a regular file`);
  if ((place.os ?? Deno.build.os) !== "windows") {
    const uid = Deno.uid();
    const folder = await Deno.stat(place.folder);
    if (folder.uid !== uid || ((folder.mode ?? 0) & GROUP_AND_OTHERS) !== 0) {
      throw new LocalRecordRefused(
        `its folder ${place.folder} is not ours alone (uid ${folder.uid}, mode ${
          ((folder.mode ?? 0) & 0o777).toString(8)
        })`,
      );
    }
    if (info.uid !== uid || ((info.mode ?? 0) & GROUP_AND_OTHERS) !== 0) {
      throw new LocalRecordRefused(
        `${path} is not ours alone (uid ${info.uid}, mode ${
          ((info.mode ?? 0) & 0o777).toString(8)
        })`,
      );
    }
  }
  return await Deno.readTextFile(path);
}

function prepareFolder(place: LocalRecordPlace): void {
  const context = place.os === undefined ? {} : { os: place.os };
  createStoreFolder(place.folder, context);
  restrictStoreFolder(place.folder, context);
}

async function writeDurably(place: LocalRecordPlace, name: string, text: string): Promise<void> {
  const target = join(place.folder, name);
  const temporary = join(place.folder, `.${name}.${crypto.randomUUID()}.tmp`);
  const file = await Deno.open(temporary, { createNew: true, write: true, mode: FILE_MODE });
  try {
    const bytes = new TextEncoder().encode(text);
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.sync();
  } finally {
    file.close();
  }
  try {
    await Deno.rename(temporary, target);
  } catch (error) {
    await Deno.remove(temporary).catch(() => undefined);
    throw error;
  }
  await syncFolder(place.folder);
}

/** Makes a rename or removal in `folder` durable (POSIX; Windows has no folder handle to sync). */
async function syncFolder(folder: string): Promise<void> {
  if (Deno.build.os === "windows") return;
  const handle = await Deno.open(folder, { read: true });
  try {
    await handle.sync();
  } finally {
    handle.close();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
