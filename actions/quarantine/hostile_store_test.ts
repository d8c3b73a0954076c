import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { QuarantinePlatform } from "./contract.ts";
import { JOURNAL_FILE } from "./journal.ts";
import { linuxQuarantinePlatform } from "./linux_platform.ts";
import { openQuarantineStore } from "./quarantine_store.ts";
import { ENTRIES_FOLDER, OBJECTS_FOLDER } from "./store_folder.ts";
import {
  fileSha256,
  seededBytes,
  sha256,
  target,
  tempTree,
  testPolicy,
} from "./_quarantine_fixtures.ts";

const FORGED_ID = "20261207T000000Z-0000beef";

async function appendJournal(dir: string, records: readonly Record<string, unknown>[]) {
  const lines = records.map((record) => JSON.stringify(record) + "\n").join("");
  await Deno.writeTextFile(join(dir, JOURNAL_FILE), lines, { append: true });
}

Deno.test("hostile store: a journal line naming a temporary file outside its restore's folder deletes nothing", async () => {
  const { root, cleanup } = await tempTree("iocscan-qhostile-");
  try {
    const dir = join(root, "store");
    await (await openQuarantineStore({ dir })).close();
    const victim = join(root, "victim.conf");
    await Deno.writeTextFile(victim, "keep me");
    await appendJournal(dir, [{
      id: FORGED_ID,
      op: "restoring",
      at: "2026-12-07T00:00:00.000Z",
      temporary: victim,
      to: join(root, "elsewhere", "x"),
    }]);
    await (await openQuarantineStore({ dir })).close();
    strictEqual(await Deno.readTextFile(victim), "keep me");
  } finally {
    await cleanup();
  }
});

Deno.test("hostile store: a journal line whose id is a path removes nothing outside the store", async () => {
  const { root, cleanup } = await tempTree("iocscan-qhostile-");
  try {
    const dir = join(root, "store");
    await (await openQuarantineStore({ dir })).close();
    const victim = join(root, "victim.json");
    await Deno.writeTextFile(victim, "keep me");
    await appendJournal(dir, [{
      id: "../../victim",
      op: "copied",
      at: "2026-12-07T00:00:00.000Z",
    }]);
    const store = await openQuarantineStore({ dir });
    strictEqual(await Deno.readTextFile(victim), "keep me");
    ok(store.journalHealth.unreadableLines.length === 1, "the forged line is reported");
    await store.close();
  } finally {
    await cleanup();
  }
});

Deno.test("hostile store: a record naming a copy outside the store is not restored from it", async () => {
  const { root, cleanup } = await tempTree("iocscan-qhostile-");
  try {
    const dir = join(root, "store");
    const file = join(root, "a.bin");
    const bytes = seededBytes(7, 5000);
    await Deno.writeFile(file, bytes);
    const store = await openQuarantineStore({ dir });
    const outcome = await store.quarantine(target(file), testPolicy());
    strictEqual(outcome.outcome, "quarantined", outcome.detail);
    const id = outcome.entryId!;
    // The copy moved out of the store, the record pointed at it.
    await Deno.rename(join(dir, OBJECTS_FOLDER, `${id}.bin`), join(root, "outside.bin"));
    const recordFile = join(dir, ENTRIES_FOLDER, `${id}.json`);
    const record = JSON.parse(await Deno.readTextFile(recordFile));
    record.object = "../../outside.bin";
    await Deno.writeTextFile(recordFile, JSON.stringify(record));
    const restored = await store.restore(id, {}).catch((error: Error) => ({
      outcome: "thrown",
      detail: error.message,
    }));
    ok(restored.outcome !== "restored", `restored from outside the store: ${restored.detail}`);
    strictEqual(await fileSha256(file), undefined, "nothing written at the target");
    await store.close();
    ok(sha256(bytes));
  } finally {
    await cleanup();
  }
});

Deno.test("hostile store: a record that is a link, or huge, is refused without reading it whole", async () => {
  const { root, cleanup } = await tempTree("iocscan-qhostile-");
  try {
    const dir = join(root, "store");
    const store = await openQuarantineStore({ dir });
    const outside = join(root, "outside.json");
    await Deno.writeTextFile(
      outside,
      JSON.stringify({
        format: 1,
        entry: { id: FORGED_ID },
        identity: {},
        object: "",
        streams: [],
      }),
    );
    await Deno.symlink(outside, join(dir, ENTRIES_FOLDER, `${FORGED_ID}.json`));
    await rejects(() => store.show(FORGED_ID), /not a regular file/);
    await Deno.remove(join(dir, ENTRIES_FOLDER, `${FORGED_ID}.json`));
    const huge = await Deno.open(join(dir, ENTRIES_FOLDER, `${FORGED_ID}.json`), {
      write: true,
      createNew: true,
      mode: 0o600,
    });
    await huge.truncate(1024 * 1024 * 1024);
    huge.close();
    await rejects(() => store.show(FORGED_ID), /bytes/);
    await store.close();
  } finally {
    await cleanup();
  }
});

Deno.test("hostile store: a hard link to a protected file is refused as protected, the file untouched", async () => {
  const { root, cleanup } = await tempTree("iocscan-qhostile-");
  try {
    const database = join(root, "results.sqlite");
    await Deno.writeTextFile(database, "the results");
    const scanned = join(root, "scanned");
    await Deno.mkdir(scanned);
    const link = join(scanned, "innocent.bin");
    await Deno.link(database, link);
    const store = await openQuarantineStore({ dir: join(root, "store") });
    const outcome = await store.quarantine(
      target(link),
      testPolicy({ protectedPaths: [database] }),
    );
    strictEqual(outcome.outcome, "refused", outcome.detail);
    strictEqual(outcome.reason, "protected", outcome.detail);
    strictEqual(await Deno.readTextFile(link), "the results");
    await store.close();
  } finally {
    await cleanup();
  }
});

/** Whether this process may bind-mount (root in a namespace that allows it). */
async function canMount(): Promise<boolean> {
  if (Deno.build.os !== "linux" || Deno.uid() !== 0) return false;
  const probe = await Deno.makeTempDir({ prefix: "iocscan-qmount-" });
  try {
    const { success } = await new Deno.Command("mount", {
      args: ["--bind", probe, probe],
      stdout: "null",
      stderr: "null",
    }).output();
    if (success) await new Deno.Command("umount", { args: [probe] }).output();
    return success;
  } catch {
    return false;
  } finally {
    await Deno.remove(probe).catch(() => {});
  }
}

const mountable = await canMount();
if (!mountable) {
  console.warn("hostile_store_test: bind mounts not available; the bind-mount test is skipped");
}

Deno.test({
  name: "hostile store: the store reached through a bind mount is refused as protected",
  ignore: !mountable,
  fn: async () => {
    const { root, cleanup } = await tempTree("iocscan-qhostile-");
    const mounted = join(root, "scanned", "mnt");
    let bound = false;
    try {
      const dir = join(root, "store");
      const file = join(root, "a.bin");
      await Deno.writeFile(file, seededBytes(9, 100));
      const store = await openQuarantineStore({ dir });
      const first = await store.quarantine(target(file), testPolicy());
      strictEqual(first.outcome, "quarantined", first.detail);
      await Deno.mkdir(mounted, { recursive: true });
      bound =
        (await new Deno.Command("mount", { args: ["--bind", dir, mounted] }).output()).success;
      ok(bound, "bind mount");
      const copy = join(mounted, OBJECTS_FOLDER, `${first.entryId}.bin`);
      const outcome = await store.quarantine(target(copy), testPolicy());
      strictEqual(outcome.reason, "protected", outcome.detail);
      ok((await Deno.lstat(join(dir, OBJECTS_FOLDER, `${first.entryId}.bin`))).isFile);
      await store.close();
    } finally {
      if (bound) await new Deno.Command("umount", { args: [mounted] }).output();
      await cleanup();
    }
  },
});

Deno.test({
  name: "hostile store: a restore through a folder another user swapped for a link is refused",
  ignore: Deno.build.os !== "linux" || Deno.uid() !== 0,
  fn: async () => {
    const { root, cleanup } = await tempTree("iocscan-qhostile-");
    try {
      const home = join(root, "home");
      const system = join(root, "etc");
      await Deno.mkdir(join(home, "evil"), { recursive: true });
      await Deno.mkdir(system);
      await new Deno.Command("chown", { args: ["-R", "nobody", home] }).output();
      const file = join(home, "evil", "payload");
      await Deno.writeFile(file, seededBytes(11, 300));
      const store = await openQuarantineStore({ dir: join(root, "store") });
      const outcome = await store.quarantine(target(file), testPolicy());
      strictEqual(outcome.outcome, "quarantined", outcome.detail);
      // The folder's owner points it at a folder only root may write, hoping root restores there.
      await Deno.rename(join(home, "evil"), join(home, "old"));
      await Deno.symlink(system, join(home, "evil"));
      await new Deno.Command("chown", { args: ["-h", "nobody", join(home, "evil")] }).output();
      const restored = await store.restore(outcome.entryId!, {});
      strictEqual(restored.outcome, "refused", restored.detail);
      strictEqual(restored.reason, "symlinked-folder", restored.detail);
      strictEqual(await fileSha256(join(system, "payload")), undefined);
      // Named by the real folder, the restore goes ahead.
      const direct = await store.restore(outcome.entryId!, { to: join(home, "old", "payload") });
      strictEqual(direct.outcome, "restored", direct.detail);
      await store.close();
    } finally {
      await cleanup();
    }
  },
});

Deno.test("store failing after the delete: the outcome says the file is quarantined, the next open finishes the record", async () => {
  const { root, cleanup } = await tempTree("iocscan-qhostile-");
  try {
    const dir = join(root, "store");
    const file = join(root, "a.bin");
    const bytes = seededBytes(12, 4000);
    await Deno.writeFile(file, bytes);
    const linux = linuxQuarantinePlatform();
    let blocker: string | undefined;
    const platform: QuarantinePlatform = {
      ...linux,
      deleteOriginal: async (path, options) => {
        const deleted = await linux.deleteOriginal(path, options);
        // The store cannot write the record's next state (as a full disk would refuse it).
        const [record] = await Array.fromAsync(Deno.readDir(join(dir, ENTRIES_FOLDER)));
        blocker = join(dir, ENTRIES_FOLDER, `${record!.name}.tmp`);
        await Deno.mkdir(join(blocker, "full"), { recursive: true });
        return deleted;
      },
    };
    const store = await openQuarantineStore({ dir, platform });
    const outcome = await store.quarantine(target(file), testPolicy());
    strictEqual(await fileSha256(file), undefined, "the original is gone");
    strictEqual(outcome.outcome, "quarantined", `${outcome.reason}: ${outcome.detail}`);
    ok(outcome.entryId !== undefined);
    ok(outcome.detail?.includes("next"), outcome.detail);
    await store.close();
    await Deno.remove(blocker!, { recursive: true });
    const again = await openQuarantineStore({ dir });
    ok(again.recovery.finished.includes(outcome.entryId!), JSON.stringify(again.recovery));
    strictEqual((await again.show(outcome.entryId!))?.state, "quarantined");
    await again.close();
  } finally {
    await cleanup();
  }
});

Deno.test("restore --to a file of the store itself (its key, a copy) is refused, even with force", async () => {
  const { root, cleanup } = await tempTree("iocscan-qhostile-");
  try {
    const dir = join(root, "store");
    const store = await openQuarantineStore({ dir });
    const ids: string[] = [];
    for (const seed of [21, 22]) {
      const file = join(root, `f${seed}.bin`);
      await Deno.writeFile(file, seededBytes(seed, 2000));
      const outcome = await store.quarantine(target(file), testPolicy());
      strictEqual(outcome.outcome, "quarantined", outcome.detail);
      ids.push(outcome.entryId!);
    }
    const key = await Deno.readFile(join(dir, "key"));
    const places = [
      join(dir, "key"),
      join(dir, OBJECTS_FOLDER, `${ids[1]}.bin`),
      join(root, "STORE-link", "key"),
    ];
    await Deno.symlink(dir, join(root, "STORE-link"));
    for (const to of places) {
      const restored = await store.restore(ids[0]!, { to, force: true });
      strictEqual(restored.outcome, "refused", `${to}: ${restored.detail}`);
      strictEqual(restored.reason, "protected", `${to}: ${restored.detail}`);
    }
    strictEqual(sha256(await Deno.readFile(join(dir, "key"))), sha256(key), "the key is intact");
    await store.close();
    const again = await openQuarantineStore({ dir });
    const back = await again.restore(ids[1]!, {});
    strictEqual(back.outcome, "restored", back.detail);
    await again.close();
  } finally {
    await cleanup();
  }
});

Deno.test({
  name: "files of the kernel's pseudo file systems (/proc, /sys) are refused as not-regular",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const { root, cleanup } = await tempTree("iocscan-qhostile-");
    try {
      // Deno lets only a process with every permission (the engine's set) read /proc: a child.
      const script = join(root, "pseudo.ts");
      const mod = pathToFileURL(join(import.meta.dirname!, "mod.ts")).href;
      await Deno.writeTextFile(
        script,
        `import { defaultQuarantinePolicy, openQuarantineStore } from ${JSON.stringify(mod)};
const store = await openQuarantineStore({ dir: Deno.args[0] });
const outcomes = [];
// /proc/kmsg is one too: its read blocks and consumes the kernel's log.
for (const path of ["/proc/cpuinfo", "/proc/version", "/sys/kernel/uevent_seqnum"]) {
  if (!(await Deno.lstat(path).then((info) => info.isFile, () => false))) continue;
  outcomes.push(await store.quarantine({ path, iocs: [], pids: [] }, defaultQuarantinePolicy));
}
console.log(JSON.stringify({ outcomes, entries: await store.list() }));
await store.close();`,
      );
      const result = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-q", "-A", "--no-lock", script, join(root, "store")],
        stdout: "piped",
        stderr: "piped",
      }).output();
      strictEqual(result.code, 0, new TextDecoder().decode(result.stderr));
      const { outcomes, entries } = JSON.parse(new TextDecoder().decode(result.stdout));
      ok(outcomes.length > 0, "no /proc or /sys file to try");
      for (const outcome of outcomes) {
        strictEqual(outcome.outcome, "refused", `${outcome.path}: ${outcome.detail}`);
        strictEqual(outcome.reason, "not-regular", `${outcome.path}: ${outcome.detail}`);
      }
      deepStrictEqual(entries, []);
    } finally {
      await cleanup();
    }
  },
});

Deno.test({
  name:
    "a folder swapped for another user's link between detection and action: the file it leads to is not quarantined",
  ignore: Deno.build.os !== "linux" || Deno.uid() !== 0,
  fn: async () => {
    const { root, cleanup } = await tempTree("iocscan-qhostile-");
    try {
      const home = join(root, "home");
      const system = join(root, "etc");
      await Deno.mkdir(join(home, "d"), { recursive: true });
      await Deno.mkdir(system);
      const victim = join(system, "shadow");
      await Deno.writeTextFile(victim, "root's file");
      // The user's own file named like the victim was detected at home/d/shadow; then the
      // user swapped the folder for a link to the victim's folder.
      await Deno.writeTextFile(join(home, "d", "shadow"), "the detected malware");
      await new Deno.Command("chown", { args: ["-R", "nobody", home] }).output();
      await Deno.rename(join(home, "d"), join(home, "old"));
      await Deno.symlink(system, join(home, "d"));
      await new Deno.Command("chown", { args: ["-h", "nobody", join(home, "d")] }).output();
      const store = await openQuarantineStore({ dir: join(root, "store") });
      const outcome = await store.quarantine(target(join(home, "d", "shadow")), testPolicy());
      strictEqual(outcome.outcome, "refused", outcome.detail);
      strictEqual(outcome.reason, "symlink", outcome.detail);
      strictEqual(await Deno.readTextFile(victim), "root's file");
      deepStrictEqual(await store.list(), []);
      await store.close();
    } finally {
      await cleanup();
    }
  },
});

Deno.test("a file whose alternate data streams the copy cannot hold is refused, the original in place", async () => {
  const { root, cleanup } = await tempTree("iocscan-qhostile-");
  try {
    const file = join(root, "carrier.exe");
    await Deno.writeFile(file, seededBytes(31, 500));
    const linux = linuxQuarantinePlatform();
    const platform: QuarantinePlatform = {
      ...linux,
      captureMetadata: async (path, handle, info) => ({
        ...(await linux.captureMetadata(path, handle, info)),
        uncopied: ["alternate data stream payload not captured: 20971520 bytes is over the cap"],
      }),
    };
    const store = await openQuarantineStore({ dir: join(root, "store"), platform });
    const outcome = await store.quarantine(target(file), testPolicy({ force: true }));
    strictEqual(outcome.outcome, "refused", outcome.detail);
    strictEqual(outcome.reason, "uncopied-streams", outcome.detail);
    ok(outcome.detail?.includes("payload"), outcome.detail);
    strictEqual(await fileSha256(file), sha256(seededBytes(31, 500)));
    deepStrictEqual(await store.list(), []);
    await store.close();
  } finally {
    await cleanup();
  }
});
