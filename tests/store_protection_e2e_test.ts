/**
 * The store's protection through the real CLI: new stores readable by their
 * owner only, stores other users could have shaped refused, and reading
 * commands that change nothing (a foreign SQLite file stays byte for byte the
 * same; a store on a read-only mount is readable; an older schema is read as
 * it is).
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Kysely } from "kysely";
import { Migrator } from "kysely/migration";
import { runCli } from "./_cli.ts";
import { repositoryRoot } from "./corpus.ts";
import { NodeSqliteDialect } from "../store/node_sqlite_dialect.ts";
import { storeMigrationProvider } from "../store/migrations.ts";
import { openStore } from "../store/mod.ts";

const posix = Deno.build.os !== "windows";
const isRoot = posix && Deno.uid() === 0;
const NOBODY = 65534;

async function iocscan(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await runCli(args, { cwd: repositoryRoot });
  return { code: output.code, stdout: output.stdout, stderr: output.stderr };
}

/** An IOC folder and a small tree to scan. */
function scanInputs(root: string): { iocs: string; tree: string } {
  const iocs = join(root, "iocs");
  const tree = join(root, "tree");
  mkdirSync(iocs);
  mkdirSync(tree);
  writeFileSync(join(tree, "a.txt"), "hello");
  writeFileSync(
    join(iocs, "x.ioc"),
    `<?xml version="1.0"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="x-1">
  <short_description>Name</short_description>
  <definition><Indicator operator="OR" id="i-1">
    <IndicatorItem id="ii-1" condition="is"><Context document="FileItem" search="FileItem/FileName" type="mir"/><Content type="string">nothing-here.bin</Content></IndicatorItem>
  </Indicator></definition>
</ioc>`,
  );
  return { iocs, tree };
}

function modeOf(path: string): number {
  return statSync(path).mode & 0o7777;
}

async function withTempDir(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "iocscan-storesec-" });
  try {
    await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test({
  name: "iocscan scan creates its store folder 0700 and the database 0600; nobody cannot read it",
  ignore: !posix,
  fn: () =>
    withTempDir(async (root) => {
      const { iocs, tree } = scanInputs(root);
      const db = join(root, "store", "sub", "results.db");
      const scan = await iocscan(["scan", "--ioc", iocs, "--scope", tree, "--db", db, "--json"]);
      strictEqual(scan.code, 0, scan.stderr);
      strictEqual(modeOf(join(root, "store")), 0o700);
      strictEqual(modeOf(join(root, "store", "sub")), 0o700);
      strictEqual(modeOf(db), 0o600);
      if (!isRoot) return;
      // Open the way to the file for others, as /var/lib is: only the file's own bits remain.
      chmodSync(root, 0o755);
      chmodSync(join(root, "store"), 0o755);
      chmodSync(join(root, "store", "sub"), 0o755);
      const attempt = await new Deno.Command("su", {
        args: ["nobody", "-s", "/bin/sh", "-c", `cat '${db}' > /dev/null`],
        stdout: "piped",
        stderr: "piped",
      }).output();
      ok(attempt.code !== 0, "nobody read the database");
      match(new TextDecoder().decode(attempt.stderr), /Permission denied/);
    }),
});

Deno.test({
  name: "iocscan scan and results purge refuse a store folder other users can write (exit 2)",
  ignore: !posix,
  fn: () =>
    withTempDir(async (root) => {
      const { iocs, tree } = scanInputs(root);
      const shared = join(root, "shared");
      mkdirSync(shared);
      chmodSync(shared, 0o777);
      const db = join(shared, "results.db");
      const scan = await iocscan(["scan", "--ioc", iocs, "--scope", tree, "--db", db]);
      strictEqual(scan.code, 2);
      match(scan.stderr, /writable by other users \(mode 0777\)/);
      const purge = await iocscan(["results", "purge", "--db", db]);
      strictEqual(purge.code, 2);
      if (!isRoot) return;
      // A -wal planted by another user before the first scan.
      const own = join(root, "own");
      mkdirSync(own, { mode: 0o700 });
      const planted = join(own, "results.db");
      writeFileSync(`${planted}-wal`, "");
      chownSync(`${planted}-wal`, NOBODY, NOBODY);
      const squatted = await iocscan(["scan", "--ioc", iocs, "--scope", tree, "--db", planted]);
      strictEqual(squatted.code, 2);
      match(squatted.stderr, /results\.db-wal belongs to another user/);
    }),
});

/** A browser-history-like SQLite file: WAL mode, its own tables. */
function foreignDatabase(path: string): void {
  const database = new DatabaseSync(path);
  database.exec(`PRAGMA journal_mode = WAL;
    CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT, title TEXT);
    INSERT INTO moz_places (url, title) VALUES ('https://example.org/', 'Example');
    PRAGMA wal_checkpoint(TRUNCATE);`);
  database.close();
}

Deno.test("iocscan results leaves a foreign SQLite file byte for byte as it was", () =>
  withTempDir(async (root) => {
    const places = join(root, "places.sqlite");
    foreignDatabase(places);
    const before = readFileSync(places);
    for (const args of [["results", "--db", places], ["results", "--db", places, "--run", "1"]]) {
      const run = await iocscan(args);
      strictEqual(run.code, 2, run.stderr);
      match(run.stderr, /not an iocscan store/);
    }
    deepStrictEqual(readFileSync(places), before);
    const database = new DatabaseSync(places, { readOnly: true });
    const tables = database.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all();
    database.close();
    deepStrictEqual(tables.map((row) => row.name), ["moz_places"]);
  }));

Deno.test("iocscan results reads an older schema without migrating it, and refuses a newer one", () =>
  withTempDir(async (root) => {
    const location = join(root, "old.db");
    const db = new Kysely<never>({
      dialect: new NodeSqliteDialect({ database: new DatabaseSync(location) }),
    });
    const migrator = new Migrator({
      db,
      provider: storeMigrationProvider("sqlite"),
      migrationTableName: "iocscan_migration",
      migrationLockTableName: "iocscan_migration_lock",
    });
    const { error } = await migrator.migrateTo("0001_initial_schema");
    ok(error === undefined, String(error));
    await db.destroy();
    const before = readFileSync(location);
    const listed = await iocscan(["results", "--db", location, "--json"]);
    strictEqual(listed.code, 0, listed.stderr);
    deepStrictEqual(readFileSync(location), before);

    const newer = new DatabaseSync(location);
    newer.exec(
      "INSERT INTO iocscan_migration (name, timestamp) VALUES ('9999_future', '2030-01-01')",
    );
    newer.close();
    const refused = await iocscan(["results", "--db", location]);
    strictEqual(refused.code, 2);
    match(refused.stderr, /newer than this iocscan reads \(9999_future\)/);
  }));

/** Bind-mounts `source` read-only at `target`; false when this machine does not allow it. */
async function readOnlyMount(source: string, target: string): Promise<boolean> {
  const run = (args: string[]) =>
    new Deno.Command("mount", { args, stdout: "null", stderr: "null" }).output();
  if (!(await run(["--bind", source, target])).success) return false;
  if ((await run(["-o", "remount,bind,ro", target])).success) return true;
  await new Deno.Command("umount", { args: [target] }).output();
  return false;
}

Deno.test({
  name: "iocscan results reads a store on a read-only mount",
  ignore: !isRoot,
  fn: () =>
    withTempDir(async (root) => {
      const source = join(root, "source");
      const mounted = join(root, "mounted");
      mkdirSync(source, { mode: 0o700 });
      mkdirSync(mounted);
      const store = await openStore(join(source, "results.db"));
      const runId = await store.startRun({ taskName: "nightly", iocFiles: [] });
      await store.finishRun(runId, { status: "completed", counts: { detections: 0 } });
      await store.close();
      if (!(await readOnlyMount(source, mounted))) {
        console.error("\n*** SKIPPING the read-only mount case: mount --bind is not allowed ***\n");
        return;
      }
      try {
        const listed = await iocscan(["results", "--db", join(mounted, "results.db")]);
        strictEqual(listed.code, 0, listed.stderr);
        match(listed.stdout, /nightly/);
        const shown = await iocscan(["results", "--db", join(mounted, "results.db"), "--run", "1"]);
        strictEqual(shown.code, 0, shown.stderr);
      } finally {
        await new Deno.Command("umount", { args: [mounted] }).output();
      }

      // A copy taken while a writer held runs in its -wal (and no -shm): reading it `immutable`
      // would miss them, so it is an error, not a shorter list.
      const writer = await openStore(join(source, "results.db"));
      try {
        const late = await writer.startRun({ taskName: "late", iocFiles: [] });
        await writer.finishRun(late, { status: "completed", counts: {} });
        const copy = join(root, "copy");
        mkdirSync(copy, { mode: 0o700 });
        writeFileSync(join(copy, "results.db"), readFileSync(join(source, "results.db")));
        writeFileSync(join(copy, "results.db-wal"), readFileSync(join(source, "results.db-wal")));
        ok(statSync(join(copy, "results.db-wal")).size > 0);
        if (!(await readOnlyMount(copy, mounted))) throw new Error("mount --bind failed");
      } finally {
        await writer.close();
      }
      try {
        const refused = await iocscan(["results", "--db", join(mounted, "results.db")]);
        strictEqual(refused.code, 2, refused.stdout);
        match(refused.stderr, /write-ahead log .* cannot be read/);
      } finally {
        await new Deno.Command("umount", { args: [mounted] }).output();
      }
    }),
});

Deno.test({
  name:
    "iocscan scan refuses a /tmp-like sticky folder and symbolic links at the store's names, and changes no file they lead to",
  ignore: !isRoot,
  fn: () =>
    withTempDir(async (root) => {
      const { iocs, tree } = scanInputs(root);
      // A root-owned file another user would like changed (as /etc/passwd).
      const victim = join(root, "victim");
      writeFileSync(victim, "precious\n", { mode: 0o644 });
      chmodSync(victim, 0o644);
      const sticky = join(root, "tmp");
      mkdirSync(sticky);
      chmodSync(sticky, 0o1777);
      // Another user may create names in a sticky folder: here, before the first scan.
      const squatted = join(sticky, "results.db");
      await Deno.symlink(victim, `${squatted}-shm`);
      await Deno.symlink(join(root, "created-by-root"), join(sticky, "other.db"));
      for (const db of [squatted, join(sticky, "other.db"), join(sticky, "fresh.db")]) {
        const scan = await iocscan(["scan", "--ioc", iocs, "--scope", tree, "--db", db]);
        strictEqual(scan.code, 2, `${db}: ${scan.stdout}${scan.stderr}`);
        match(scan.stderr, /cannot open the results database/);
      }
      strictEqual(modeOf(victim), 0o644);
      strictEqual(readFileSync(victim, "utf8"), "precious\n");
      ok(!existsSync(join(root, "created-by-root")), "a file was created through a link");

      // In a folder only root can write, a link at a companion's name is still not followed.
      const own = join(root, "own");
      mkdirSync(own, { mode: 0o700 });
      await Deno.symlink(victim, join(own, "results.db-wal"));
      const linked = await iocscan([
        "scan",
        "--ioc",
        iocs,
        "--scope",
        tree,
        "--db",
        join(own, "results.db"),
      ]);
      strictEqual(linked.code, 2, linked.stderr);
      match(linked.stderr, /results\.db-wal is a symbolic link/);
      strictEqual(modeOf(victim), 0o644);
      // Reading commands do not follow one either (SQLite opens -shm for writing even read-only).
      await Deno.remove(join(own, "results.db-wal"));
      const made = await iocscan([
        "scan",
        "--ioc",
        iocs,
        "--scope",
        tree,
        "--db",
        join(own, "results.db"),
      ]);
      strictEqual(made.code, 0, made.stderr);
      await Deno.symlink(victim, join(own, "results.db-shm"));
      const read = await iocscan(["results", "--db", join(own, "results.db")]);
      strictEqual(read.code, 2, read.stdout);
      match(read.stderr, /results\.db-shm is a symbolic link/);
      strictEqual(modeOf(victim), 0o644);
      strictEqual(readFileSync(victim, "utf8"), "precious\n");
    }),
});
