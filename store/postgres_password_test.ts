import { deepStrictEqual, rejects } from "node:assert/strict";
import { join } from "node:path";
import { lookUpPassword, PASSWORD_ENV, PASSWORD_FILE_ENV } from "./postgres_password.ts";

const connection = { host: "db.example", port: 5432, database: "iocs", user: "scan" };

Deno.test("lookUpPassword() takes the given password, then IOCSCAN_DB_PASSWORD_FILE, then PGPASSWORD", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "pw");
    await Deno.writeTextFile(file, "from-file\nsecond line ignored\n");
    const env = (values: Record<string, string>) => (name: string) => values[name];
    const both = env({ [PASSWORD_FILE_ENV]: file, [PASSWORD_ENV]: "from-env" });
    deepStrictEqual(await lookUpPassword(connection, { given: "given", env: both }), "given");
    deepStrictEqual(await lookUpPassword(connection, { env: both }), "from-file");
    deepStrictEqual(
      await lookUpPassword(connection, { env: env({ [PASSWORD_ENV]: "from-env" }) }),
      "from-env",
    );
    await rejects(
      lookUpPassword(connection, { env: env({ [PASSWORD_FILE_ENV]: join(dir, "none") }) }),
      (error: Error) => error.message.includes(PASSWORD_FILE_ENV) && error.message.includes("none"),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lookUpPassword() falls back to the PGPASSFILE that node-postgres's pgpass reads", async () => {
  const dir = await Deno.makeTempDir();
  const saved = Deno.env.get("PGPASSFILE");
  try {
    const file = join(dir, "pgpass");
    await Deno.writeTextFile(file, "other:5432:*:*:wrong\ndb.example:5432:iocs:scan:from-pgpass\n");
    await Deno.chmod(file, 0o600);
    Deno.env.set("PGPASSFILE", file);
    deepStrictEqual(await lookUpPassword(connection, { env: () => undefined }), "from-pgpass");
    deepStrictEqual(
      await lookUpPassword({ ...connection, user: "nobody" }, { env: () => undefined }),
      undefined,
    );
  } finally {
    if (saved === undefined) Deno.env.delete("PGPASSFILE");
    else Deno.env.set("PGPASSFILE", saved);
    await Deno.remove(dir, { recursive: true });
  }
});
