/**
 * The one place that knows where a password sits in a PostgreSQL URL: in the
 * user-info (`postgres://user:pw@host/db`) or in the query
 * (`postgres://user@host/db?password=pw`, which pg reads too and which wins). A URL
 * is stored, printed and put in messages only without its password
 * ({@linkcode withoutPassword}); the password itself travels apart
 * (store/postgres_password.ts).
 *
 * @module
 */

/** The scheme and the user-info (`user:password`) of a URL: before the first "@" of the authority. */
const userInfoPattern = /^([a-z]+:\/\/)([^@/?#]*)@/i;

/** The URL before its query, the query (without "?") and the fragment (with "#"). */
const queryPattern = /^([^?#]*)\?([^#]*)(#.*)?$/;

/** A query parameter that holds a password. */
const passwordParameterPattern = /^password=(.*)$/;

/** Percent-decoded, or as it is when it is not valid percent-encoding. */
function decoded(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

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
  const query = queryPattern.exec(location)?.[2];
  const inQuery = query?.split("&").map((pair) => passwordParameterPattern.exec(pair)?.[1])
    .filter((value) => value !== undefined && value !== "").at(-1);
  if (inQuery !== undefined) return decoded(inQuery);
  const authority = userInfoPattern.exec(location)?.[2];
  const colon = authority?.indexOf(":") ?? -1;
  if (authority === undefined || colon < 0) return undefined;
  const raw = authority.slice(colon + 1);
  return raw === "" ? undefined : decoded(raw);
}

/**
 * The location with the password of a PostgreSQL URL removed, from the
 * user-info and from the query (`postgres://user@host/db`); any other location
 * as it is.
 *
 * @example
 * ```ts
 * import { withoutPassword } from "./postgres_url.ts";
 * withoutPassword("postgres://scan:s3cret@db.example/iocs"); // "postgres://scan@db.example/iocs"
 * withoutPassword("postgres://scan@db.example/iocs?password=s3cret&sslmode=require");
 * // "postgres://scan@db.example/iocs?sslmode=require"
 * ```
 */
export function withoutPassword(location: string): string {
  if (!isPostgresUrl(location)) return location;
  // Text surgery, not URL(): it keeps the rest of the URL byte for byte.
  const withoutUserPassword = location.replace(
    userInfoPattern,
    (_whole, scheme: string, userInfo: string) => {
      const colon = userInfo.indexOf(":");
      return `${scheme}${colon < 0 ? userInfo : userInfo.slice(0, colon)}@`;
    },
  );
  const query = queryPattern.exec(withoutUserPassword);
  if (!query) return withoutUserPassword;
  const [, base, parameters, fragment = ""] = query;
  const kept = parameters!.split("&").filter((pair) =>
    pair !== "" && !passwordParameterPattern.test(pair)
  );
  return `${base}${kept.length > 0 ? `?${kept.join("&")}` : ""}${fragment}`;
}
