import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { replayWal } from "./wal_replay.ts";

/** A WAL-mode database with rows only in its log: the files as a running browser leaves them. */
function walDatabase(): { main: Uint8Array; wal: Uint8Array; dir: string } {
  const dir = Deno.makeTempDirSync();
  const db = new DatabaseSync(`${dir}/w.db`);
  db.exec("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;");
  db.exec("CREATE TABLE t(a TEXT); INSERT INTO t VALUES ('one'), ('two');");
  db.exec("INSERT INTO t VALUES ('three')");
  const main = Deno.readFileSync(`${dir}/w.db`);
  const wal = Deno.readFileSync(`${dir}/w.db-wal`);
  db.close();
  return { main, wal, dir };
}

function rowsOf(bytes: Uint8Array): unknown[] {
  const db = new DatabaseSync(":memory:");
  try {
    db.deserialize(bytes);
    return db.prepare("SELECT a FROM t ORDER BY rowid").all().map((row) => row.a);
  } finally {
    db.close();
  }
}

Deno.test("replayWal: the committed rows of the log are read; without the log they are not", () => {
  const { main, wal, dir } = walDatabase();
  try {
    const replayed = replayWal(main, wal, 1 << 20);
    ok(replayed.frames > 0);
    deepStrictEqual(rowsOf(replayed.database), ["one", "two", "three"]);
    // Without the log the table itself was never checkpointed into the database file.
    throws(() => rowsOf(replayWal(main, undefined, 1 << 20).database), /no such table/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("replayWal: a frame whose checksum breaks ends the log at the last commit before it", () => {
  const { main, wal, dir } = walDatabase();
  try {
    const full = replayWal(main, wal, 1 << 20);
    const broken = wal.slice();
    // The last frame's page: its checksum no longer holds, so its commit is not applied.
    broken[broken.length - 10]! ^= 0xff;
    const cut = replayWal(main, broken, 1 << 20);
    ok(cut.frames < full.frames);
    deepStrictEqual(rowsOf(cut.database), ["one", "two"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("replayWal: a log that is not one, or whose commit exceeds the cap, is noted", () => {
  const { main, wal, dir } = walDatabase();
  try {
    strictEqual(replayWal(main, new Uint8Array(64), 1 << 20).note, "not a write-ahead log");
    const capped = replayWal(main, wal, 1024);
    ok(capped.note?.includes("larger than the cap"));
    strictEqual(capped.frames, 0);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("replayWal: damaged logs never throw and never grow past the cap", () => {
  const { main, wal, dir } = walDatabase();
  try {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0);
    for (let round = 0; round < 200; round++) {
      const damaged = wal.slice(0, next() % (wal.length + 1));
      for (let flips = next() % 8; flips > 0; flips--) {
        if (damaged.length > 0) damaged[next() % damaged.length]! ^= 1 << (next() % 8);
      }
      const replayed = replayWal(main, damaged, 1 << 16);
      ok(replayed.database.length <= Math.max(main.length, 1 << 16));
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
