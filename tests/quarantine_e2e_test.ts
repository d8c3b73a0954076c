/**
 * The quarantine response action end to end through the real CLI (docs/actions.md): a planted
 * tree where an IOC hits 3 of 10 files, `scan --action quarantine` quarantines exactly those,
 * stores and counts its action events, `quarantine list|show|restore|purge` work on the store
 * alone, `--what-if` changes nothing, `--max-actions` caps, offline evidence is never modified,
 * the results database and the store are never acted on, and a kill at a step boundary never
 * loses a file.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { type LooseEvent, runCli } from "./_cli.ts";
import { oneItemIoc } from "./_one_item_ioc.ts";

const linux = Deno.build.os === "linux";

/** Files of the planted tree: `evil-*` are the 3 the IOC names. */
const planted = [
  "evil-1.bin",
  "docs/evil-2.txt",
  "docs/deep/evil-3.dat",
  "a.txt",
  "b.txt",
  "docs/c.txt",
  "docs/d.md",
  "docs/deep/e.log",
  "f.bin",
  "g.cfg",
];

interface Fixture {
  readonly dir: string;
  readonly tree: string;
  readonly ioc: string;
  readonly db: string;
  readonly store: string;
}

async function fixture(): Promise<Fixture> {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-quarantine-e2e-" });
  const tree = join(dir, "tree");
  for (const [index, name] of planted.entries()) {
    const path = join(tree, name);
    await Deno.mkdir(join(path, ".."), { recursive: true });
    await Deno.writeTextFile(path, `content of ${name}\n`.repeat(index + 1));
    await Deno.chmod(path, 0o640 + (index % 2));
    await Deno.utime(path, new Date(2020, 0, index + 1), new Date(2021, 0, index + 1));
  }
  const ioc = join(dir, "evil.ioc");
  await Deno.writeTextFile(
    ioc,
    oneItemIoc("evil-names", "FileItem", "FileItem/FileName", "contains", "string", "evil-"),
  );
  return { dir, tree, ioc, db: join(dir, "results.db"), store: join(dir, "quarantine") };
}

async function sha256(path: string): Promise<string> {
  return createHash("sha256").update(await Deno.readFile(path)).digest("hex");
}

/** Every planted file that is still there: path → sha256. */
async function snapshot(tree: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const name of planted) {
    const path = join(tree, name);
    try {
      found.set(path, await sha256(path));
    } catch (error) {
      ok(error instanceof Deno.errors.NotFound, String(error));
    }
  }
  return found;
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

function scanArgs(f: Fixture, ...more: string[]): string[] {
  return [
    "scan",
    "--ioc",
    f.ioc,
    "--scope",
    f.tree,
    "--db",
    f.db,
    "--action",
    "quarantine",
    "--quarantine-dir",
    f.store,
    "--json",
    ...more,
  ];
}

const actions = (events: LooseEvent[]) => events.filter((event) => event.type === "action");

Deno.test({
  name:
    "scan --action quarantine quarantines exactly the detected files; results, list, show and restore bring each back identical",
  ignore: !linux,
  async fn() {
    const f = await fixture();
    try {
      const before = await snapshot(f.tree);
      const stats = new Map(
        await Promise.all(planted.map(async (name) => {
          const path = join(f.tree, name);
          return [path, await Deno.stat(path)] as const;
        })),
      );
      const scan = await runCli<LooseEvent>(scanArgs(f));
      strictEqual(scan.code, 1, scan.stderr);
      const events = actions(scan.events);
      const evil = planted.filter((name) => name.includes("evil-")).map((name) =>
        join(f.tree, name)
      );
      deepStrictEqual(events.map((event) => event.object).sort(), [...evil].sort());
      ok(events.every((event) => event.outcome === "quarantined" && event.action === "quarantine"));
      ok(events.every((event) => typeof event.entry === "string" && event.runId === 1));
      deepStrictEqual(
        events.map((event) => event.sha256).sort(),
        evil.map((p) => before.get(p)).sort(),
      );
      const summary = scan.events.at(-1);
      strictEqual(summary.type, "summary");
      deepStrictEqual(summary.actions, { quarantined: 3 });

      const after = await snapshot(f.tree);
      for (const [path, hash] of before) {
        if (evil.includes(path)) strictEqual(after.has(path), false, `${path} still there`);
        else strictEqual(after.get(path), hash, `${path} changed`);
      }

      const stored = await runCli<LooseEvent>(["results", "--db", f.db, "--run", "1", "--json"]);
      strictEqual(stored.code, 0, stored.stderr);
      deepStrictEqual(
        actions(stored.events).map(({ object, outcome, entry }) => ({ object, outcome, entry })),
        events.map(({ object, outcome, entry }) => ({ object, outcome, entry })),
      );
      deepStrictEqual(stored.events.at(-1).actions, { quarantined: 3 });
      const human = await runCli(["results", "--db", f.db, "--run", "1"]);
      ok(human.stdout.includes("Actions: 3 (quarantined 3)"), human.stdout);

      const list = await runCli<LooseEvent>([
        "quarantine",
        "list",
        "--quarantine-dir",
        f.store,
        "--json",
      ]);
      strictEqual(list.code, 0, list.stderr);
      const entries = list.events.filter((event) => event.type === "quarantine-entry");
      strictEqual(entries.length, 3);
      for (const entry of entries) {
        ok(evil.includes(entry.originalPath));
        strictEqual(entry.state, "quarantined");
        strictEqual(entry.sha256, before.get(entry.originalPath));
      }
      const show = await runCli(["quarantine", "show", entries[0].id, "--quarantine-dir", f.store]);
      strictEqual(show.code, 0, show.stderr);
      ok(show.stdout.includes(entries[0].originalPath), show.stdout);

      for (const entry of entries) {
        const restore = await runCli<LooseEvent>([
          "quarantine",
          "restore",
          entry.id,
          "--quarantine-dir",
          f.store,
          "--json",
        ]);
        strictEqual(restore.code, 0, restore.stderr);
        const [event] = actions(restore.events);
        strictEqual(event.outcome, "restored");
        strictEqual(event.entry, entry.id);
        const path = entry.originalPath as string;
        strictEqual(await sha256(path), before.get(path));
        const was = stats.get(path)!;
        const now = await Deno.stat(path);
        strictEqual(now.mode! & 0o7777, was.mode! & 0o7777, `${path} mode`);
        strictEqual(now.mtime?.getTime(), was.mtime?.getTime(), `${path} mtime`);
      }
      // A second restore over the file now in place is refused without --force.
      const again = await runCli<LooseEvent>([
        "quarantine",
        "restore",
        entries[0].id,
        "--quarantine-dir",
        f.store,
        "--json",
      ]);
      strictEqual(again.code, 2);
      strictEqual(actions(again.events)[0]?.outcome, "refused");
    } finally {
      await Deno.remove(f.dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "scan --action quarantine --what-if changes nothing: files in place, store folder not created",
  ignore: !linux,
  async fn() {
    const f = await fixture();
    try {
      const before = await snapshot(f.tree);
      const scan = await runCli<LooseEvent>(scanArgs(f, "--what-if"));
      strictEqual(scan.code, 1, scan.stderr);
      const events = actions(scan.events);
      strictEqual(events.length, 3);
      ok(events.every((event) => event.outcome === "what-if"), JSON.stringify(events));
      deepStrictEqual(await snapshot(f.tree), before);
      strictEqual(await exists(f.store), false);
      deepStrictEqual(scan.events.at(-1).actions, { "what-if": 3 });
    } finally {
      await Deno.remove(f.dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "scan --action quarantine --max-actions 2 quarantines 2 and refuses the third with max-actions",
  ignore: !linux,
  async fn() {
    const f = await fixture();
    try {
      const scan = await runCli<LooseEvent>(scanArgs(f, "--max-actions", "2"));
      strictEqual(scan.code, 1, scan.stderr);
      const outcomes = actions(scan.events).map((event) =>
        `${event.outcome}:${event.reason ?? ""}`
      );
      deepStrictEqual(outcomes.sort(), ["quarantined:", "quarantined:", "refused:max-actions"]);
      strictEqual((await snapshot(f.tree)).size, planted.length - 2);
    } finally {
      await Deno.remove(f.dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "scan --action with an unknown action is a usage error (exit 2) that changes nothing",
  async fn() {
    const f = await fixture();
    try {
      const scan = await runCli(scanArgs(f).map((arg) => arg === "quarantine" ? "nuke" : arg));
      strictEqual(scan.code, 2);
      ok(scan.stderr.includes("nuke"), scan.stderr);
      strictEqual((await snapshot(f.tree)).size, planted.length);
      strictEqual(await exists(f.db), false);
    } finally {
      await Deno.remove(f.dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "scan --action quarantine of offline evidence never modifies the evidence (refused: offline-evidence)",
  ignore: !linux,
  async fn() {
    const f = await fixture();
    try {
      const before = await snapshot(f.tree);
      const scan = await runCli<LooseEvent>([
        "scan",
        "--ioc",
        f.ioc,
        "--root",
        f.tree,
        "--db",
        f.db,
        "--action",
        "quarantine",
        "--quarantine-dir",
        f.store,
        "--json",
      ]);
      strictEqual(scan.code, 1, scan.stderr);
      const events = actions(scan.events);
      strictEqual(events.length, 3);
      ok(
        events.every((event) => event.outcome === "refused" && event.reason === "offline-evidence"),
        JSON.stringify(events),
      );
      deepStrictEqual(await snapshot(f.tree), before);
      strictEqual(await exists(f.store), false);
    } finally {
      await Deno.remove(f.dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "scan --action quarantine never acts on the results database or the quarantine store, even when an IOC names them",
  ignore: !linux,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "iocscan-quarantine-protected-" });
    try {
      const scope = join(dir, "scope");
      await Deno.mkdir(scope);
      const db = join(scope, "iocscan.db");
      const store = join(scope, "iocscan-quarantine");
      const ioc = join(dir, "names.ioc");
      await Deno.writeTextFile(
        ioc,
        oneItemIoc(
          "iocscan-names",
          "FileItem",
          "FileItem/FullPath",
          "contains",
          "string",
          "iocscan",
        ),
      );
      const run = (victim: string) => {
        return Deno.writeTextFile(join(scope, victim), `victim ${victim}\n`).then(() =>
          runCli<LooseEvent>([
            "scan",
            "--ioc",
            ioc,
            "--scope",
            scope,
            "--db",
            db,
            "--action",
            "quarantine",
            "--quarantine-dir",
            store,
            "--max-actions",
            "100",
            "--json",
          ])
        );
      };
      // The first run creates the database (in scope) and the store (in scope); the second
      // sees both while it scans.
      for (const victim of ["iocscan-victim-1.txt", "iocscan-victim-2.txt"]) {
        const scan = await run(victim);
        strictEqual(scan.code, 1, scan.stderr);
        const events = actions(scan.events);
        const quarantined = events.filter((event) => event.outcome === "quarantined");
        deepStrictEqual(quarantined.map((event) => event.object), [join(scope, victim)]);
        const refused = events.filter((event) => event.outcome !== "quarantined");
        // On the second run the database and the store's files were there before the scan
        // (the first run may list the folder before it creates the database): both refused.
        if (victim.endsWith("2.txt")) {
          ok(refused.some((event) => event.object === db), JSON.stringify(events));
          ok(refused.some((event) => event.object.startsWith(store)), JSON.stringify(events));
        }
        for (const event of refused) {
          strictEqual(event.outcome, "refused", JSON.stringify(event));
          ok(
            event.object.startsWith(store) || event.object.startsWith(db),
            JSON.stringify(event),
          );
        }
      }
      ok(await exists(db));
      const results = await runCli(["results", "--db", db, "--json"]);
      strictEqual(results.code, 0, results.stderr);
      const list = await runCli<LooseEvent>([
        "quarantine",
        "list",
        "--quarantine-dir",
        store,
        "--json",
      ]);
      strictEqual(list.code, 0, list.stderr);
      strictEqual(list.events.filter((event) => event.type === "quarantine-entry").length, 2);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "a scan killed after a quarantine step (IOCSCAN_TEST_ABORT_AFTER_STEP) never loses a file: quarantine list finishes or rolls back",
  ignore: !linux,
  async fn() {
    for (const step of [1, 2, 3, 4, 5, 6, 7]) {
      const f = await fixture();
      try {
        const before = await snapshot(f.tree);
        const scan = await runCli<LooseEvent>(scanArgs(f, "--max-actions", "1"), {
          env: { IOCSCAN_TEST_ABORT_AFTER_STEP: String(step) },
        });
        ok(![0, 1, 2].includes(scan.code), `step ${step}: it died (${scan.code})`);
        const list = await runCli<LooseEvent>([
          "quarantine",
          "list",
          "--quarantine-dir",
          f.store,
          "--json",
        ]);
        strictEqual(list.code, 0, `step ${step}: ${list.stderr}`);
        const entries = list.events.filter((event) => event.type === "quarantine-entry");
        const after = await snapshot(f.tree);
        for (const [path, hash] of before) {
          if (after.get(path) === hash) continue;
          strictEqual(after.has(path), false, `step ${step}: ${path} changed`);
          const entry = entries.find((candidate) => candidate.originalPath === path);
          ok(entry, `step ${step}: ${path} is gone with no entry`);
          strictEqual(entry.state, "quarantined", `step ${step}`);
          strictEqual(entry.sha256, hash);
          const restore = await runCli([
            "quarantine",
            "restore",
            entry.id,
            "--quarantine-dir",
            f.store,
          ]);
          strictEqual(restore.code, 0, `step ${step}: ${restore.stderr}`);
          strictEqual(await sha256(path), hash);
        }
      } finally {
        await Deno.remove(f.dir, { recursive: true });
      }
    }
  },
});

Deno.test({
  name:
    "scan --action quarantine applies retention after quarantining: an entry past 30 days is evicted (an action event), this run's copies never",
  ignore: !linux,
  async fn() {
    const f = await fixture();
    try {
      const { openQuarantineStore } = await import("../actions/quarantine/mod.ts");
      const old = join(f.dir, "old-sample.bin");
      await Deno.writeTextFile(old, "quarantined long ago\n");
      const store = await openQuarantineStore({
        dir: f.store,
        now: () => new Date(Date.now() - 40 * 86_400_000),
      });
      const outcome = await store.quarantine(
        { path: old, iocs: [{ id: "old", sha256: "0".repeat(64), name: "old" }], pids: [] },
        { maxFileBytes: 1 << 20, force: false, terminate: false, protectedPaths: [] },
      );
      await store.close();
      strictEqual(outcome.outcome, "quarantined", JSON.stringify(outcome));

      const scan = await runCli<LooseEvent>(scanArgs(f));
      strictEqual(scan.code, 1, scan.stderr);
      const events = actions(scan.events);
      const evicted = events.filter((event) => event.outcome === "evicted");
      deepStrictEqual(
        evicted.map(({ object, reason, entry }) => ({ object, reason, entry })),
        [{ object: old, reason: "retention-age", entry: outcome.entryId }],
      );
      strictEqual(events.filter((event) => event.outcome === "quarantined").length, 3);
      deepStrictEqual(scan.events.at(-1).actions, { quarantined: 3, evicted: 1 });
      const list = await runCli<LooseEvent>([
        "quarantine",
        "list",
        "--quarantine-dir",
        f.store,
        "--json",
      ]);
      const states = list.events.filter((event) => event.type === "quarantine-entry").map((
        event,
      ) => event.state).sort();
      deepStrictEqual(states, ["purged", "quarantined", "quarantined", "quarantined"]);
    } finally {
      await Deno.remove(f.dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "quarantine purge --id and --older-than emit purged action events; show of an unknown id exits 2",
  ignore: !linux,
  async fn() {
    const f = await fixture();
    try {
      strictEqual((await runCli(scanArgs(f))).code, 1);
      const list = await runCli<LooseEvent>([
        "quarantine",
        "list",
        "--quarantine-dir",
        f.store,
        "--json",
      ]);
      const [first] = list.events.filter((event) => event.type === "quarantine-entry");
      const purge = await runCli<LooseEvent>([
        "quarantine",
        "purge",
        "--id",
        first.id,
        "--quarantine-dir",
        f.store,
        "--json",
      ]);
      strictEqual(purge.code, 0, purge.stderr);
      deepStrictEqual(
        actions(purge.events).map(({ outcome, entry }) => ({ outcome, entry })),
        [{ outcome: "purged", entry: first.id }],
      );
      const none = await runCli(["quarantine", "purge", "--quarantine-dir", f.store]);
      strictEqual(none.code, 2, "purge needs --id, --older-than or --max-bytes");
      const unknown = await runCli([
        "quarantine",
        "show",
        "20200101T000000Z-00000000",
        "--quarantine-dir",
        f.store,
      ]);
      strictEqual(unknown.code, 2);
      const traversal = await runCli([
        "quarantine",
        "restore",
        "../x",
        "--quarantine-dir",
        f.store,
      ]);
      strictEqual(traversal.code, 2);
      ok(traversal.stderr.includes("entry id"), traversal.stderr);
      const missing = await runCli<LooseEvent>([
        "quarantine",
        "list",
        "--quarantine-dir",
        join(f.dir, "none"),
        "--json",
      ]);
      strictEqual(missing.code, 0);
      strictEqual(await exists(join(f.dir, "none")), false, "list never creates a store");
    } finally {
      await Deno.remove(f.dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "scan --task with an unknown action exits 2 naming actions[i]; a task file's actions run like --action",
  ignore: !linux,
  async fn() {
    const f = await fixture();
    try {
      const bad = join(f.dir, "bad.json");
      await Deno.writeTextFile(
        bad,
        JSON.stringify({ version: 1, iocPaths: [f.ioc], actions: ["quarantine", "nuke"] }),
      );
      const refused = await runCli(["scan", "--task", bad, "--db", f.db]);
      strictEqual(refused.code, 2);
      ok(refused.stderr.includes("actions[1]"), refused.stderr);
      const task = join(f.dir, "task.json");
      await Deno.writeTextFile(
        task,
        JSON.stringify({
          version: 1,
          iocPaths: [f.ioc],
          scopes: [f.tree],
          databasePath: f.db,
          actions: ["quarantine"],
          quarantineDir: f.store,
          maxActions: 1,
        }),
      );
      const scan = await runCli<LooseEvent>(["scan", "--task", task, "--json"]);
      strictEqual(scan.code, 1, scan.stderr);
      deepStrictEqual(scan.events.at(-1).actions, { quarantined: 1, refused: 2 });
    } finally {
      await Deno.remove(f.dir, { recursive: true });
    }
  },
});
