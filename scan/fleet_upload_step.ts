/**
 * The last step of a scan for a fleet store (docs/fleet.md): the run, recorded in the local
 * store, is uploaded to the PostgreSQL fleet store together with every earlier run still
 * pending there. A fleet store out of reach (or refusing) leaves them pending for the next scan,
 * with a `fleet-upload-failed` warning; the run's own results are never lost.
 *
 * @module
 */
import type { WarningEvent } from "../contracts/events.ts";
import type { ResultStore } from "../store/mod.ts";

/** Where the run went, for the summary's `fleet` field. */
export interface FleetUploadSummary {
  /** The fleet store's URL, without password. */
  database: string;
  /** The run's id in the fleet store, when it was uploaded. */
  runId?: number;
  /** Runs uploaded now (this one and earlier pending ones). */
  uploaded: number;
  /** Runs still waiting in the local store (this one included when the upload failed). */
  pending: number;
}

/** What the upload step did. */
export interface FleetUploadOutcome {
  summary: FleetUploadSummary;
  /** Set when the upload failed: the run stays in the local store. */
  warning?: WarningEvent;
}

/** How to reach the fleet store. */
export interface FleetTarget {
  /** The fleet store's URL (a password in it is never stored or shown). */
  url: string;
  /** Its password, handed over apart from the URL. */
  password?: string;
  /** A CA certificate file for verify-full TLS. */
  caFile?: string;
}

/**
 * Uploads the pending runs for `target` of the local store at `localLocation` (the scan has
 * closed its own connection), this run (`localRunId`) among them.
 */
export async function uploadToFleet(
  localLocation: string,
  localRunId: number,
  target: FleetTarget,
): Promise<FleetUploadOutcome> {
  const { openStore, withoutPassword } = await import("../store/mod.ts");
  const database = withoutPassword(target.url);
  let local: ResultStore;
  try {
    local = await openStore(localLocation, { create: false, markAbandoned: false });
  } catch (error) {
    // The run is stored there already; only its upload waits for a store that opens again.
    return {
      summary: { database, uploaded: 0, pending: 1 },
      warning: {
        type: "warning",
        code: "fleet-upload-failed",
        message:
          `could not upload to the fleet store ${database}: the local store ${localLocation} ` +
          `did not open again (${error instanceof Error ? error.message : String(error)}); ` +
          "the next scan uploads the run",
      },
    };
  }
  try {
    return await uploadFrom(local, localRunId, target, database);
  } finally {
    await local.close().catch(() => {});
  }
}

async function uploadFrom(
  local: ResultStore,
  localRunId: number,
  target: FleetTarget,
  database: string,
): Promise<FleetUploadOutcome> {
  const { openStore, uploadPendingRuns } = await import("../store/mod.ts");
  let uploaded: Awaited<ReturnType<typeof uploadPendingRuns>> = [];
  let failure: string | undefined;
  try {
    const fleet = await openStore(target.url, {
      ...(target.password === undefined ? {} : { password: target.password }),
      ...(target.caFile === undefined ? {} : { caFile: target.caFile }),
      // The fleet's retention is its admin's; an upload only adds runs.
      purgeOnStart: false,
      markAbandoned: false,
    });
    try {
      uploaded = await uploadPendingRuns(local, fleet);
    } finally {
      await fleet.close().catch(() => {});
    }
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  const pending = await local.countPendingUploads(database);
  const mine = uploaded.find((run) => run.localRunId === localRunId);
  const summary: FleetUploadSummary = {
    database,
    ...(mine ? { runId: mine.fleetRunId } : {}),
    uploaded: uploaded.length,
    pending,
  };
  if (failure === undefined) return { summary };
  return {
    summary,
    warning: {
      type: "warning",
      code: "fleet-upload-failed",
      message: `could not upload to the fleet store ${database}: ${failure}; ${pending} run(s), ` +
        `this one ${mine ? "uploaded" : "included"}, are kept in ${local.location} and uploaded ` +
        "by the next scan",
    },
  };
}
