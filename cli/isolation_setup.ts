/**
 * What `iocscan isolate` and `iocscan isolation …` share: the results store the isolation's state
 * and audit live in (`--db`, else this machine's), the host's backend, who runs the step, and the
 * one way they print an isolation (`--json`: one object; text: report/isolation_lines.ts).
 *
 * @module
 */
import {
  flushAuditQueue,
  hostIsolationBackend,
  type IsolationBackend,
  type IsolationDeps,
  type IsolationReport,
  isolationStatePlace,
  type LocalRecordPlace,
  STATE_DIR_ENV,
  whoAmI,
  withLocalRecord,
} from "../actions/isolation/mod.ts";
import { escapeTerminalText as safe, formatIsolation } from "../report/mod.ts";
import { defaultStoreLocation, openStore, type ResultStore } from "../store/mod.ts";
import { readDatabaseLocation } from "./database_location.ts";
import type { OutputWriter } from "./output/output_writer.ts";

export { isolationStatePlace, STATE_DIR_ENV, whoAmI };

/** An open store with the isolation's dependencies. */
export interface IsolationSession {
  readonly store: ResultStore;
  readonly deps: IsolationDeps;
  /** The location as given, without a password (what the boot and tamper tasks are told). */
  readonly location: string;
  /** Whether `--db` named it (the tasks then name it too). */
  readonly named: boolean;
  /** Where the local record of the active isolation and the audit queue live. */
  readonly place: LocalRecordPlace;
  /** Audit records the boot or tamper task had queued, now moved into the store. */
  readonly flushed: number;
}

/** The arguments the boot and tamper tasks get: `--db` when named (never a password), `--state-dir`. */
export function isolationTaskTail(
  location: string,
  named: boolean,
  place: LocalRecordPlace,
): string[] {
  return [...(named ? ["--db", location] : []), "--state-dir", place.folder];
}

/**
 * The store location `--db` names (its password kept out), or this machine's (its folder created
 * unless `create` is false: `--what-if` creates nothing).
 */
export function isolationStoreLocation(
  db: string | undefined,
  command: string,
  create = true,
): { location: string; password?: string; named: boolean } {
  if (db === undefined) return { location: defaultStoreLocation({ create }), named: false };
  const given = readDatabaseLocation(
    db,
    "--db",
    (message) => console.error(`${command}: ${message}`),
  );
  return {
    location: given.location,
    ...(given.password === undefined ? {} : { password: given.password }),
    named: true,
  };
}

/**
 * Opens the store (created and migrated as needed) and the backend.
 *
 * @param task Who runs it when a task does (`isolation check`, `isolation boot`).
 */
export async function openIsolationSession(
  db: string | undefined,
  command: string,
  task?: string,
  backend?: IsolationBackend,
  stateDir?: string,
): Promise<IsolationSession> {
  const { location, password, named } = isolationStoreLocation(db, command);
  const place = isolationStatePlace(stateDir);
  // Windows' release and boot tasks name the store and the local record, as the Linux units do.
  backend ??= hostIsolationBackend(Deno.build.os, {
    taskTail: isolationTaskTail(location, named, place),
  });
  const store = await openStore(location, password === undefined ? {} : { password });
  let flushed = 0;
  try {
    flushed = await flushAuditQueue(place, (record) => store.addIsolationAudit(record));
  } catch (error) {
    complain(
      command,
      `the queued audit records in ${place.folder} were not moved into the store: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
  if (flushed > 0) {
    complain(command, `note: ${flushed} queued audit records moved into the store`);
  }
  return {
    store,
    location,
    named,
    place,
    flushed,
    deps: {
      store: withLocalRecord(store, place),
      backend,
      who: task === undefined ? whoAmI() : `${whoAmI()} (${task})`,
    },
  };
}

/** Writes an isolation: one JSON object, or its lines. */
export function writeIsolation(out: OutputWriter, report: IsolationReport, json: boolean): void {
  json ? out.event(report) : out.text(formatIsolation(report));
}

/** Says on stderr what went wrong, escaped, naming the command. */
export function complain(command: string, message: string): void {
  console.error(safe(`${command}: ${message}`));
}
