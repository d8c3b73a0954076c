/**
 * The response actions a run took, as the results store keeps them (`ResultStore.listActions`,
 * the `actions` table of migration 0004, docs/actions.md). A store without that method (one
 * older than the table) gives none.
 *
 * @module
 */
import type { ActionEvent } from "../contracts/events.ts";

/** A store that may keep action events. */
interface MaybeActionStore {
  listActions?: (runId: number) => Promise<readonly ActionEvent[]>;
}

/**
 * The `action` events of run `runId`, in the order stored; [] when the store keeps none.
 *
 * @example
 * ```ts
 * import { readRunActions } from "./run_actions.ts";
 * await readRunActions({}, 1); // []
 * ```
 */
export async function readRunActions(store: object, runId: number): Promise<ActionEvent[]> {
  const { listActions } = store as MaybeActionStore;
  return typeof listActions === "function" ? [...await listActions.call(store, runId)] : [];
}
