/**
 * The quarantine store (docs/quarantine.md): a folder holding a key, an append-only journal, one
 * record per entry and the encrypted copies. {@linkcode openQuarantineStore} checks the folder,
 * loads (or makes) the key and recovers what a crash left; `quarantine` runs the journaled
 * sequence on one file so that a kill at any moment leaves either the original in place or a
 * verified copy with a durable record, never neither.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { basename, dirname, isAbsolute, join, resolve, sep } from "node:path";
import { hostname } from "node:os";
import type {
  CapturedMetadata,
  PurgeOptions,
  QuarantineEntry,
  QuarantineOutcome,
  QuarantinePlatform,
  QuarantinePolicy,
  QuarantineStore,
  QuarantineTarget,
  RecoveryReport,
  RestoreOutcome,
} from "./contract.ts";
import {
  decryptChunks,
  encryptChunks,
  importChunkKey,
  TamperedCopyError,
} from "./chunked_cipher.ts";
import { removeIfPresent, syncFolder } from "./durable_file.ts";
import {
  type EntryRecord,
  type FileIdentity,
  newEntryId,
  objectFileName,
  objectPath,
  readAllRecords,
  readRecord,
  RECORD_FORMAT,
  recordPath,
  type StoredStream,
  withState,
  writeRecord,
} from "./entry_record.ts";
import { FileHasher } from "./file_hashes.ts";
import { type JournalRecord, JournalWriter, readJournal } from "./journal.ts";
import { linuxQuarantinePlatform } from "./linux_platform.ts";
import { windowsQuarantinePlatform } from "./windows_platform.ts";
import { FINISH_STEPS, JournalOp, QuarantineStep, ROLL_BACK_STEPS } from "./quarantine_steps.ts";
import { ENTRIES_FOLDER, OBJECTS_FOLDER, prepareStoreFolder } from "./store_folder.ts";
import { loadStoreKey } from "./store_key.ts";
import { pathIsInside } from "./path_inside.ts";

/** The lock file every change to the store holds (`flock`; released by the kernel on a kill). */
export const LOCK_FILE = "lock";
const MS_PER_DAY = 24 * 60 * 60 * 1000;
const ROOT_UID = 0;
const FOREIGN_LINK_RESTORE =
  "a restore never follows another user's link (name the real folder with --to)";
const FOREIGN_LINK_QUARANTINE =
  "another user's link in a folder of the path is never followed (it may lead where the " +
  "detected file never was)";

/** Hooks for tests: run at fixed points of the sequence, to race it. */
export interface QuarantineTestHooks {
  /** After the first `lstat`, before the open (where ClamAV's race sits). */
  afterLstat?(path: string): void | Promise<void>;
  /** After the record, before the last identity check and the delete. */
  beforeDelete?(path: string): void | Promise<void>;
}

/** Options of {@linkcode openQuarantineStore}. */
export interface OpenQuarantineStoreOptions {
  readonly dir: string;
  /** Default: the Linux platform on Linux, the Windows platform on Windows; others must pass theirs. */
  readonly platform?: QuarantinePlatform;
  /** Recorded in entries; `os.hostname()` by default. */
  readonly host?: string;
  readonly now?: () => Date;
  /**
   * Test only: the process kills itself with SIGKILL right after step N of a quarantine is
   * journaled (the CLI sets it from `IOCSCAN_TEST_ABORT_AFTER_STEP`).
   */
  readonly faultAfterStep?: number;
  readonly hooks?: QuarantineTestHooks;
}

/** What the store found in its journal when it was opened, besides recovered operations. */
export interface JournalHealth {
  /** A torn last line, cut off (a crash while it was written). */
  readonly tornLine?: string;
  /** Line numbers that are not journal records. */
  readonly unreadableLines: readonly number[];
}

/** The opened store: the contract's API plus what opening it found. */
export interface OpenedQuarantineStore extends QuarantineStore {
  /** What opening the store recovered. */
  readonly recovery: RecoveryReport;
  readonly journalHealth: JournalHealth;
}

/**
 * Opens (creating when missing) the store in `options.dir` and recovers what a crash left.
 *
 * @throws Error when the folder or key is unsafe, or the platform is missing.
 */
export async function openQuarantineStore(
  options: OpenQuarantineStoreOptions,
): Promise<OpenedQuarantineStore> {
  const dir = resolve(options.dir);
  const platform = options.platform ?? defaultPlatform();
  prepareStoreFolder(dir);
  const key = await importChunkKey(await loadStoreKey(dir));
  const lock = await Deno.open(join(dir, LOCK_FILE), {
    read: true,
    write: true,
    create: true,
    mode: 0o600,
  });
  try {
    await lock.lock(true);
    const contents = await readJournal(dir);
    const journal = await JournalWriter.open(dir, contents.completeBytes);
    const store = new Store(dir, await Deno.realPath(dir), platform, key, lock, journal, options);
    store.journalHealth = {
      ...(contents.tornLine === undefined ? {} : { tornLine: contents.tornLine }),
      unreadableLines: contents.unreadable,
    };
    store.recovery = await store.recoverLocked(contents.records);
    await lock.unlock();
    return store;
  } catch (error) {
    lock.close();
    throw error;
  }
}

/** The platform of each system iocscan quarantines on (Windows: not yet run on Windows). */
const platforms: Partial<Record<typeof Deno.build.os, () => QuarantinePlatform>> = {
  linux: linuxQuarantinePlatform,
  windows: windowsQuarantinePlatform,
};

function defaultPlatform(): QuarantinePlatform {
  const make = platforms[Deno.build.os];
  if (make === undefined) throw new Error(`no quarantine platform given for ${Deno.build.os}`);
  return make();
}

/** Why a step stopped: the outcome's reason and words. */
class StepStop extends Error {
  constructor(
    readonly outcome: "refused" | "failed",
    readonly reason: string,
    detail: string,
  ) {
    super(detail);
  }
}

class Store implements OpenedQuarantineStore {
  recovery: RecoveryReport = { finished: [], rolledBack: [] };
  journalHealth: JournalHealth = { unreadableLines: [] };
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;
  private readonly host: string;

  constructor(
    readonly dir: string,
    private readonly realDir: string,
    private readonly platform: QuarantinePlatform,
    private readonly key: CryptoKey,
    private readonly lockFile: Deno.FsFile,
    private readonly journal: JournalWriter,
    private readonly options: OpenQuarantineStoreOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.host = options.host ?? hostname();
  }

  /** Runs `operation` holding the store's lock (and one at a time in this process). */
  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      await this.lockFile.lock(true);
      try {
        return await operation();
      } finally {
        await this.lockFile.unlock();
      }
    });
    this.queue = run.catch(() => {});
    return run;
  }

  private at(): string {
    return this.now().toISOString();
  }

  private async log(id: string, op: string, facts: Record<string, unknown> = {}): Promise<void> {
    await this.journal.append({ id, op, at: this.at(), ...facts });
  }

  /** Journals a step of the sequence, then dies there when the test hook says so. */
  private async step(
    id: string,
    name: keyof typeof QuarantineStep,
    facts: Record<string, unknown> = {},
  ) {
    const number = QuarantineStep[name];
    await this.log(id, name, { step: number, ...facts });
    if (this.options.faultAfterStep === number) Deno.kill(Deno.pid, "SIGKILL");
  }

  quarantine(target: QuarantineTarget, policy: QuarantinePolicy): Promise<QuarantineOutcome> {
    return this.exclusive(() => this.quarantineLocked(target, policy));
  }

  private async quarantineLocked(
    target: QuarantineTarget,
    policy: QuarantinePolicy,
  ): Promise<QuarantineOutcome> {
    const path = target.path;
    const stop = (error: StepStop, extra: Partial<QuarantineOutcome> = {}): QuarantineOutcome => ({
      path,
      outcome: error.outcome,
      reason: error.reason,
      detail: error.message,
      ...extra,
    });
    const checked = await checkBeforeOpen(
      path,
      policy,
      [this.dir, this.realDir],
      this.platform,
    );
    if (checked instanceof StepStop) return stop(checked);
    const before = checked;
    await this.options.hooks?.afterLstat?.(path);
    let file: Deno.FsFile;
    try {
      file = this.platform.openNoFollow === undefined
        ? await Deno.open(path, { read: true })
        : await this.platform.openNoFollow(path);
    } catch (error) {
      return stop(openError(error, path));
    }
    let id: string | undefined;
    try {
      const opened = await file.stat();
      await this.checkSame(path, before, opened);
      id = newEntryId(this.now());
      const identity = identityOf(opened);
      await this.step(id, "opened", { path, identity });
      const entryId = id;
      const result = await this.copyAndRecord(entryId, target, policy, file, before, opened)
        .catch(async (error: unknown) => {
          await this.rollBack(entryId, error instanceof Error ? error.message : String(error));
          throw error;
        });
      return await this.deleteOriginal(result, target, policy, file, before);
    } catch (error) {
      const stopped = error instanceof StepStop
        ? error
        : new StepStop("failed", "read-error", message(error));
      return stop(stopped);
    } finally {
      try {
        file.close();
      } catch {
        // Closed before the delete.
      }
    }
  }

  /** The protected path `path` lies in (the store, the results database…), if any. */
  private protectedBy(path: string, protectedPaths: readonly string[]) {
    return protectedPlace(path, [this.dir, this.realDir, ...protectedPaths]);
  }

  /**
   * Refuses when the path no longer names the opened file: a link now (`symlink`), or another
   * file or the same one changed (device, inode, size, modification time: `changed`).
   */
  private async checkSame(path: string, before: Deno.FileInfo, opened: Deno.FileInfo) {
    let now: Deno.FileInfo;
    try {
      now = await Deno.lstat(path);
    } catch (error) {
      throw new StepStop(
        "refused",
        "changed",
        `${path} went away while it was handled: ${message(error)}`,
      );
    }
    if (now.isSymlink) {
      throw new StepStop(
        "refused",
        "symlink",
        `${path} became a symbolic link while it was handled`,
      );
    }
    if (!opened.isFile) {
      throw new StepStop("refused", "not-regular", `${path} is not a regular file`);
    }
    if (!sameIdentity(before, opened) || !sameIdentity(now, opened)) {
      throw new StepStop(
        "refused",
        "changed",
        `${path} changed between the checks (device, inode, size or modification time)`,
      );
    }
  }

  /** Steps 2 to 5: capture, copy, verify, record. Throws a StepStop (the caller rolls back). */
  private async copyAndRecord(
    id: string,
    target: QuarantineTarget,
    policy: QuarantinePolicy,
    file: Deno.FsFile,
    before: Deno.FileInfo,
    opened: Deno.FileInfo,
  ): Promise<EntryRecord> {
    const path = target.path;
    let captured: CapturedMetadata;
    try {
      captured = await this.platform.captureMetadata(path, file, opened);
    } catch (error) {
      throw new StepStop("failed", "read-error", `metadata of ${path} not read: ${message(error)}`);
    }
    if (captured.uncopied !== undefined && captured.uncopied.length > 0) {
      throw new StepStop(
        "refused",
        "uncopied-streams",
        `${path} holds data the copy cannot: ${
          captured.uncopied.join("; ")
        }; deleting it would lose that, so it is left in place`,
      );
    }
    const metadata = captured.metadata;
    if (
      metadata.kind === "linux" && (metadata.flags.immutable || metadata.flags.appendOnly) &&
      !policy.force
    ) {
      throw new StepStop(
        "refused",
        "immutable",
        `${path} is ${
          metadata.flags.immutable ? "immutable" : "append-only"
        } (chattr); --force clears the flag and restore sets it again`,
      );
    }
    await this.step(id, "captured");

    const object = objectFileName(id);
    const hasher = new FileHasher();
    const size = await this.writeCopy(
      objectPath(this.dir, object),
      file,
      (chunk) => hasher.update(chunk),
    );
    const digests = hasher.digests();
    const streams: StoredStream[] = [];
    for (const [index, stream] of captured.streams.entries()) {
      let bytes: Uint8Array;
      try {
        bytes = await stream.read();
      } catch (error) {
        throw new StepStop(
          "failed",
          "read-error",
          `stream ${stream.name} of ${path}: ${message(error)}`,
        );
      }
      const name = objectFileName(id, index);
      await this.writeCopy(objectPath(this.dir, name), memoryReader(bytes), () => {});
      streams.push({ name: stream.name, size: bytes.length, sha256: sha256Hex(bytes), file: name });
    }
    const afterCopy = await file.stat();
    if (size !== opened.size || !sameIdentity(afterCopy, opened)) {
      throw new StepStop("refused", "changed", `${path} changed while it was copied`);
    }
    await this.step(id, "copied", { sha256: digests.sha256, size });

    await this.verifyCopy(object, digests.sha256, size);
    for (const stream of streams) await this.verifyCopy(stream.file, stream.sha256, stream.size);
    await this.step(id, "verified");

    await this.checkSame(path, before, await file.stat());
    const at = this.at();
    const entry: QuarantineEntry = {
      id,
      originalPath: path,
      sha256: digests.sha256,
      md5: digests.md5,
      sha1: digests.sha1,
      size,
      state: "deleting",
      metadata,
      streams: streams.map(({ name, size }) => ({ name, size })),
      hardLinks: Math.max(0, (opened.nlink ?? 1) - 1),
      iocs: target.iocs,
      ...(target.runId === undefined ? {} : { runId: target.runId }),
      host: this.host,
      quarantinedAt: at,
      history: [{ state: "deleting", at }],
      notes: captured.notes,
    };
    const record: EntryRecord = {
      format: RECORD_FORMAT,
      entry,
      identity: identityOf(opened),
      object,
      streams,
    };
    try {
      await writeRecord(this.dir, record);
    } catch (error) {
      throw new StepStop(
        "failed",
        "write-error",
        `record of ${path} not written: ${message(error)}`,
      );
    }
    await this.step(id, "recorded");
    return record;
  }

  /** Step 6 and 7: the last identity check, the delete, the final state. */
  private async deleteOriginal(
    record: EntryRecord,
    target: QuarantineTarget,
    policy: QuarantinePolicy,
    file: Deno.FsFile,
    before: Deno.FileInfo,
  ): Promise<QuarantineOutcome> {
    const path = target.path;
    const id = record.entry.id;
    const done = {
      path,
      entryId: id,
      sha256: record.entry.sha256,
      ...(record.entry.hardLinks > 0 ? { hardLinks: record.entry.hardLinks } : {}),
    };
    await this.options.hooks?.beforeDelete?.(path);
    try {
      const foreignLink = await foreignLinkIn(dirname(path));
      if (foreignLink !== undefined) {
        throw new StepStop("refused", "symlink", `${foreignLink}; ${FOREIGN_LINK_QUARANTINE}`);
      }
      await this.checkSame(path, before, await file.stat());
    } catch (error) {
      const stopped = error instanceof StepStop
        ? error
        : new StepStop("refused", "changed", message(error));
      await this.keep(record, `not deleted: ${stopped.message}`);
      return {
        ...done,
        outcome: stopped.outcome,
        reason: stopped.reason,
        detail: `${stopped.message}; the copy is kept (${id})`,
      };
    }
    file.close();
    const deleted = await this.platform.deleteOriginal(path, {
      terminate: policy.terminate,
      pids: target.pids,
      expected: { dev: record.identity.dev, ino: record.identity.ino },
    });
    return await this.settle(record, deleted, done);
  }

  /** Records what the delete did, as the live sequence and recovery both do. */
  private async settle(
    record: EntryRecord,
    deleted: Awaited<ReturnType<QuarantinePlatform["deleteOriginal"]>>,
    done: Omit<QuarantineOutcome, "outcome">,
  ): Promise<QuarantineOutcome> {
    const id = record.entry.id;
    const links = record.entry.hardLinks > 0
      ? `; ${record.entry.hardLinks} other name(s) of the file remain`
      : "";
    if (deleted.outcome === "deleted") {
      try {
        await this.step(id, "deleted");
        await writeRecord(this.dir, withState(record, "quarantined", this.at()));
        await this.step(id, "quarantined");
      } catch (error) {
        // The original is gone and its verified copy recorded (state `deleting`, journal
        // `recorded`): that is what happened to the file, whatever the store could not add.
        return {
          ...done,
          outcome: "quarantined",
          detail: `quarantined as ${id}${links}; the store could not record its last step (${
            message(error)
          }): the next open of the store finishes it`,
        };
      }
      return { ...done, outcome: "quarantined", detail: `quarantined as ${id}${links}` };
    }
    if (deleted.outcome === "pending-reboot") {
      await writeRecord(this.dir, withState(record, "pending-reboot", this.at(), deleted.detail));
      await this.log(id, JournalOp.pendingReboot);
      return { ...done, outcome: "pending-reboot", detail: `${deleted.detail}${links}` };
    }
    await this.keep(record, deleted.detail);
    return {
      ...done,
      // The name leads elsewhere now: a refusal to delete it, as the checks before make it.
      outcome: deleted.reason === "changed" ? "refused" : "failed",
      reason: deleted.reason,
      detail: `${deleted.detail}; the copy is kept (${id}, state kept-original)`,
    };
  }

  private async keep(record: EntryRecord, detail: string): Promise<void> {
    await writeRecord(this.dir, withState(record, "kept-original", this.at(), detail));
    await this.log(record.entry.id, JournalOp.keptOriginal, { detail });
  }

  /** Writes a copy durably: temporary name, sync, rename, folder sync. Returns the plaintext size. */
  private async writeCopy(
    path: string,
    source: { read(p: Uint8Array): Promise<number | null> },
    onPlain: (chunk: Uint8Array) => void,
  ): Promise<number> {
    const temporary = `${path}.tmp`;
    let sink: Deno.FsFile;
    try {
      sink = await Deno.open(temporary, { write: true, createNew: true, mode: 0o600 });
    } catch (error) {
      throw new StepStop("failed", "write-error", `copy not created: ${message(error)}`);
    }
    let readFailed = false;
    const reading = {
      read: async (buffer: Uint8Array) => {
        try {
          return await source.read(buffer);
        } catch (error) {
          readFailed = true;
          throw error;
        }
      },
    };
    let size: number;
    try {
      size = await encryptChunks(this.key, reading, sink, onPlain);
      await sink.sync();
    } catch (error) {
      throw new StepStop("failed", readFailed ? "read-error" : "write-error", message(error));
    } finally {
      sink.close();
    }
    try {
      await Deno.rename(temporary, path);
      await syncFolder(dirname(path));
    } catch (error) {
      throw new StepStop("failed", "write-error", `copy not renamed: ${message(error)}`);
    }
    return size;
  }

  /** Step 4: decrypts a copy and checks its SHA-256 and size. */
  private async verifyCopy(object: string, sha256: string, size: number): Promise<void> {
    const hash = createHash("sha256");
    let total: number;
    try {
      const file = await Deno.open(objectPath(this.dir, object), { read: true });
      try {
        total = await decryptChunks(this.key, file, (chunk) => void hash.update(chunk));
      } finally {
        file.close();
      }
    } catch (error) {
      throw new StepStop(
        "failed",
        "verify-mismatch",
        `the copy does not decrypt: ${message(error)}`,
      );
    }
    const got = hash.digest("hex");
    if (got !== sha256 || total !== size) {
      throw new StepStop(
        "failed",
        "verify-mismatch",
        `the copy decrypts to ${total} bytes with SHA-256 ${got}, not ${size} bytes with ${sha256}`,
      );
    }
  }

  /** Removes an operation's copies and record (the original was never touched) and journals it. */
  private async rollBack(id: string, why: string): Promise<void> {
    await this.removeEntryFiles(id, true);
    await this.log(id, JournalOp.rolledBack, { detail: why });
  }

  private async removeEntryFiles(id: string, record: boolean): Promise<void> {
    const prefix = `${id}.`;
    for await (const item of Deno.readDir(join(this.dir, OBJECTS_FOLDER))) {
      if (item.name.startsWith(prefix)) {
        await removeIfPresent(join(this.dir, OBJECTS_FOLDER, item.name));
      }
    }
    await syncFolder(join(this.dir, OBJECTS_FOLDER));
    if (record) {
      await removeIfPresent(`${recordPath(this.dir, id)}.tmp`);
      await removeIfPresent(recordPath(this.dir, id));
      await syncFolder(join(this.dir, ENTRIES_FOLDER));
    }
  }

  list(): Promise<QuarantineEntry[]> {
    return readAllRecords(this.dir).then((records) => records.map((record) => record.entry));
  }

  async show(id: string): Promise<QuarantineEntry | undefined> {
    return (await readRecord(this.dir, id))?.entry;
  }

  restore(
    id: string,
    options: { readonly to?: string; readonly force?: boolean },
  ): Promise<RestoreOutcome> {
    return this.exclusive(() => this.restoreLocked(id, options));
  }

  private async restoreLocked(
    id: string,
    options: { readonly to?: string; readonly force?: boolean },
  ): Promise<RestoreOutcome> {
    const record = await readRecord(this.dir, id);
    const requested = options.to === undefined ? undefined : resolve(options.to);
    const answer = (
      outcome: RestoreOutcome["outcome"],
      reason: string | undefined,
      detail: string,
      notes: string[] = [],
    ): RestoreOutcome => ({
      id,
      path: requested ?? record?.entry.originalPath ?? "",
      outcome,
      ...(reason === undefined ? {} : { reason }),
      detail,
      notes,
    });
    if (record === undefined) {
      return answer("refused", "unknown-entry", `no entry ${id} in ${this.dir}`);
    }
    if (record.entry.state === "purged") {
      return answer("refused", "purged", `the copy of ${id} was purged; only its record is left`);
    }
    const target = requested ?? record.entry.originalPath;
    // Never over the store's own files: a restore over its key would lose every copy.
    const inStore = await this.protectedBy(target, []);
    if (inStore !== undefined) {
      return answer("refused", "protected", `${target} is inside the quarantine store ${inStore}`);
    }
    const existing = await Deno.lstat(target).catch(() => undefined);
    if (existing !== undefined && !options.force) {
      return answer("refused", "exists", `${target} exists; --force replaces it`);
    }
    if (existing?.isDirectory) return answer("failed", "is-folder", `${target} is a folder`);
    const folder = dirname(target);
    const folderInfo = await Deno.stat(folder).catch(() => undefined);
    if (folderInfo === undefined || !folderInfo.isDirectory) {
      return answer("failed", "no-folder", `the folder ${folder} does not exist`);
    }
    const foreignLink = await foreignLinkIn(folder);
    if (foreignLink !== undefined) {
      return answer("refused", "symlinked-folder", `${foreignLink}; ${FOREIGN_LINK_RESTORE}`);
    }
    const temporary = restoreTemporaryPath(target, id);
    await this.log(id, JournalOp.restoring, { temporary, to: target });
    let notes: string[];
    try {
      const streams = await this.decryptStreams(record);
      await this.decryptTo(record, temporary);
      notes = await this.platform.applyMetadata(temporary, record.entry.metadata, streams);
      if (!options.force && (await Deno.lstat(target).catch(() => undefined)) !== undefined) {
        throw new StepStop(
          "refused",
          "exists",
          `${target} appeared during the restore; --force replaces it`,
        );
      }
      const swapped = await foreignLinkIn(folder);
      if (swapped !== undefined) {
        throw new StepStop("refused", "symlinked-folder", `${swapped}; ${FOREIGN_LINK_RESTORE}`);
      }
      await Deno.rename(temporary, target);
      await syncFolder(folder);
    } catch (error) {
      await removeIfPresent(temporary).catch(() => false);
      await this.log(id, JournalOp.restoreAbandoned, { detail: message(error) });
      if (error instanceof StepStop) return answer(error.outcome, error.reason, error.message);
      const reason = error instanceof Deno.errors.PermissionDenied ? "permission" : "write-error";
      return answer("failed", reason, message(error));
    }
    notes.push(...(await this.platform.finishRestore?.(target, record.entry.metadata) ?? []));
    const detail = `restored to ${target}`;
    await writeRecord(this.dir, withState(record, "restored", this.at(), detail));
    await this.log(id, JournalOp.restored, { to: target });
    return answer("restored", undefined, detail, notes);
  }

  /** Decrypts the content to `temporary` (created new, 0600), checking its SHA-256. */
  private async decryptTo(record: EntryRecord, temporary: string): Promise<void> {
    const source = await Deno.open(objectPath(this.dir, record.object), { read: true })
      .catch((error) => {
        throw new StepStop(
          "failed",
          "missing-copy",
          `the copy of ${record.entry.id} is gone: ${message(error)}`,
        );
      });
    try {
      const sink = await Deno.open(temporary, { write: true, createNew: true, mode: 0o600 });
      try {
        const hash = createHash("sha256");
        let total: number;
        try {
          total = await decryptChunks(this.key, source, async (chunk) => {
            hash.update(chunk);
            let written = 0;
            while (written < chunk.length) written += await sink.write(chunk.subarray(written));
          });
        } catch (error) {
          if (error instanceof TamperedCopyError) {
            throw new StepStop("failed", "tampered", error.message);
          }
          throw error;
        }
        const got = hash.digest("hex");
        if (got !== record.entry.sha256 || total !== record.entry.size) {
          throw new StepStop(
            "failed",
            "tampered",
            `the copy decrypts to SHA-256 ${got}, not the recorded ${record.entry.sha256}`,
          );
        }
        await sink.sync();
      } finally {
        sink.close();
      }
    } finally {
      source.close();
    }
  }

  private async decryptStreams(
    record: EntryRecord,
  ): Promise<{ name: string; bytes: Uint8Array }[]> {
    const streams: { name: string; bytes: Uint8Array }[] = [];
    for (const stream of record.streams) {
      const parts: Uint8Array[] = [];
      const file = await Deno.open(objectPath(this.dir, stream.file), { read: true });
      try {
        await decryptChunks(this.key, file, (chunk) => void parts.push(chunk.slice()));
      } catch (error) {
        if (error instanceof TamperedCopyError) {
          throw new StepStop("failed", "tampered", error.message);
        }
        throw error;
      } finally {
        file.close();
      }
      const bytes = concat(parts);
      if (sha256Hex(bytes) !== stream.sha256) {
        throw new StepStop(
          "failed",
          "tampered",
          `the stream ${stream.name} does not match its hash`,
        );
      }
      streams.push({ name: stream.name, bytes });
    }
    return streams;
  }

  purge(options: PurgeOptions): Promise<{ readonly purged: readonly QuarantineEntry[] }> {
    return this.exclusive(() => this.purgeLocked(options));
  }

  private async purgeLocked(
    options: PurgeOptions,
  ): Promise<{ readonly purged: readonly QuarantineEntry[] }> {
    const live = (await readAllRecords(this.dir)).filter((record) =>
      record.entry.state !== "purged" && record.entry.state !== "deleting"
    );
    const chosen = new Map<string, string>();
    if (options.id !== undefined) {
      for (const record of live) {
        if (record.entry.id === options.id) chosen.set(options.id, "purged by id");
      }
    }
    if (options.olderThanDays !== undefined) {
      const limit = this.now().getTime() - options.olderThanDays * MS_PER_DAY;
      for (const record of live) {
        if (Date.parse(record.entry.quarantinedAt) < limit && !chosen.has(record.entry.id)) {
          chosen.set(record.entry.id, `older than ${options.olderThanDays} days`);
        }
      }
    }
    if (options.maxBytes !== undefined) {
      let total = live.filter((record) => !chosen.has(record.entry.id))
        .reduce((sum, record) => sum + storedBytes(record), 0);
      for (const record of live) {
        if (total <= options.maxBytes) break;
        if (chosen.has(record.entry.id)) continue;
        chosen.set(record.entry.id, `the store was over ${options.maxBytes} bytes (oldest first)`);
        total -= storedBytes(record);
      }
    }
    const purged: QuarantineEntry[] = [];
    for (const record of live) {
      const why = chosen.get(record.entry.id);
      if (why === undefined) continue;
      purged.push(await this.purgeOne(record, why));
    }
    return { purged };
  }

  private async purgeOne(record: EntryRecord, why: string): Promise<QuarantineEntry> {
    await this.log(record.entry.id, JournalOp.purging, { detail: why });
    await this.removeEntryFiles(record.entry.id, false);
    const updated = withState(record, "purged", this.at(), why);
    await writeRecord(this.dir, updated);
    await this.log(record.entry.id, JournalOp.purged, { detail: why });
    return updated.entry;
  }

  recover(): Promise<RecoveryReport> {
    return this.exclusive(async () => this.recoverLocked((await readJournal(this.dir)).records));
  }

  /** Finishes or rolls back every operation the journal leaves open (the lock is held). */
  async recoverLocked(records: readonly JournalRecord[]): Promise<RecoveryReport> {
    const last = new Map<string, JournalRecord>();
    const opened = new Map<string, JournalRecord>();
    for (const record of records) {
      last.set(record.id, record);
      if (record.op === "opened") opened.set(record.id, record);
    }
    const finished: string[] = [];
    const rolledBack: string[] = [];
    for (const [id, record] of last) {
      if (ROLL_BACK_STEPS.includes(record.op)) {
        await this.rollBack(
          id,
          `interrupted after step ${record.op}; the original was not touched`,
        );
        rolledBack.push(id);
      } else if (FINISH_STEPS.includes(record.op)) {
        if (await this.finish(id, record, opened.get(id))) finished.push(id);
        else rolledBack.push(id);
      } else if (record.op === JournalOp.restoring) {
        await this.recoverRestore(id, record);
      } else if (record.op === JournalOp.purging) {
        const entry = await readRecord(this.dir, id);
        if (entry !== undefined) {
          await this.purgeOne(entry, String(record.detail ?? "purge resumed"));
        }
      }
    }
    await this.sweepTemporaries();
    return { finished, rolledBack };
  }

  /** Finishes an operation interrupted after its record: verifies the copy, deletes the original. */
  private async finish(
    id: string,
    last: JournalRecord,
    opened: JournalRecord | undefined,
  ): Promise<boolean> {
    const record = await readRecord(this.dir, id);
    if (record === undefined || opened === undefined) {
      await this.rollBack(id, "interrupted with no record; the original was not touched");
      return false;
    }
    const path = record.entry.originalPath;
    const done = { path, entryId: id, sha256: record.entry.sha256 };
    const now = last.op === "deleted"
      ? "gone" as const
      : await Deno.lstat(path).catch((error) =>
        error instanceof Deno.errors.NotFound ? "gone" as const : undefined
      );
    try {
      await this.verifyCopy(record.object, record.entry.sha256, record.entry.size);
      for (const stream of record.streams) {
        await this.verifyCopy(stream.file, stream.sha256, stream.size);
      }
    } catch (error) {
      const why = `the copy did not verify on recovery: ${message(error)}`;
      if (now !== "gone") {
        await this.rollBack(id, `${why}; the original was not touched`);
        return false;
      }
      // The original is gone already: the record and what is left of the copy are all there is.
      await writeRecord(this.dir, withState(record, "quarantined", this.at(), why));
      await this.step(id, "quarantined", { detail: why });
      return true;
    }
    if (last.op === "deleted") {
      await this.settle(record, { outcome: "deleted" }, done);
      return true;
    }
    if (now === "gone") {
      await this.settle(record, { outcome: "deleted" }, done);
      return true;
    }
    if (now === undefined || now.isSymlink || !sameStoredIdentity(now, record.identity)) {
      await this.keep(
        record,
        `on recovery ${path} was no longer the file that was copied; it was not deleted`,
      );
      return true;
    }
    const deleted = await this.platform.deleteOriginal(path, {
      terminate: false,
      pids: [],
      expected: { dev: record.identity.dev, ino: record.identity.ino },
    });
    await this.settle(record, deleted, done);
    return true;
  }

  /** A restore interrupted before its rename: its temporary file is removed. */
  private async recoverRestore(id: string, record: JournalRecord): Promise<void> {
    const temporary = typeof record.temporary === "string" ? record.temporary : undefined;
    const to = typeof record.to === "string" ? record.to : undefined;
    const entry = await readRecord(this.dir, id);
    if (
      temporary !== undefined && (to === undefined || temporary !== restoreTemporaryPath(to, id))
    ) {
      // Not the name a restore of this entry writes: a journal nobody but iocscan should write.
      await this.log(id, JournalOp.restoreAbandoned, {
        detail: "the journal names a temporary file that is not this restore's; nothing removed",
      });
      return;
    }
    if (temporary !== undefined && await removeIfPresent(temporary).catch(() => false)) {
      await this.log(id, JournalOp.restoreAbandoned, {
        detail: "interrupted; its temporary file was removed",
      });
      return;
    }
    if (entry !== undefined && to !== undefined && await sha256OfFile(to) === entry.entry.sha256) {
      const detail = `restored to ${to}`;
      await writeRecord(this.dir, withState(entry, "restored", this.at(), detail));
      await this.log(id, JournalOp.restored, { to });
      return;
    }
    await this.log(id, JournalOp.restoreAbandoned, { detail: "interrupted before its rename" });
  }

  /** Removes temporary files of writes a crash cut short (every operation is settled by now). */
  private async sweepTemporaries(): Promise<void> {
    for (const folder of [OBJECTS_FOLDER, ENTRIES_FOLDER]) {
      for await (const item of Deno.readDir(join(this.dir, folder))) {
        if (item.name.endsWith(".tmp")) await removeIfPresent(join(this.dir, folder, item.name));
      }
    }
  }

  async close(): Promise<void> {
    await this.queue;
    this.journal.close();
    this.lockFile.close();
  }
}

/**
 * The checks of step 1 that need no open and change nothing (docs/quarantine.md, "The
 * sequence"): a full path, outside the store (`store`: its folder as named and as real) and the
 * protected paths, no other user's link among its folders, then `lstat`: a link, not a regular
 * file, too large, system-critical. Returns the refusal, or the `lstat` the sequence goes on
 * with. `--what-if` runs them too, so that it says what the real run would refuse.
 */
async function checkBeforeOpen(
  path: string,
  policy: QuarantinePolicy,
  store: readonly string[],
  platform: QuarantinePlatform,
): Promise<StepStop | Deno.FileInfo> {
  if (!isAbsolute(path)) {
    return new StepStop("refused", "not-absolute", `${path} is not a full path`);
  }
  const protectedBy = await protectedPlace(path, [...store, ...policy.protectedPaths]);
  if (protectedBy !== undefined) {
    return new StepStop("refused", "protected", `${path} is inside ${protectedBy}`);
  }
  const foreignLink = await foreignLinkIn(dirname(path));
  if (foreignLink !== undefined) {
    return new StepStop(
      "refused",
      "symlink",
      `${path}: ${foreignLink}; ${FOREIGN_LINK_QUARANTINE}`,
    );
  }
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch (error) {
    return fileError(error, "read-error", path);
  }
  return await firstRefusal(path, info, policy, platform) ?? info;
}

/**
 * What the quarantine of `target` into the store in `dir` would refuse before opening the file,
 * if anything (the checks of step 1 that need no open); creates and changes nothing, not even
 * the store. `--what-if` reports it.
 */
export async function quarantineRefusal(
  target: QuarantineTarget,
  policy: QuarantinePolicy,
  options: { readonly dir: string; readonly platform?: QuarantinePlatform },
): Promise<QuarantineOutcome | undefined> {
  const dir = resolve(options.dir);
  const store = [dir, await Deno.realPath(dir).catch(() => dir)];
  const platform = options.platform ?? defaultPlatform();
  const checked = await checkBeforeOpen(target.path, policy, store, platform);
  if (!(checked instanceof StepStop)) return undefined;
  return {
    path: target.path,
    outcome: checked.outcome,
    reason: checked.reason,
    detail: checked.message,
  };
}

/** The protected place (of `guarded`) that `path` lies in, by name, real path or identity. */
async function protectedPlace(
  path: string,
  guarded: readonly string[],
): Promise<string | undefined> {
  const named = resolve(path);
  let real = named;
  try {
    real = join(await Deno.realPath(dirname(named)), basename(named));
  } catch {
    // The path's own name stands.
  }
  for (const place of guarded) {
    const forms = [resolve(place)];
    try {
      forms.push(await Deno.realPath(place));
    } catch {
      // Not there (yet): its name stands.
    }
    for (const form of forms) {
      for (const candidate of [named, real]) {
        if (pathIsInside(candidate, form)) return place;
      }
    }
  }
  return await protectedByIdentity(named, guarded);
}

/** The refusals that need no open: link, not a file, too large, system-critical. */
async function firstRefusal(
  path: string,
  info: Deno.FileInfo,
  policy: QuarantinePolicy,
  platform: QuarantinePlatform,
): Promise<StepStop | undefined> {
  if (info.isSymlink) {
    return new StepStop(
      "refused",
      "symlink",
      `${path} is a symbolic link; links are never followed`,
    );
  }
  if (!info.isFile) {
    return new StepStop("refused", "not-regular", `${path} is not a regular file`);
  }
  if (info.size > policy.maxFileBytes) {
    return new StepStop(
      "refused",
      "too-large",
      `${path} is ${info.size} bytes, over the limit of ${policy.maxFileBytes}`,
    );
  }
  if (!policy.force) {
    const critical = await platform.criticalReason(path, info);
    if (critical !== undefined) {
      return new StepStop("refused", "critical-file", `${critical} (--force quarantines it)`);
    }
  }
  return undefined;
}

/**
 * The protected place `path` is by another name no spelling reveals: the file itself (a hard link
 * to the results database) or one of its folders (the store bind-mounted elsewhere) has the
 * device and inode of a protected place.
 */
async function protectedByIdentity(
  path: string,
  guarded: readonly string[],
): Promise<string | undefined> {
  const places = new Map<string, string>();
  for (const place of guarded) {
    const info = await Deno.stat(place).catch(() => undefined);
    const key = identityKey(info);
    if (key !== undefined) places.set(key, place);
  }
  const own = identityKey(await Deno.lstat(path).catch(() => undefined));
  if (own !== undefined && places.has(own)) return places.get(own);
  for (let folder = dirname(path);; folder = dirname(folder)) {
    const key = identityKey(await Deno.stat(folder).catch(() => undefined));
    if (key !== undefined && places.has(key)) return places.get(key);
    if (dirname(folder) === folder) return undefined;
  }
}

/** Device and inode as one key; undefined where the system gives no inode. */
function identityKey(info: Deno.FileInfo | undefined): string | undefined {
  if (info === undefined || info.ino === null || info.ino === undefined) return undefined;
  return `${info.dev}:${info.ino}`;
}

/**
 * Why a restore into `folder` would follow a link someone else planted: the first component of
 * the path that is a symbolic link owned by neither root nor this user (a user who owned the
 * original's folder swapped it for a link to a folder only root may write, hoping that root
 * restores there). Undefined when there is none; Windows has no owners here (undefined).
 */
async function foreignLinkIn(folder: string): Promise<string | undefined> {
  if (Deno.build.os === "windows") return undefined;
  const uid = Deno.uid();
  const parts = resolve(folder).split(sep).filter((part) => part !== "");
  let path: string = sep;
  for (const part of parts) {
    path = join(path, part);
    const info = await Deno.lstat(path).catch(() => undefined);
    if (info?.isSymlink && info.uid !== ROOT_UID && info.uid !== uid) {
      return `${path} is a symbolic link owned by uid ${info.uid}`;
    }
  }
  return undefined;
}

/** The temporary file a restore of entry `id` to `target` writes, beside the target. */
function restoreTemporaryPath(target: string, id: string): string {
  return join(dirname(target), `.${basename(target)}.iocscan-restore-${id}.tmp`);
}

function identityOf(info: Deno.FileInfo): FileIdentity {
  return {
    dev: info.dev,
    ino: info.ino ?? 0,
    size: info.size,
    mtimeMs: info.mtime?.getTime() ?? 0,
  };
}

function sameIdentity(a: Deno.FileInfo, b: Deno.FileInfo): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size &&
    (a.mtime?.getTime() ?? 0) === (b.mtime?.getTime() ?? 0);
}

function sameStoredIdentity(info: Deno.FileInfo, identity: FileIdentity): boolean {
  return info.dev === identity.dev && (info.ino ?? 0) === identity.ino &&
    info.size === identity.size &&
    (info.mtime?.getTime() ?? 0) === identity.mtimeMs;
}

function storedBytes(record: EntryRecord): number {
  return record.entry.size + record.streams.reduce((sum, stream) => sum + stream.size, 0);
}

function fileError(error: unknown, fallback: string, path: string): StepStop {
  if (error instanceof Deno.errors.NotFound) {
    return new StepStop("failed", "not-found", `${path} does not exist`);
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return new StepStop("failed", "permission", `${path}: ${message(error)}`);
  }
  return new StepStop("failed", fallback, `${path}: ${message(error)}`);
}

function openError(error: unknown, path: string): StepStop {
  const code = (error as { code?: unknown })?.code;
  if (error instanceof Deno.errors.FilesystemLoop || code === "ELOOP") {
    return new StepStop(
      "refused",
      "symlink",
      `${path} became a symbolic link before it was opened`,
    );
  }
  if (code === "EPSEUDO") {
    return new StepStop("refused", "not-regular", message(error));
  }
  if (code === "ENOTREG" || code === "ECHANGED") {
    return new StepStop("refused", "changed", `${path} is no longer a regular file`);
  }
  if (code === "EACCES" || code === "EPERM") {
    return new StepStop("failed", "permission", `${path}: ${message(error)}`);
  }
  if (code === "ENOENT") {
    return new StepStop("refused", "changed", `${path} went away before it was opened`);
  }
  return fileError(error, "read-error", path);
}

function memoryReader(bytes: Uint8Array): { read(p: Uint8Array): Promise<number | null> } {
  let offset = 0;
  return {
    read(buffer: Uint8Array) {
      if (offset >= bytes.length) return Promise.resolve(null);
      const count = Math.min(buffer.length, bytes.length - offset);
      buffer.set(bytes.subarray(offset, offset + count));
      offset += count;
      return Promise.resolve(count);
    },
  };
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

async function sha256OfFile(path: string): Promise<string | undefined> {
  try {
    const file = await Deno.open(path, { read: true });
    try {
      const hash = createHash("sha256");
      const buffer = new Uint8Array(1024 * 1024);
      for (;;) {
        const count = await file.read(buffer);
        if (count === null) break;
        hash.update(buffer.subarray(0, count));
      }
      return hash.digest("hex");
    } finally {
      file.close();
    }
  } catch {
    return undefined;
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
