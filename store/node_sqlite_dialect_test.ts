import { deepStrictEqual, ok, rejects, strictEqual, throws } from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { type Generated, Kysely, sql } from "kysely";
import { NodeSqliteDialect } from "./node_sqlite_dialect.ts";
import { toSqliteValue } from "./node_sqlite_connection.ts";

interface TestDatabase {
  item: {
    id: Generated<number>;
    name: string;
    flag: number;
    at: string | null;
    big: number | bigint | null;
    bytes: Uint8Array | null;
  };
}

async function openTestDatabase(): Promise<Kysely<TestDatabase>> {
  const db = new Kysely<TestDatabase>({
    dialect: new NodeSqliteDialect({ database: new DatabaseSync(":memory:") }),
  });
  await db.schema.createTable("item")
    .addColumn("id", "integer", (column) => column.primaryKey().autoIncrement())
    .addColumn("name", "text", (column) => column.notNull().unique())
    .addColumn("flag", "integer", (column) => column.notNull().defaultTo(0))
    .addColumn("at", "text")
    .addColumn("big", "integer")
    .addColumn("bytes", "blob")
    .execute();
  return db;
}

Deno.test("toSqliteValue() maps booleans, Dates, undefined and byte views", () => {
  strictEqual(toSqliteValue(true), 1);
  strictEqual(toSqliteValue(false), 0);
  strictEqual(toSqliteValue(undefined), null);
  strictEqual(toSqliteValue(new Date("2026-01-02T03:04:05Z")), "2026-01-02T03:04:05.000Z");
  strictEqual(toSqliteValue(7n), 7n);
  deepStrictEqual(toSqliteValue(new Uint16Array([0x0201])), new Uint8Array([1, 2]));
  throws(() => toSqliteValue({ a: 1 }), /cannot bind a value of type Object/);
});

Deno.test("NodeSqliteDialect binds booleans, Dates, bigints and bytes that node:sqlite rejects", async () => {
  const db = await openTestDatabase();
  try {
    // node:sqlite itself refuses a boolean: this is why the connection maps values.
    const raw = new DatabaseSync(":memory:");
    throws(() => raw.prepare("select ?").all(true as unknown as number));
    raw.close();

    const at = new Date("2026-11-28T00:00:00Z");
    await db.insertInto("item")
      .values({
        name: "a",
        flag: true as unknown as number,
        at: at as unknown as string,
        big: 2n ** 40n,
        bytes: new Uint8Array([0, 1, 255]),
      })
      .execute();
    const row = await db.selectFrom("item").selectAll().where("flag", "=", 1)
      .executeTakeFirstOrThrow();
    deepStrictEqual(row, {
      id: 1,
      name: "a",
      flag: 1,
      at: "2026-11-28T00:00:00.000Z",
      big: 2 ** 40,
      bytes: new Uint8Array([0, 1, 255]),
    });
    strictEqual(Object.getPrototypeOf(row), Object.prototype);
    const byDate = await db.selectFrom("item").select("name").where(
      "at",
      "=",
      at as unknown as string,
    )
      .execute();
    deepStrictEqual(byDate, [{ name: "a" }]);
  } finally {
    await db.destroy();
  }
});

Deno.test("NodeSqliteDialect returns insertId, numAffectedRows and RETURNING rows", async () => {
  const db = await openTestDatabase();
  try {
    const inserted = await db.insertInto("item").values({ name: "a", flag: 0 }).executeTakeFirst();
    strictEqual(inserted.insertId, 1n);
    strictEqual(inserted.numInsertedOrUpdatedRows, 1n);
    const returned = await db.insertInto("item").values([{ name: "b", flag: 0 }, {
      name: "c",
      flag: 0,
    }])
      .returning(["id", "name"]).execute();
    deepStrictEqual(returned, [{ id: 2, name: "b" }, { id: 3, name: "c" }]);
    const updated = await db.updateTable("item").set({ flag: 1 }).where("id", ">", 1)
      .executeTakeFirst();
    strictEqual(updated.numUpdatedRows, 2n);
    const deleted = await db.deleteFrom("item").where("name", "=", "c").returning("name").execute();
    deepStrictEqual(deleted, [{ name: "c" }]);
    const upserted = await db.insertInto("item").values({ name: "a", flag: 5 })
      .onConflict((conflict) => conflict.column("name").doUpdateSet({ flag: 5 }))
      .returning(["id", "flag"]).executeTakeFirstOrThrow();
    deepStrictEqual(upserted, { id: 1, flag: 5 });
  } finally {
    await db.destroy();
  }
});

Deno.test("NodeSqliteDialect commits and rolls back transactions", async () => {
  const db = await openTestDatabase();
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto("item").values({ name: "kept", flag: 0 }).execute();
    });
    await rejects(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("item").values({ name: "lost", flag: 0 }).execute();
        throw new Error("abort");
      }),
      /abort/,
    );
    await rejects(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("item").values({ name: "lost too", flag: 0 }).execute();
        await trx.insertInto("item").values({ name: "kept", flag: 0 }).execute(); // unique violation
      }),
      /UNIQUE constraint failed: item\.name \(SQL: insert into "item"/,
    );
    deepStrictEqual(await db.selectFrom("item").select("name").execute(), [{ name: "kept" }]);
    // The connection is usable again after a rollback.
    await db.insertInto("item").values({ name: "after", flag: 0 }).execute();
    strictEqual((await db.selectFrom("item").selectAll().execute()).length, 2);
  } finally {
    await db.destroy();
  }
});

Deno.test("NodeSqliteDialect supports savepoints inside a transaction", async () => {
  const db = await openTestDatabase();
  try {
    const trx = await db.startTransaction().execute();
    await trx.insertInto("item").values({ name: "outer", flag: 0 }).execute();
    const inner = await trx.savepoint("inner").execute();
    await inner.insertInto("item").values({ name: "undone", flag: 0 }).execute();
    const afterRollback = await inner.rollbackToSavepoint("inner").execute();
    const second = await afterRollback.savepoint("second").execute();
    await second.insertInto("item").values({ name: "released", flag: 0 }).execute();
    await (await second.releaseSavepoint("second").execute()).commit().execute();
    deepStrictEqual(
      await db.selectFrom("item").select("name").orderBy("id").execute(),
      [{ name: "outer" }, { name: "released" }],
    );
  } finally {
    await db.destroy();
  }
});

Deno.test("NodeSqliteDialect streams rows with iterate, in chunks", async () => {
  const db = await openTestDatabase();
  try {
    await db.insertInto("item")
      .values(Array.from({ length: 25 }, (_, index) => ({ name: `n${index}`, flag: index })))
      .execute();
    const seen: number[] = [];
    for await (const row of db.selectFrom("item").select("flag").orderBy("id").stream(10)) {
      seen.push(row.flag);
    }
    deepStrictEqual(seen, Array.from({ length: 25 }, (_, index) => index));
    // Leaving a stream early releases the connection.
    for await (const _row of db.selectFrom("item").select("flag").stream()) break;
    strictEqual((await db.selectFrom("item").select("id").execute()).length, 25);
  } finally {
    await db.destroy();
  }
});

Deno.test("NodeSqliteDialect serialises concurrent transactions on its one connection", async () => {
  const db = await openTestDatabase();
  try {
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        db.transaction().execute(async (trx) => {
          await trx.insertInto("item").values({ name: `t${index}`, flag: 0 }).execute();
          await new Promise((resolve) => setTimeout(resolve, 1));
          await trx.updateTable("item").set({ flag: index }).where("name", "=", `t${index}`)
            .execute();
        })),
    );
    const rows = await db.selectFrom("item").select(["name", "flag"]).execute();
    strictEqual(rows.length, 20);
    ok(rows.every((row) => row.name === `t${row.flag}`));
  } finally {
    await db.destroy();
  }
});

Deno.test("NodeSqliteDialect introspects tables and runs raw SQL and pragmas", async () => {
  const db = await openTestDatabase();
  try {
    const tables = await db.introspection.getTables();
    deepStrictEqual(tables.map((table) => table.name), ["item"]);
    deepStrictEqual(
      tables[0]?.columns.map((column) => column.name),
      ["id", "name", "flag", "at", "big", "bytes"],
    );
    const { rows } = await sql<{ answer: number }>`select ${41} + 1 as answer`.execute(db);
    deepStrictEqual(rows, [{ answer: 42 }]);
    const pragma = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
    strictEqual(pragma.rows.length, 1);
  } finally {
    await db.destroy();
  }
});

Deno.test("NodeSqliteDialect opens the database lazily through a function and closes it", async () => {
  let handle: DatabaseSync | undefined;
  const db = new Kysely<TestDatabase>({
    dialect: new NodeSqliteDialect({
      database: () => (handle = new DatabaseSync(":memory:")),
      onCreateConnection: async (connection) => {
        await connection.executeQuery(sql`pragma foreign_keys = on`.compile(db));
      },
    }),
  });
  strictEqual(handle, undefined);
  const opened = () => handle as DatabaseSync | undefined;
  const { rows } = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
  deepStrictEqual(rows, [{ foreign_keys: 1 }]);
  ok(opened()?.isOpen);
  await db.destroy();
  strictEqual(opened()?.isOpen, false);
});

Deno.test("NodeSqliteDialect: a transaction that fills the database fails with SQLITE_FULL, not with the ROLLBACK SQLite already did", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-full-" });
  const database = new DatabaseSync(`${dir}/full.db`);
  const db = new Kysely<TestDatabase>({ dialect: new NodeSqliteDialect({ database }) });
  try {
    await db.schema.createTable("item")
      .addColumn("id", "integer", (column) => column.primaryKey().autoIncrement())
      .addColumn("name", "text", (column) => column.notNull())
      .addColumn("flag", "integer", (column) => column.notNull().defaultTo(0))
      .addColumn("at", "text")
      .addColumn("big", "integer")
      .addColumn("bytes", "blob")
      .execute();
    // A database held to 16 pages fills up as a small disk would: SQLite answers SQLITE_FULL
    // and rolls the whole transaction back itself.
    await sql`pragma max_page_count = 16`.execute(db);
    await rejects(
      db.transaction().execute(async (trx) => {
        for (let index = 0; index < 64; index++) {
          await trx.insertInto("item")
            .values({ name: `n${index}`, flag: 0, bytes: new Uint8Array(4096) })
            .execute();
        }
      }),
      (error: Error) => {
        ok(/database or disk is full/.test(error.message), error.message);
        ok(!/cannot rollback/.test(error.message), error.message);
        return true;
      },
    );
    // The connection is usable afterwards: nothing of the failed transaction is there.
    const { count } = await db.selectFrom("item").select((eb) => eb.fn.countAll().as("count"))
      .executeTakeFirstOrThrow();
    strictEqual(Number(count), 0);
    await db.insertInto("item").values({ name: "small", flag: 0 }).execute();
  } finally {
    await db.destroy();
    await Deno.remove(dir, { recursive: true });
  }
});
