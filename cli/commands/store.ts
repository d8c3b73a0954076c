/**
 * `iocscan store init-postgres --admin-url URL`: creates (or upgrades) the PostgreSQL fleet
 * store: the schema, the admin and endpoint group roles, the endpoint grants and row-level
 * security (store/fleet_roles.ts; docs/fleet.md).
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { ExitCode } from "../../contracts/exit_codes.ts";
import { escapeTerminalText as safe } from "../../report/mod.ts";
import { setExitCode } from "../command_exit_code.ts";
import { readDatabaseLocation } from "../database_location.ts";
import { toDatabaseFlag } from "../option_parsers.ts";
import { OutputWriter } from "../output/output_writer.ts";
import { stdout } from "../output/command_output.ts";
import type { CommandRegistrar } from "./registrar.ts";

/** The flags of `iocscan store init-postgres`. */
export interface InitPostgresFlags {
  /** The database URL as an administrator (a superuser, or CREATEROLE and the database's owner). */
  adminUrl: string;
  /** A CA certificate file for verify-full TLS. */
  dbCa?: string;
  /** A summary event instead of text. */
  json?: true;
}

/** Registers `iocscan store` and `iocscan store init-postgres`. */
export const registerStore: CommandRegistrar = (program) => {
  const store = new Command("store").description("Set up the results store");
  const init = new Command("init-postgres")
    .description(
      "Create or upgrade the PostgreSQL fleet store: schema, iocscan_admin and " +
        "iocscan_endpoint roles, row-level security (docs/fleet.md)",
    )
    .requiredOption(
      "--admin-url <url>",
      "postgres:// URL of the database as its administrator (password: PGPASSWORD, ~/.pgpass " +
        "or IOCSCAN_DB_PASSWORD_FILE, never the URL)",
      toDatabaseFlag,
    )
    .option(
      "--db-ca <file>",
      "CA certificate (PEM) the server's certificate must chain to (TLS, verify-full)",
    )
    .option("--json", "write a summary event to stdout");
  init.action(async (flags) => {
    setExitCode(init, await initPostgres(flags as InitPostgresFlags));
  });
  store.addCommand(init);
  program.addCommand(store);
};

/** The `store init-postgres` action; 0, or 2 when a step fails (the message says which). */
export async function initPostgres(flags: InitPostgresFlags): Promise<number> {
  const given = readDatabaseLocation(
    flags.adminUrl,
    "--admin-url",
    (message) => console.error(`iocscan store init-postgres: ${message}`),
  );
  const out = new OutputWriter(stdout);
  try {
    const { initPostgresStore } = await import("../../store/mod.ts");
    const report = await initPostgresStore(given.location, {
      ...(given.password === undefined ? {} : { password: given.password }),
      ...(flags.dbCa === undefined ? {} : { caFile: flags.dbCa }),
    });
    if (flags.json) {
      out.event({ type: "summary", ...report, database: report.location });
    } else {
      out.text(
        `Fleet store ready in ${safe(report.location)}: ` +
          `${report.applied.length} migration(s) applied now, ` +
          `tables owned by ${report.roles.admin}, row-level security for ` +
          `${report.roles.endpoint} on ${report.securedTables.join(", ")}.\n` +
          `Add a host: CREATE ROLE <host> LOGIN PASSWORD '…' IN ROLE ${report.roles.endpoint};\n`,
      );
    }
    return ExitCode.Clean;
  } catch (error) {
    console.error(
      safe(`iocscan store init-postgres: ${error instanceof Error ? error.message : error}`),
    );
    return ExitCode.Error;
  } finally {
    out.flush();
  }
}
