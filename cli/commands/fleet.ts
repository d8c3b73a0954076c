/**
 * `iocscan fleet status` (per host: last run, status, completeness, detections, isolation) and
 * `iocscan fleet retention` (the admin's purge of the fleet store): docs/fleet.md.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { ExitCode } from "../../contracts/exit_codes.ts";
import { escapeTerminalText as safe, formatPurgeSummary } from "../../report/mod.ts";
import type { ResultStore } from "../../store/mod.ts";
import { DEFAULT_RETENTION_DAYS } from "../../store/retention.ts";
import { setExitCode } from "../command_exit_code.ts";
import { readDatabaseLocation } from "../database_location.ts";
import { toDatabaseFlag, toDays } from "../option_parsers.ts";
import { formatFleetStatus } from "../output/fleet_status_table.ts";
import { OutputWriter } from "../output/output_writer.ts";
import { stdout } from "../output/command_output.ts";
import type { CommandRegistrar } from "./registrar.ts";

/** The flags both sub-commands take. */
export interface FleetFlags {
  db: string;
  dbCa?: string;
  json?: true;
}

/** Registers `iocscan fleet status` and `iocscan fleet retention`. */
export const registerFleet: CommandRegistrar = (program) => {
  const fleet = new Command("fleet").description("The PostgreSQL fleet store (docs/fleet.md)");
  const withConnection = (command: Command) =>
    command
      .requiredOption("--db <url>", "the fleet store's postgres:// URL", toDatabaseFlag)
      .option(
        "--db-ca <file>",
        "CA certificate (PEM) the server's certificate must chain to (TLS, verify-full)",
      )
      .option("--json", "write NDJSON events to stdout");
  const status = withConnection(
    new Command("status").description(
      "Per host: last run, its status, completeness, detections, isolation state",
    ),
  ).option("--host <pattern>", "only the hosts matching this pattern (* and ?, any case)");
  status.action(async () => {
    const flags = status.opts() as FleetFlags & { host?: string };
    setExitCode(status, await showFleetStatus(flags));
  });
  const retention = withConnection(
    new Command("retention").description(
      "Delete the fleet's runs older than the retention period, as iocscan_admin",
    ),
  ).option(
    "--retention-days <days>",
    "keep runs started within this many days",
    toDays,
    DEFAULT_RETENTION_DAYS,
  );
  retention.action(async () => {
    const flags = retention.opts() as FleetFlags & { retentionDays: number };
    setExitCode(retention, await applyRetention(flags));
  });
  fleet.addCommand(status as Command);
  fleet.addCommand(retention as Command);
  program.addCommand(fleet);
};

/** `fleet status`: 0, or 2 when the store cannot be read. */
export async function showFleetStatus(flags: FleetFlags & { host?: string }): Promise<number> {
  const store = await openFleet("status", flags, { readOnly: true });
  if (store === undefined) return ExitCode.Error;
  const out = new OutputWriter(stdout);
  try {
    const { fleetStatus } = await import("../../store/mod.ts");
    const hosts = await fleetStatus(store.database, flags.host);
    if (flags.json) {
      for (const host of hosts) out.event({ type: "host", ...host });
      out.event({ type: "summary", hosts: hosts.length, database: store.location });
    } else {
      out.text(formatFleetStatus(hosts, store.location));
    }
    return ExitCode.Clean;
  } catch (error) {
    console.error(
      safe(`iocscan fleet status: reading ${store.location} failed: ${message(error)}`),
    );
    return ExitCode.Error;
  } finally {
    out.flush();
    await store.close();
  }
}

/** `fleet retention`: purges as the admin group role; 0, or 2 when that is refused. */
export async function applyRetention(
  flags: FleetFlags & { retentionDays: number },
): Promise<number> {
  const { FLEET_ADMIN_ROLE } = await import("../../store/mod.ts");
  const store = await openFleet("retention", flags, {
    sessionRole: FLEET_ADMIN_ROLE,
    markAbandoned: false,
  });
  if (store === undefined) return ExitCode.Error;
  const out = new OutputWriter(stdout);
  try {
    const purged = await store.purge({ olderThanDays: flags.retentionDays });
    if (flags.json) {
      out.event({
        type: "summary",
        purgedRuns: purged.runs,
        purgedIocContents: purged.iocContents,
        retentionDays: flags.retentionDays,
        database: store.location,
      });
    } else {
      out.text(formatPurgeSummary(purged, flags.retentionDays, store.location));
    }
    return ExitCode.Clean;
  } catch (error) {
    console.error(safe(`iocscan fleet retention: ${store.location}: ${message(error)}`));
    return ExitCode.Error;
  } finally {
    out.flush();
    await store.close();
  }
}

async function openFleet(
  name: string,
  flags: FleetFlags,
  options: { readOnly?: boolean; sessionRole?: string; markAbandoned?: boolean },
): Promise<ResultStore | undefined> {
  try {
    const { isPostgresUrl, openStore } = await import("../../store/mod.ts");
    const given = readDatabaseLocation(
      flags.db,
      "--db",
      (text) => console.error(`iocscan fleet ${name}: ${text}`),
    );
    if (!isPostgresUrl(given.location)) {
      throw new Error("the fleet store is PostgreSQL: give --db a postgres:// URL");
    }
    return await openStore(given.location, {
      ...options,
      create: false,
      ...(given.password === undefined ? {} : { password: given.password }),
      ...(flags.dbCa === undefined ? {} : { caFile: flags.dbCa }),
    });
  } catch (error) {
    console.error(safe(`iocscan fleet ${name}: ${message(error)}`));
    return undefined;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
