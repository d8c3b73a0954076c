/**
 * What `iocscan isolate` and `iocscan isolation …` share: the results store the isolation's state
 * and audit live in (`--db`, else this machine's), the host's backend, who runs the step, and the
 * one way they print an isolation (`--json`: one object; text: report/isolation_lines.ts).
 *
 * @module
 */
import {
  hostIsolationBackend,
  type IsolationBackend,
  type IsolationDeps,
  type IsolationReport,
  whoAmI,
} from "../actions/isolation/mod.ts";
import { escapeTerminalText as safe, formatIsolation } from "../report/mod.ts";
import { defaultStoreLocation, openStore, type ResultStore } from "../store/mod.ts";
import { readDatabaseLocation } from "./database_location.ts";
import type { OutputWriter } from "./output/output_writer.ts";

export { whoAmI };

/** An open store with the isolation's dependencies. */
export interface IsolationSession {
  readonly store: ResultStore;
  readonly deps: IsolationDeps;
  /** The location as given, without a password (what the boot and tamper tasks are told). */
  readonly location: string;
  /** Whether `--db` named it (the tasks then name it too). */
  readonly named: boolean;
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
): Promise<IsolationSession> {
  const { location, password, named } = isolationStoreLocation(db, command);
  // Windows' release and boot tasks name the store, as the Linux units do (never a password).
  backend ??= hostIsolationBackend(Deno.build.os, named ? { taskTail: ["--db", location] } : {});
  const store = await openStore(location, password === undefined ? {} : { password });
  return {
    store,
    location,
    named,
    deps: { store, backend, who: task === undefined ? whoAmI() : `${whoAmI()} (${task})` },
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
