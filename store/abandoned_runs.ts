/**
 * Abandoned runs: a run still `running` whose process is gone (a crash, kill -9,
 * power loss, Task Scheduler's TerminateProcess) will never finish. The next
 * command that opens the store marks it `abandoned`, so that it is neither
 * shown as running for ever nor kept from retention.
 *
 * @module
 */
import type { Kysely } from "kysely";
import { type ProcessState, processState } from "./process_identity.ts";
import type { StoreDatabase } from "./schema.ts";
import { storableText } from "./storable_text.ts";

/** How to judge the running runs. */
export interface MarkAbandonedOptions {
  /** This machine's host name: only its runs can be judged, by their pid. */
  host: string;
  /** The time the runs are marked finished at. */
  now: Date;
  /** How a recorded process is looked at (tests replace it). */
  stateOf?: typeof processState;
}

/** A run marked `abandoned`. */
export interface AbandonedRun {
  /** The run id. */
  id: number;
  /** The pid its process had. */
  pid: number;
}

/**
 * Marks `abandoned` every `running` run of `host` whose recorded process is
 * gone, and gives each a `run-abandoned` warning. A run of another host, a run
 * without a recorded pid (stored before version 2), and a run whose process
 * cannot be looked at are left as they are. The update re-checks `running`, so
 * a run that finishes meanwhile keeps its own status.
 *
 * @returns The runs marked.
 */
export async function markAbandonedRuns(
  db: Kysely<StoreDatabase>,
  options: MarkAbandonedOptions,
): Promise<AbandonedRun[]> {
  const gone = await findAbandonedRuns(db, options);
  if (gone.length === 0) return [];
  const finishedAt = options.now.toISOString();
  return await db.transaction().execute(async (trx) => {
    const marked: AbandonedRun[] = [];
    for (const run of gone) {
      const result = await trx.updateTable("runs")
        .set({ status: "abandoned", finishedAt })
        .where("id", "=", run.id)
        .where("status", "=", "running")
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) continue;
      await trx.insertInto("warnings").values({
        runId: run.id,
        code: "run-abandoned",
        message: abandonedRunMessage(run.pid, finishedAt),
        file: null,
        detailJson: null,
      }).execute();
      marked.push(run);
    }
    return marked;
  });
}

/**
 * The `running` runs of `host` whose recorded process is gone, without
 * changing anything: what {@linkcode markAbandonedRuns} would mark. A reading
 * command (which opens the store read-only) shows these runs as `abandoned`.
 */
export async function findAbandonedRuns(
  db: Kysely<StoreDatabase>,
  options: Omit<MarkAbandonedOptions, "now">,
): Promise<AbandonedRun[]> {
  const stateOf = options.stateOf ?? processState;
  const running = await db.selectFrom("runs")
    .select(["id", "pid", "processStartedAt"])
    .where("status", "=", "running")
    .where("host", "=", storableText(options.host))
    .where("pid", "is not", null)
    .execute();
  const gone: AbandonedRun[] = [];
  for (const run of running) {
    const pid = Number(run.pid);
    const state: ProcessState = await stateOf({ pid, startedAt: run.processStartedAt });
    if (state === "gone") gone.push({ id: Number(run.id), pid });
  }
  return gone;
}

/** The `run-abandoned` warning's text: whose process was gone, and when that was seen. */
export function abandonedRunMessage(pid: number, seenAt: string): string {
  return `the process that ran this run (pid ${pid}) was gone at ${seenAt}: ` +
    "it ended without finishing the run (killed, crashed, or the machine stopped), " +
    "and none of its detections were stored";
}
