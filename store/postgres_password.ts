/**
 * Where the PostgreSQL password comes from. It is never part of a stored or
 * printed URL (store/postgres_url.ts); it is looked up when the server asks
 * for it, in this order:
 *
 * 1. a password the caller hands over (`--db` with a password in the URL,
 *    which the CLI warns about and strips before anything is stored);
 * 2. the file named by `IOCSCAN_DB_PASSWORD_FILE` (its first line);
 * 3. `PGPASSWORD` — the hand-over the PowerShell module uses after decrypting
 *    its DPAPI file;
 * 4. the password file of libpq: `PGPASSFILE`, else `~/.pgpass`
 *    (`%APPDATA%\postgresql\pgpass.conf` on Windows), read by node-postgres's
 *    own `pgpass` module, which ignores a file others can read.
 *
 * No password at all is fine: the server may not ask for one (trust, peer, cert).
 *
 * @module
 */
import { readFileSync } from "node:fs";

/** The environment variable that names a file holding the password. */
export const PASSWORD_FILE_ENV = "IOCSCAN_DB_PASSWORD_FILE";
/** The environment variable that carries the password itself (libpq's, also read by pg). */
export const PASSWORD_ENV = "PGPASSWORD";

/** What pg knows of the connection when it asks for the password (for `.pgpass` lookups). */
export interface ConnectionParameters {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
}

/** Where {@linkcode lookUpPassword} reads from; the process's environment unless a test says otherwise. */
export interface PasswordSources {
  /** A password handed over by the caller (highest priority). */
  given?: string;
  /** Reads an environment variable. */
  env?: (name: string) => string | undefined;
}

/**
 * Finds the password for a connection, or undefined when none is configured.
 *
 * @throws Error when `IOCSCAN_DB_PASSWORD_FILE` names a file that cannot be read
 *   (the message names the variable and the file, never the password).
 */
export async function lookUpPassword(
  connection: ConnectionParameters,
  sources: PasswordSources = {},
): Promise<string | undefined> {
  const env = sources.env ?? ((name: string) => Deno.env.get(name));
  if (sources.given !== undefined) return sources.given;
  const file = env(PASSWORD_FILE_ENV);
  if (file) return readPasswordFile(file);
  const password = env(PASSWORD_ENV);
  if (password) return password;
  return await fromPgpass(connection);
}

function readPasswordFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot read the password file ${file} (${PASSWORD_FILE_ENV}): ${reason}`);
  }
  const line = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  if (line === "") throw new Error(`the password file ${file} (${PASSWORD_FILE_ENV}) is empty`);
  return line;
}

async function fromPgpass(connection: ConnectionParameters): Promise<string | undefined> {
  // pgpass ships no types: (connection, callback(password | undefined)).
  const pgpass = (await import("pgpass")).default as (
    connection: ConnectionParameters,
    done: (password: string | undefined) => void,
  ) => void;
  return await new Promise((resolve) => pgpass(connection, resolve));
}
