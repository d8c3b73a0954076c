/**
 * `isolation boot` and `isolation check` when the results store cannot be opened: the same
 * maintenance (isolation_service.ts `maintain`) on the local record (local_record.ts), its audit
 * queued for the store. A record that is not ours is refused before anything touches the rules.
 *
 * @module
 */
import type { IsolationBackend } from "./contract.ts";
import { type IsolationOutcome, maintain, type MaintenanceTask } from "./isolation_service.ts";
import { type LocalRecordPlace, readLocalRecord } from "./local_record.ts";
import { localRecordStore } from "./local_record_store.ts";

/** What the maintenance did from the local record. */
export interface LocalMaintenance {
  /** Whether there was a local record (none: nothing was done). */
  readonly found: boolean;
  /** What `maintain` gave (undefined: nothing to do). */
  readonly outcome: IsolationOutcome | undefined;
  /** Audit records queued for the store. */
  readonly queued: number;
}

/**
 * Runs `task` on the local record at `place`.
 *
 * @throws LocalRecordRefused when the record is not ours (nothing was done to the rules); Error
 * when an audit record could not be queued (the step may have been done: the caller says so).
 */
export async function maintainFromLocalRecord(
  place: LocalRecordPlace,
  backend: IsolationBackend,
  who: string,
  task: MaintenanceTask,
  clock?: () => Date,
): Promise<LocalMaintenance> {
  const record = await readLocalRecord(place);
  if (record === undefined) return { found: false, outcome: undefined, queued: 0 };
  const store = localRecordStore(place, record);
  const outcome = await maintain(
    { store, backend, who, ...(clock === undefined ? {} : { clock }) },
    task,
  );
  return { found: true, outcome, queued: store.queued() };
}
