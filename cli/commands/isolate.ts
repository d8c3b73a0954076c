/**
 * `iocscan isolate`: cuts the host off the network for a set time (docs/isolation.md). The
 * allow-list is resolved first, the isolation's state stored, the rules applied, existing
 * connections cut and both halves of the self-test run; a failed self-test rolls back. The command
 * returns once the isolation holds: the kernel lifts it at the deadline, and the boot and tamper
 * tasks need no iocscan process in between.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import {
  type AllowSpec,
  buildIsolationPlan,
  DEFAULT_ISOLATION_MS,
  hostIsolationBackend,
  installHostTasks,
  isolate,
  type IsolationReport,
  type ProbeTarget,
  UNIT_DIR_ENV,
} from "../../actions/isolation/mod.ts";
import { ExitCode } from "../../contracts/exit_codes.ts";
import { formatIsolationWhatIf } from "../../report/mod.ts";
import { setExitCode } from "../command_exit_code.ts";
import {
  complain,
  isolationStatePlace,
  isolationStoreLocation,
  isolationTaskTail,
  openIsolationSession,
  writeIsolation,
} from "../isolation_setup.ts";
import {
  toAllowSpecs,
  toDatabaseFlag,
  toIsolationDuration,
  toProbeTarget,
} from "../option_parsers.ts";
import { OutputWriter } from "../output/output_writer.ts";
import type { CommandRegistrar } from "./registrar.ts";

/** The flags of `iocscan isolate`. */
export interface IsolateFlags {
  duration: number;
  allow?: AllowSpec[];
  reason?: string;
  probe?: AllowSpec & { port: number };
  whatIf?: true;
  db?: string;
  json?: true;
  unitDir?: string;
  stateDir?: string;
}

const COMMAND = "iocscan isolate";

/** Registers `iocscan isolate`. */
export const registerIsolate: CommandRegistrar = (program) => {
  const command = new Command("isolate")
    .description(
      "Isolate this host from the network for a set time, except loopback, DHCP, neighbour discovery, its DNS servers, the results database and --allow",
    )
    .option(
      "--duration <span>",
      "how long: 1m to 9999h, such as 8h, 90m, 1h30m, 2d (default 8h)",
      toIsolationDuration,
      DEFAULT_ISOLATION_MS,
    )
    .option(
      "--allow <host[:port][/proto]>",
      "also allow this peer (a name is resolved to every A/AAAA address first); repeatable",
      toAllowSpecs,
    )
    .option("--reason <text>", "why, for the audit")
    .option(
      "--probe <host:port>",
      "the forbidden target of the self-test (default: TCP 443 of the default gateway)",
      toProbeTarget,
    )
    .option("--what-if", "print the resolved allow-list and the exact rule set; change nothing")
    .option(
      "--db <file>",
      "results database for the isolation's state and audit: SQLite file or postgres:// URL",
      toDatabaseFlag,
    )
    .option(
      "--unit-dir <folder>",
      `write the boot and tamper units here and enable nothing (default: $${UNIT_DIR_ENV}, else systemd's folder where systemd runs)`,
    )
    .option(
      "--state-dir <folder>",
      "folder of the local record the boot and tamper tasks fall back on without the store (default: the default results store's folder)",
    )
    .option("--json", "write the isolation as one JSON object");
  command.action(async (flags) => {
    setExitCode(command, await isolateAction(flags as IsolateFlags));
  });
  program.addCommand(command);
};

/**
 * The `isolate` action.
 *
 * @returns 0 when isolated and self-tested; 2 when it could not be (nothing applied, or rolled back).
 */
export async function isolateAction(flags: IsolateFlags): Promise<number> {
  const out = new OutputWriter();
  const json = flags.json === true;
  try {
    const { location, named } = isolationStoreLocation(flags.db, COMMAND, flags.whatIf !== true);
    const place = isolationStatePlace(flags.stateDir, flags.whatIf !== true);
    // Windows' release and boot tasks name the store and the local record, as the Linux units do.
    const backend = hostIsolationBackend(Deno.build.os, {
      taskTail: isolationTaskTail(location, named, place),
    });
    let probe: ProbeTarget | undefined;
    const planned = await buildIsolationPlan({
      durationMs: flags.duration,
      allow: flags.allow ?? [],
      storeLocation: location,
    });
    if (flags.probe !== undefined) {
      const resolved = await buildIsolationPlan({
        durationMs: flags.duration,
        allow: [flags.probe],
        dns: { servers: [], problems: [] },
      });
      const address = resolved.plan.allow[0]?.address;
      if (address !== undefined) probe = { address, port: flags.probe.port };
    }
    const { plan } = planned;
    for (const problem of planned.problems) complain(COMMAND, `note: ${problem}`);
    if (flags.whatIf === true) {
      const ruleset = backend.render(plan);
      const report: IsolationReport & { ruleset: unknown; problems: readonly string[] } = {
        type: "isolation",
        id: plan.id,
        state: "what-if",
        started: new Date().toISOString(),
        expiresAt: plan.expiresAt,
        allow: plan.allow,
        ...(flags.reason === undefined ? {} : { reason: flags.reason }),
        iocIds: [],
        who: "",
        audit: [],
        ruleset: JSON.parse(ruleset),
        problems: planned.problems,
      };
      json ? out.event(report) : out.text(formatIsolationWhatIf(report, ruleset, planned.problems));
      return ExitCode.Clean;
    }
    const session = await openIsolationSession(
      flags.db,
      COMMAND,
      undefined,
      backend,
      place.folder,
    );
    try {
      const outcome = await isolate(session.deps, {
        plan,
        ...(flags.reason === undefined ? {} : { reason: flags.reason }),
        ...(probe === undefined ? {} : { selfTest: { probe } }),
        installTasks: () =>
          installHostTasks(named ? location : undefined, flags.unitDir, place.folder),
      });
      writeIsolation(out, outcome.report, json);
      if (!outcome.ok) complain(COMMAND, outcome.problem ?? "failed");
      return outcome.ok ? ExitCode.Clean : ExitCode.Error;
    } finally {
      await session.store.close();
    }
  } catch (error) {
    complain(COMMAND, error instanceof Error ? error.message : String(error));
    return ExitCode.Error;
  } finally {
    out.flush();
  }
}
