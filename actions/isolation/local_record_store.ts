/**
 * The local record (local_record.ts) on both sides of the results store:
 * {@linkcode withLocalRecord} keeps it in step with the store (written when an isolation is added,
 * before the rules are applied; rewritten when its deadline or installed fingerprint changes;
 * removed when it ends), and {@linkcode localRecordStore} stands in for the store when it cannot
 * be opened, so that `maintain` (isolation_service.ts) acts on the record exactly as on the store,
 * its audit going to the local queue.
 *
 * @module
 */
import type { IsolationState, StoredIsolation, StoredIsolationAudit } from "../../store/mod.ts";
import type { IsolationStore } from "./isolation_service.ts";
import {
  type LocalRecordPlace,
  queueAudit,
  queuedAudit,
  removeLocalRecord,
  writeLocalRecord,
} from "./local_record.ts";

type Change = { state?: IsolationState; expiresAt?: string; plan?: unknown };

/**
 * `store`, with every change to an isolation mirrored in the local record at `place`: the store
 * stays the truth (reads go to it only).
 */
export function withLocalRecord(store: IsolationStore, place: LocalRecordPlace): IsolationStore {
  return {
    async addIsolation(isolation) {
      // Durable before the store row and before any rule: a boot without the store still knows it.
      if (isolation.state === "active") await writeLocalRecord(place, isolation);
      try {
        await store.addIsolation(isolation);
      } catch (error) {
        await removeLocalRecord(place, isolation.id);
        throw error;
      }
    },
    async updateIsolation(id, change) {
      await store.updateIsolation(id, change);
      const now = await store.getIsolation(id);
      if (now === undefined || now.state !== "active") await removeLocalRecord(place, id);
      else await writeLocalRecord(place, now);
    },
    getIsolation: (id) => store.getIsolation(id),
    listIsolations: (state) => store.listIsolations(state),
    addIsolationAudit: (record) => store.addIsolationAudit(record),
    listIsolationAudit: (id) => store.listIsolationAudit(id),
  };
}

/** The stand-in store, and how many audit records it queued. */
export interface LocalRecordStore extends IsolationStore {
  /** Audit records queued by this process. */
  readonly queued: () => number;
}

/**
 * A store holding only `record` (the local record as read, or none), for `boot` and `check` when
 * the results store cannot be opened: its changes are written to the record (an ended isolation
 * removes it) and its audit records are queued for the store.
 */
export function localRecordStore(
  place: LocalRecordPlace,
  record: StoredIsolation | undefined,
): LocalRecordStore {
  let current = record;
  let queued = 0;
  return {
    queued: () => queued,
    addIsolation() {
      return Promise.reject(
        new Error("an isolation is never started from the local record: the store is needed"),
      );
    },
    async updateIsolation(id: string, change: Change) {
      if (current === undefined || current.id !== id) return;
      current = {
        ...current,
        ...(change.state === undefined ? {} : { state: change.state }),
        ...(change.expiresAt === undefined ? {} : { expiresAt: change.expiresAt }),
        ...(change.plan === undefined ? {} : { plan: change.plan }),
      };
      if (current.state === "active") await writeLocalRecord(place, current);
      else await removeLocalRecord(place, id);
    },
    getIsolation: (id) => Promise.resolve(current?.id === id ? current : undefined),
    listIsolations: (state) =>
      Promise.resolve(
        current === undefined || (state !== undefined && current.state !== state) ? [] : [current],
      ),
    async addIsolationAudit(entry: StoredIsolationAudit) {
      await queueAudit(place, entry);
      queued += 1;
    },
    async listIsolationAudit(id) {
      return (await queuedAudit(place)).filter((entry) => entry.isolationId === id);
    },
  };
}
