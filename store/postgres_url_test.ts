import { deepStrictEqual } from "node:assert/strict";
import { isPostgresUrl, passwordInUrl, withoutPassword } from "./postgres_url.ts";

Deno.test("withoutPassword() removes the password and keeps the rest of the URL as written", () => {
  const cases: [string, string, string | undefined][] = [
    [
      "postgres://scan:s3cret@db:5432/iocs?sslmode=require",
      "postgres://scan@db:5432/iocs?sslmode=require",
      "s3cret",
    ],
    ["postgresql://scan:p%40ss%3Aw0rd@db/iocs", "postgresql://scan@db/iocs", "p@ss:w0rd"],
    ["POSTGRES://u:a%23b%2Fc@h/d", "POSTGRES://u@h/d", "a#b/c"],
    [
      "postgres://h:5432/d?application_name=a@b",
      "postgres://h:5432/d?application_name=a@b",
      undefined,
    ],
    ["postgres://scan@db/iocs", "postgres://scan@db/iocs", undefined],
    ["postgres://scan:@db/iocs", "postgres://scan@db/iocs", undefined],
    ["postgres://db/iocs", "postgres://db/iocs", undefined],
    ["/var/lib/iocscan/u:p@results.db", "/var/lib/iocscan/u:p@results.db", undefined],
    ["postgres://scan@db/iocs?password=s3cret", "postgres://scan@db/iocs", "s3cret"],
    [
      "postgres://scan:old@db/iocs?sslmode=require&password=p%40ss#x",
      "postgres://scan@db/iocs?sslmode=require#x",
      "p@ss",
    ],
  ];
  for (const [url, stripped, password] of cases) {
    deepStrictEqual([withoutPassword(url), passwordInUrl(url)], [stripped, password], url);
  }
  deepStrictEqual([isPostgresUrl("postgresql://h/d"), isPostgresUrl("C:\\r.db")], [true, false]);
});
