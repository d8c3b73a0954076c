/**
 * The fleet store's least privilege on PostgreSQL (docs/fleet.md): the two group roles, what each
 * may do to each table, and the row-level security that lets an endpoint login insert and read
 * only its own runs. `iocscan store init-postgres` applies it ({@linkcode initFleetStore}); every
 * statement is idempotent, so running it again (after an upgrade, to migrate) is safe.
 *
 * @module
 */
import { type Kysely, sql } from "kysely";
import { type DatabaseKind, migrateToLatest, storeMigrations } from "./migrations.ts";

// deno-lint-ignore no-explicit-any
type AnyDatabase = Kysely<any>;

/** The group role that owns the schema, runs migrations and retention, and reads everything. */
export const FLEET_ADMIN_ROLE = "iocscan_admin";
/** The NOLOGIN group role of the endpoints: each host (or group) logs in as its own member. */
export const FLEET_ENDPOINT_ROLE = "iocscan_endpoint";
/** The name of the row-level security policy on every table an endpoint reaches. */
const POLICY_NAME = "iocscan_endpoint_own";

/** Which rows of a table an endpoint login sees and writes. */
type RowScope =
  /** Rows whose `owner_role` is the login role. */
  | "owner"
  /** Rows of a run the login sees (runs' own policy applies inside the subquery). */
  | "run"
  /** Rows of an isolation the login sees. */
  | "isolation"
  /** Every row: IOC file contents, content-addressed and shared by the fleet's runs. */
  | "shared";

/** What an endpoint may do to one table. */
interface EndpointGrant {
  /** The table (SQL name). */
  table: string;
  /** Whose rows. */
  rows: RowScope;
  /** Columns an endpoint may update (none: no UPDATE at all). */
  updatable?: readonly string[];
}

/**
 * Every table of the store an endpoint writes, and its rights there: SELECT and INSERT, UPDATE
 * of the listed columns only, never DELETE, TRUNCATE or DDL.
 */
export const ENDPOINT_GRANTS: readonly EndpointGrant[] = [
  // finishRun and the abandoned-run rule change these three.
  { table: "runs", rows: "owner", updatable: ["status", "finished_at", "counts_json"] },
  { table: "ioc_contents", rows: "shared" },
  { table: "ioc_content_iocs", rows: "shared" },
  { table: "run_ioc_files", rows: "run" },
  { table: "detections", rows: "run" },
  { table: "skipped_objects", rows: "run" },
  // Counts are added to with ON CONFLICT … DO UPDATE.
  { table: "skip_counts", rows: "run", updatable: ["count"] },
  { table: "warnings", rows: "run" },
  { table: "actions", rows: "run" },
  { table: "findings", rows: "run" },
  { table: "isolations", rows: "owner", updatable: ["state", "expires_at", "plan_json"] },
  { table: "isolation_audit", rows: "isolation" },
];

/** The migration bookkeeping: an endpoint reads the migration list to check the schema. */
const MIGRATION_TABLES = ["iocscan_migration", "iocscan_migration_lock"] as const;

/** The policy expression of each row scope. */
const scopeExpressions: Record<RowScope, string> = {
  owner: "owner_role = current_user",
  run: "run_id in (select id from runs)",
  isolation: "isolation_id in (select id from isolations)",
  shared: "true",
};

/** What a login is to the fleet store. */
export type FleetRole = "endpoint" | "admin";

/**
 * Whether this connection is an endpoint login (a member of {@linkcode FLEET_ENDPOINT_ROLE} that
 * is neither a superuser nor a member of {@linkcode FLEET_ADMIN_ROLE}) or anything else.
 */
export async function fleetRoleOf(db: AnyDatabase): Promise<FleetRole> {
  const { rows } = await sql<{ endpoint: boolean; admin: boolean }>`
    select
      exists(select 1 from pg_roles where rolname = ${FLEET_ENDPOINT_ROLE}
        and pg_has_role(current_user, oid, 'USAGE')) as endpoint,
      exists(select 1 from pg_roles where rolname = ${FLEET_ADMIN_ROLE}
        and pg_has_role(current_user, oid, 'USAGE')) as admin`.execute(db);
  return rows[0]?.endpoint && !rows[0].admin ? "endpoint" : "admin";
}

/**
 * Whether the database is a fleet store: its `runs` table has row-level security on. Only
 * `iocscan store init-postgres` migrates such a store, so that every table stays the admin
 * role's and keeps its policies.
 */
export async function isFleetStore(db: AnyDatabase): Promise<boolean> {
  const { rows } = await sql<{ secured: boolean | null }>`
    select relrowsecurity as secured from pg_class where oid = to_regclass('runs')`.execute(db);
  return rows[0]?.secured === true;
}

/**
 * Checks that every migration this iocscan needs is applied, changing nothing: a fleet store is
 * migrated by its admin only.
 *
 * @throws Error naming the missing migrations and the command that applies them.
 */
export async function checkCurrentSchema(db: AnyDatabase, kind: DatabaseKind): Promise<void> {
  let applied: Set<string>;
  try {
    applied = new Set(
      (await sql<{ name: string }>`select name from iocscan_migration`.execute(db)).rows
        .map((row) => row.name),
    );
  } catch (error) {
    throw new Error(
      `the fleet store has no schema this login can read (${
        error instanceof Error ? error.message : String(error)
      }); its admin creates it with: iocscan store init-postgres --admin-url URL`,
      { cause: error },
    );
  }
  const missing = Object.keys(storeMigrations(kind)).filter((name) => !applied.has(name));
  if (missing.length > 0) {
    throw new Error(
      `the fleet store's schema is older than this iocscan needs (missing ${
        missing.join(", ")
      }); endpoints never migrate it: its admin upgrades it with: ` +
        "iocscan store init-postgres --admin-url URL",
    );
  }
}

/** What {@linkcode initFleetStore} did. */
export interface FleetInitReport {
  /** Migrations applied now. */
  applied: string[];
  /** The group roles (created now or already there). */
  roles: { admin: string; endpoint: string };
  /** The tables with row-level security for endpoints. */
  securedTables: string[];
}

/**
 * Sets the fleet store up, or brings it up to date: the two group roles, the schema's
 * privileges, the tables (migrated as {@linkcode FLEET_ADMIN_ROLE}, which owns them), the
 * endpoint grants and the row-level security.
 *
 * @param asConnected The database as the administrator that ran the command (a superuser, or a
 *   role with CREATEROLE that owns the database).
 * @param asAdmin The same database with every session's role set to {@linkcode FLEET_ADMIN_ROLE}.
 */
export async function initFleetStore(
  asConnected: AnyDatabase,
  asAdmin: AnyDatabase,
): Promise<FleetInitReport> {
  for (const role of [FLEET_ADMIN_ROLE, FLEET_ENDPOINT_ROLE]) {
    await sql.raw(`
      do $$ begin
        if not exists (select 1 from pg_roles where rolname = '${role}') then
          create role ${role} nologin;
        end if;
      end $$`).execute(asConnected);
  }
  await sql.raw(`grant ${FLEET_ADMIN_ROLE} to current_user`).execute(asConnected);
  const database = sql.raw('"' + (await currentDatabase(asConnected)).replaceAll('"', '""') + '"');
  await sql`revoke all on database ${database} from public`.execute(asConnected);
  await sql`grant connect on database ${database} to ${sql.raw(FLEET_ADMIN_ROLE)}, ${
    sql.raw(FLEET_ENDPOINT_ROLE)
  }`.execute(asConnected);
  await sql.raw("revoke create on schema public from public").execute(asConnected);
  await sql.raw(`grant usage, create on schema public to ${FLEET_ADMIN_ROLE}`).execute(asConnected);
  await sql.raw(`grant usage on schema public to ${FLEET_ENDPOINT_ROLE}`).execute(asConnected);
  // A store used before it became a fleet store: its tables go to the admin role.
  for (const table of [...ENDPOINT_GRANTS.map((grant) => grant.table), ...MIGRATION_TABLES]) {
    await sql.raw(`
      do $$ begin
        if to_regclass('public.${table}') is not null then
          alter table public.${table} owner to ${FLEET_ADMIN_ROLE};
        end if;
      end $$`).execute(asConnected);
  }
  const { applied } = await migrateToLatest(asAdmin, "postgres");
  for (const grant of ENDPOINT_GRANTS) {
    const expression = scopeExpressions[grant.rows];
    const updatable = grant.updatable ?? [];
    const statements = [
      `revoke all on table ${grant.table} from public, ${FLEET_ENDPOINT_ROLE}`,
      `grant select, insert on table ${grant.table} to ${FLEET_ENDPOINT_ROLE}`,
      ...(updatable.length > 0
        ? [
          `grant update (${
            updatable.join(", ")
          }) on table ${grant.table} to ${FLEET_ENDPOINT_ROLE}`,
        ]
        : []),
      `alter table ${grant.table} enable row level security`,
      `drop policy if exists ${POLICY_NAME} on ${grant.table}`,
      `create policy ${POLICY_NAME} on ${grant.table} to ${FLEET_ENDPOINT_ROLE} ` +
      `using (${expression}) with check (${expression})`,
    ];
    for (const statement of statements) await sql.raw(statement).execute(asAdmin);
  }
  for (const table of MIGRATION_TABLES) {
    await sql.raw(`revoke all on table ${table} from public, ${FLEET_ENDPOINT_ROLE}`)
      .execute(asAdmin);
  }
  await sql.raw(`grant select on table iocscan_migration to ${FLEET_ENDPOINT_ROLE}`)
    .execute(asAdmin);
  return {
    applied,
    roles: { admin: FLEET_ADMIN_ROLE, endpoint: FLEET_ENDPOINT_ROLE },
    securedTables: ENDPOINT_GRANTS.map((grant) => grant.table),
  };
}

async function currentDatabase(db: AnyDatabase): Promise<string> {
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(db);
  return rows[0]!.name;
}
