/**
 * `iocscan store init-postgres`: connects to the fleet store as its administrator, twice (as
 * the login itself, and with every session in the admin group role, which owns the tables), and
 * applies store/fleet_roles.ts.
 *
 * @module
 */
import { FLEET_ADMIN_ROLE, type FleetInitReport, initFleetStore } from "./fleet_roles.ts";
import { connectPostgres } from "./open_database.ts";
import { isPostgresUrl, withoutPassword } from "./postgres_url.ts";
import { StoreOpenError } from "./store_open_error.ts";

/** How to reach the server as its administrator. */
export interface InitPostgresOptions {
  /** The administrator's password, handed over apart from the URL. */
  password?: string;
  /** A CA certificate file the server's certificate must chain to (verify-full). */
  caFile?: string;
}

/**
 * Creates or upgrades the fleet store at `adminUrl` (docs/fleet.md).
 *
 * @throws StoreOpenError when the URL is not PostgreSQL's or the server refuses a step.
 */
export async function initPostgresStore(
  adminUrl: string,
  options: InitPostgresOptions = {},
): Promise<FleetInitReport & { location: string }> {
  const location = withoutPassword(adminUrl);
  if (!isPostgresUrl(adminUrl)) {
    throw new StoreOpenError(location, "the fleet store is PostgreSQL: give a postgres:// URL");
  }
  const asConnected = await connectPostgres(adminUrl, options);
  const asAdmin = await connectPostgres(adminUrl, { ...options, sessionRole: FLEET_ADMIN_ROLE });
  try {
    return { ...await initFleetStore(asConnected, asAdmin), location };
  } catch (error) {
    throw new StoreOpenError(location, error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  } finally {
    await asAdmin.destroy().catch(() => {});
    await asConnected.destroy().catch(() => {});
  }
}
