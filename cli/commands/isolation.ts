/**
 * `iocscan isolation status|extend|release|check|boot`: the isolation `iocscan isolate` started
 * (docs/isolation.md). `check` is the 60-second tamper check and `boot` the boot task; the units
 * `isolate` installs run them.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import {
  currentIsolation,
  extend,
  hostIsolationBackend,
  type IsolationOutcome,
  LocalRecordRefused,
  maintain,
  maintainFromLocalRecord,
  type MaintenanceTask,
  release,
} from "../../actions/isolation/mod.ts";
import { ExitCode } from "../../contracts/exit_codes.ts";
import { formatNoIsolation } from "../../report/mod.ts";
import { setExitCode } from "../command_exit_code.ts";
import {
  complain,
  type IsolationSession,
  isolationStatePlace,
  isolationStoreLocation,
  isolationTaskTail,
  openIsolationSession,
  whoAmI,
  writeIsolation,
} from "../isolation_setup.ts";
import { toDatabaseFlag, toIsolationDuration } from "../option_parsers.ts";
import { OutputWriter } from "../output/output_writer.ts";
import type { CommandRegistrar } from "./registrar.ts";

/** The flags every `isolation` sub-command takes. */
export interface IsolationFlags {
  db?: string;
  json?: true;
  stateDir?: string;
}

/** Registers `iocscan isolation` and its sub-commands. */
export const registerIsolation: CommandRegistrar = (program) => {
  const isolation = new Command("isolation")
    .description("Show, extend or release the host's isolation; its boot and tamper tasks");
  const sub = (name: string, description: string) =>
    new Command(name).description(description)
      .option(
        "--db <file>",
        "results database holding the isolation: SQLite file or postgres:// URL",
        toDatabaseFlag,
      )
      .option(
        "--state-dir <folder>",
        "folder of the isolation's local record and audit queue (default: the default results store's folder)",
      )
      .option("--json", "write the isolation as one JSON object");

  const status = sub("status", "Show the active (else the latest) isolation and its audit trail");
  status.action(async (flags) => {
    setExitCode(status, await withSession("status", flags, showStatus));
  });
  const extendCommand = sub("extend", "Give the active isolation a new deadline, counted from now")
    .requiredOption("--duration <span>", "1m to 9999h, such as 8h or 90m", toIsolationDuration);
  extendCommand.action(async (flags) => {
    setExitCode(
      extendCommand,
      await withSession(
        "extend",
        flags,
        (session, out, json) =>
          reportOutcome("extend", extend(session.deps, flags.duration), out, json),
      ),
    );
  });
  const releaseCommand = sub("release", "Release the isolation now (our rules are removed)");
  releaseCommand.action(async (flags) => {
    setExitCode(
      releaseCommand,
      await withSession(
        "release",
        flags,
        (session, out, json) =>
          reportOutcome("release", release(session.deps), out, json, session.location),
      ),
    );
  });
  isolation.addCommand(status).addCommand(extendCommand).addCommand(releaseCommand);
  for (
    const [task, description] of [
      [
        "check",
        "The tamper check (every 60 s): re-apply a removed rule set, clean up after the deadline",
      ],
      [
        "boot",
        "The boot task: re-apply an isolation whose deadline has not passed, clean up one that has",
      ],
    ] as const
  ) {
    const command = sub(task, description);
    command.action(async (flags) => {
      setExitCode(command, await withSession(task, flags, maintenance(task), task));
    });
    isolation.addCommand(command);
  }
  program.addCommand(isolation);
};

type Step = (session: IsolationSession, out: OutputWriter, json: boolean) => Promise<number>;

async function withSession(
  name: string,
  flags: IsolationFlags,
  step: Step,
  task?: string,
): Promise<number> {
  const command = `iocscan isolation ${name}`;
  const out = new OutputWriter();
  let session: IsolationSession | undefined;
  try {
    try {
      session = await openIsolationSession(
        flags.db,
        command,
        task === undefined ? undefined : `iocscan isolation ${task}`,
        undefined,
        flags.stateDir,
      );
    } catch (error) {
      if (task !== "boot" && task !== "check") throw error;
      return await fromLocalRecord(task, flags, out, error);
    }
    return await step(session, out, flags.json === true);
  } catch (error) {
    complain(command, error instanceof Error ? error.message : String(error));
    return ExitCode.Error;
  } finally {
    out.flush();
    await session?.store.close();
  }
}

async function showStatus(
  session: IsolationSession,
  out: OutputWriter,
  json: boolean,
): Promise<number> {
  const report = await currentIsolation(session.deps);
  if (report !== undefined) writeIsolation(out, report, json);
  else if (json) out.event({ type: "isolation", state: "none", database: session.location });
  else out.text(formatNoIsolation(session.location));
  return ExitCode.Clean;
}

async function reportOutcome(
  name: string,
  pending: Promise<IsolationOutcome | undefined>,
  out: OutputWriter,
  json: boolean,
  location = "",
): Promise<number> {
  const outcome = await pending;
  if (outcome === undefined) {
    if (json) out.event({ type: "isolation", state: "none", database: location });
    else out.text(formatNoIsolation(location));
    return ExitCode.Clean;
  }
  writeIsolation(out, outcome.report, json);
  if (!outcome.ok) complain(`iocscan isolation ${name}`, outcome.problem ?? "failed");
  return outcome.ok ? ExitCode.Clean : ExitCode.Error;
}

function maintenance(task: MaintenanceTask): Step {
  return (session, out, json) =>
    reportOutcome(task, maintain(session.deps, task), out, json, session.location);
}

/**
 * `boot` and `check` when the store cannot be opened: the same maintenance on the local record
 * (docs/isolation.md "Without the store"), its audit queued. Exit 3 when it worked from the record
 * and every audit record was queued; 2 when there is no record, it is refused (the rules are left
 * as they are), the step failed, or an audit record could not be kept.
 */
async function fromLocalRecord(
  task: MaintenanceTask,
  flags: IsolationFlags,
  out: OutputWriter,
  storeError: unknown,
): Promise<number> {
  const command = `iocscan isolation ${task}`;
  const why = `the store could not be opened (${messageOf(storeError)})`;
  const { location, named } = isolationStoreLocation(flags.db, command, false);
  const place = isolationStatePlace(flags.stateDir);
  const backend = hostIsolationBackend(Deno.build.os, {
    taskTail: isolationTaskTail(location, named, place),
  });
  let done;
  try {
    done = await maintainFromLocalRecord(place, backend, `${whoAmI()} (${command})`, task);
  } catch (error) {
    const refused = error instanceof LocalRecordRefused;
    complain(
      command,
      refused
        ? `${why}; the local record was refused, the rules are left as they are: ${error.message}`
        : `${why}; working from the local record in ${place.folder} failed: ${messageOf(error)}`,
    );
    return ExitCode.Error;
  }
  if (!done.found) {
    complain(command, `${why}, and there is no local record in ${place.folder}: nothing done`);
    return ExitCode.Error;
  }
  if (done.outcome !== undefined) writeIsolation(out, done.outcome.report, flags.json === true);
  complain(
    command,
    `${why}: worked from the local record in ${place.folder}; ${done.queued} audit records queued for the store`,
  );
  if (done.outcome !== undefined && !done.outcome.ok) {
    complain(command, done.outcome.problem ?? "failed");
    return ExitCode.Error;
  }
  return ExitCode.Incomplete;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
