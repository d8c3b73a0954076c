/**
 * The one place that knows where a password sits in a PostgreSQL URL. A URL
 * is stored, printed and put in messages only without its password
 * ({@linkcode withoutPassword}); the password itself travels apart
 * (store/postgres_password.ts).
 *
 * @module
 */

/** The scheme and the user-info (`user:password`) of a URL: before the first "@" of the authority. */
const userInfoPattern = /^([a-z]+:\/\/)([^@/?#]*)@/i;

/** True for `postgres://` and `postgresql://` URLs. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * The password written in a PostgreSQL URL (`postgres://user:pw@host/db`),
 * decoded, or undefined when it holds none. Any other location: undefined.
 */
export function passwordInUrl(location: string): string | undefined {
  if (!isPostgresUrl(location)) return undefined;
  const authority = userInfoPattern.exec(location)?.[2];
  const colon = authority?.indexOf(":") ?? -1;
  if (authority === undefined || colon < 0) return undefined;
  const raw = authority.slice(colon + 1);
  if (raw === "") return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * The location with the password of a PostgreSQL URL removed
 * (`postgres://user@host/db`); any other location as it is.
 *
 * @example
 * ```ts
 * import { withoutPassword } from "./postgres_url.ts";
 * withoutPassword("postgres://scan:s3cret@db.example/iocs"); // "postgres://scan@db.example/iocs"
 * ```
 */
export function withoutPassword(location: string): string {
  if (!isPostgresUrl(location)) return location;
  // Text surgery, not URL(): it keeps the rest of the URL byte for byte.
  return location.replace(userInfoPattern, (_whole, scheme: string, userInfo: string) => {
    const colon = userInfo.indexOf(":");
    return `${scheme}${colon < 0 ? userInfo : userInfo.slice(0, colon)}@`;
  });
}
