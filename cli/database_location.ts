/**
 * Reads a results-database location the user gave (`--db`, a task file's
 * `databasePath`): a password written into a PostgreSQL URL is taken out, used
 * for this run only and never stored or printed, with a warning on stderr that
 * says why it should not be there and where it belongs instead.
 *
 * @module
 */
import { passwordInUrl, withoutPassword } from "../store/postgres_url.ts";
import { PASSWORD_ENV, PASSWORD_FILE_ENV } from "../store/postgres_password.ts";

/** A database location without its password, and the password it held. */
export interface DatabaseLocation {
  /** The SQLite path or the PostgreSQL URL without a password: safe to store and show. */
  location: string;
  /** The password the URL held, for this process only. */
  password?: string;
}

/** Where a location came from; each says who else can read a password written there. */
export const locationOrigins = {
  "--db": "the command line, which every user of this machine can read while iocscan runs",
  "--admin-url": "the command line, which every user of this machine can read while iocscan runs",
  "task file": "the task file, where anyone who can read the file has it",
} as const;

/**
 * Splits `value` into the location to store and the password to use.
 *
 * @param warn Receives the warning when the URL held a password (stderr by default).
 */
export function readDatabaseLocation(
  value: string,
  origin: keyof typeof locationOrigins,
  warn: (message: string) => void = (message) => console.error(message),
): DatabaseLocation {
  const password = passwordInUrl(value);
  if (password === undefined) return { location: value };
  warn(
    `warning: the database URL in ${origin} holds a password: it is in ${
      locationOrigins[origin]
    }. It is used for this run and never stored or shown; give it through ${PASSWORD_ENV}, ` +
      `a PGPASSFILE (~/.pgpass) or a file named by ${PASSWORD_FILE_ENV} instead.`,
  );
  return { location: withoutPassword(value), password };
}
