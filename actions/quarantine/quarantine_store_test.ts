import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import type { QuarantinePlatform } from "./contract.ts";
import { linuxQuarantinePlatform } from "./linux_platform.ts";
import { openQuarantineStore } from "./quarantine_store.ts";
import {
  fileSha256,
  seededBytes,
  sha256,
  target,
  tempTree,
  testPolicy,
} from "./_quarantine_fixtures.ts";

Deno.test("quarantine store: quarantine, list, show, restore, purge on Linux", async () => {
  const { root, cleanup } = await tempTree("iocscan-qstore-");
  try {
    const file = join(root, "evil.bin");
    const bytes = seededBytes(1, 3 * 1024 * 1024 + 17);
    await Deno.writeFile(file, bytes);
    const store = await openQuarantineStore({ dir: join(root, "store") });
    deepStrictEqual(store.recovery, { finished: [], rolledBack: [] });
    const outcome = await store.quarantine(target(file), testPolicy());
    strictEqual(outcome.outcome, "quarantined", outcome.detail);
    strictEqual(outcome.sha256, sha256(bytes));
    strictEqual(await fileSha256(file), undefined, "the original is gone");
    const [entry] = await store.list();
    strictEqual(entry?.id, outcome.entryId);
    strictEqual(entry?.state, "quarantined");
    strictEqual(entry?.originalPath, file);
    strictEqual(entry?.size, bytes.length);
    deepStrictEqual((await store.show(entry!.id))?.sha256, sha256(bytes));
    strictEqual(await store.show("../../etc/passwd"), undefined);
    // The stored copy is not the original's bytes (neutered).
    const copy = await Deno.readFile(join(root, "store", "objects", `${entry!.id}.bin`));
    ok(!copy.includes(bytes[0]!) || sha256(copy) !== sha256(bytes));
    const restored = await store.restore(entry!.id, {});
    strictEqual(restored.outcome, "restored", restored.detail);
    strictEqual(await fileSha256(file), sha256(bytes));
    strictEqual((await store.restore(entry!.id, {})).reason, "exists");
    const elsewhere = join(root, "elsewhere.bin");
    strictEqual((await store.restore(entry!.id, { to: elsewhere })).outcome, "restored");
    strictEqual(await fileSha256(elsewhere), sha256(bytes));
    const missingFolder = await store.restore(entry!.id, { to: join(root, "no", "such", "x") });
    strictEqual(missingFolder.outcome, "failed");
    const { purged } = await store.purge({ id: entry!.id });
    strictEqual(purged.length, 1);
    strictEqual((await store.show(entry!.id))?.state, "purged");
    strictEqual((await store.restore(entry!.id, { to: join(root, "again") })).reason, "purged");
    await store.close();
  } finally {
    await cleanup();
  }
});

Deno.test("quarantine store: refusals leave the file in place", async () => {
  const { root, cleanup } = await tempTree("iocscan-qstore-");
  try {
    const store = await openQuarantineStore({ dir: join(root, "store") });
    const real = join(root, "real.bin");
    await Deno.writeFile(real, seededBytes(2, 1000));
    const link = join(root, "link.bin");
    await Deno.symlink(real, link);
    const fifo = join(root, "fifo");
    await new Deno.Command("mkfifo", { args: [fifo] }).output();
    const big = join(root, "big.bin");
    await Deno.writeFile(big, seededBytes(3, 2000));
    const cases: [string, string, Parameters<typeof testPolicy>[0]][] = [
      [link, "symlink", {}],
      [fifo, "not-regular", {}],
      [root, "not-regular", {}],
      [big, "too-large", { maxFileBytes: 1999 }],
      [join(root, "store", "key"), "protected", {}],
      [real, "protected", { protectedPaths: [root] }],
      ["relative.bin", "not-absolute", {}],
    ];
    for (const [path, reason, policy] of cases) {
      const outcome = await store.quarantine(target(path), testPolicy(policy));
      strictEqual(outcome.outcome, "refused", `${path}: ${outcome.detail}`);
      strictEqual(outcome.reason, reason, `${path}: ${outcome.detail}`);
    }
    strictEqual(
      (await store.quarantine(target(join(root, "none")), testPolicy())).reason,
      "not-found",
    );
    strictEqual(await fileSha256(real), sha256(seededBytes(2, 1000)));
    strictEqual(await fileSha256(big), sha256(seededBytes(3, 2000)));
    strictEqual((await store.list()).length, 0);
    strictEqual((await Array.fromAsync(Deno.readDir(join(root, "store", "objects")))).length, 0);
    await store.close();
  } finally {
    await cleanup();
  }
});

Deno.test("quarantine store: a critical file is refused unless forced", async () => {
  const { root, cleanup } = await tempTree("iocscan-qstore-");
  try {
    const linux = linuxQuarantinePlatform();
    const platform: QuarantinePlatform = {
      ...linux,
      criticalReason: (path) =>
        Promise.resolve(`${path} belongs to the installed package coreutils`),
    };
    const store = await openQuarantineStore({ dir: join(root, "store"), platform });
    const file = join(root, "ls");
    await Deno.writeFile(file, seededBytes(4, 100));
    const refused = await store.quarantine(target(file), testPolicy());
    strictEqual(refused.reason, "critical-file");
    ok(refused.detail?.includes("coreutils"));
    strictEqual(
      (await store.quarantine(target(file), testPolicy({ force: true }))).outcome,
      "quarantined",
    );
    await store.close();
  } finally {
    await cleanup();
  }
});

Deno.test("quarantine store: a package-owned file under /usr is critical, a temp file is not", async () => {
  const platform = linuxQuarantinePlatform();
  const ls = "/usr/bin/ls";
  const info = await Deno.lstat(ls).catch(() => undefined);
  if (info === undefined || !(await Deno.stat("/var/lib/dpkg/info").catch(() => undefined))) {
    console.warn("SKIPPED: no /usr/bin/ls or no dpkg here");
    return;
  }
  ok((await platform.criticalReason(ls, info))?.includes("coreutils"));
  ok((await platform.criticalReason("/bin/ls", info))?.includes("coreutils"));
  strictEqual(await platform.criticalReason("/tmp/x", info), undefined);
  ok(
    (await platform.criticalReason("/lib/modules/6.1/kernel/x.ko", info))?.includes(
      "kernel module",
    ),
  );
});

Deno.test("quarantine store: the folder is 0700, the key 0600 and made once, unsafe folders refused", async () => {
  const { root, cleanup } = await tempTree("iocscan-qstore-");
  try {
    const dir = join(root, "store");
    const store = await openQuarantineStore({ dir });
    await store.close();
    strictEqual((await Deno.stat(dir)).mode! & 0o777, 0o700);
    strictEqual((await Deno.stat(join(dir, "key"))).mode! & 0o777, 0o600);
    const key = await Deno.readFile(join(dir, "key"));
    strictEqual(key.length, 32);
    await (await openQuarantineStore({ dir })).close();
    deepStrictEqual(await Deno.readFile(join(dir, "key")), key, "the key is made once");
    const link = join(root, "link");
    await Deno.symlink(dir, link);
    await openQuarantineStore({ dir: link }).then(
      () => Promise.reject(new Error("a linked folder was used")),
      (error: Error) => ok(/symbolic link/.test(error.message), error.message),
    );
    const open = join(root, "open");
    await Deno.mkdir(open);
    await Deno.chmod(open, 0o777);
    await openQuarantineStore({ dir: open }).then(
      () => Promise.reject(new Error("a world-writable folder was used")),
      (error: Error) => ok(/writable by other users/.test(error.message), error.message),
    );
    await Deno.chmod(join(dir, "key"), 0o644);
    await openQuarantineStore({ dir }).then(
      () => Promise.reject(new Error("a readable key was used")),
      (error: Error) =>
        ok(/readable or writable by other users/.test(error.message), error.message),
    );
  } finally {
    await cleanup();
  }
});

Deno.test("quarantine store: purge by age and by size keeps the records, oldest first", async () => {
  const { root, cleanup } = await tempTree("iocscan-qstore-");
  try {
    let clock = Date.parse("2026-01-01T00:00:00Z");
    const store = await openQuarantineStore({
      dir: join(root, "store"),
      now: () => new Date(clock),
    });
    const ids: string[] = [];
    for (let index = 0; index < 4; index++) {
      const file = join(root, `f${index}`);
      await Deno.writeFile(file, seededBytes(10 + index, 1000));
      ids.push((await store.quarantine(target(file), testPolicy())).entryId!);
      clock += 10 * 24 * 3600 * 1000;
    }
    // Now is day 40: entries from day 0 and day 10 are older than 25 days.
    const aged = await store.purge({ olderThanDays: 25 });
    deepStrictEqual(aged.purged.map((entry) => entry.id), ids.slice(0, 2));
    const sized = await store.purge({ maxBytes: 1000 });
    deepStrictEqual(sized.purged.map((entry) => entry.id), [ids[2]]);
    const states = (await store.list()).map((entry) => entry.state);
    deepStrictEqual(states, ["purged", "purged", "purged", "quarantined"]);
    strictEqual((await Array.fromAsync(Deno.readDir(join(root, "store", "objects")))).length, 1);
    const history = (await store.show(ids[0]!))?.history.at(-1);
    strictEqual(history?.state, "purged");
    ok(history?.detail?.includes("older than 25 days"));
    await store.close();
  } finally {
    await cleanup();
  }
});

Deno.test("quarantine store: alternate data streams are stored encrypted and handed back on restore", async () => {
  const { root, cleanup } = await tempTree("iocscan-qstore-");
  try {
    const linux = linuxQuarantinePlatform();
    const zone = new TextEncoder().encode("[ZoneTransfer]\r\nZoneId=3\r\n");
    const handedBack: { name: string; bytes: Uint8Array }[][] = [];
    const platform: QuarantinePlatform = {
      ...linux,
      captureMetadata: async (path, file, info) => ({
        ...(await linux.captureMetadata(path, file, info)),
        streams: [{
          name: "Zone.Identifier",
          size: zone.length,
          read: () => Promise.resolve(zone),
        }],
      }),
      applyMetadata: (path, metadata, streams) => {
        handedBack.push(streams.map(({ name, bytes }) => ({ name, bytes: bytes.slice() })));
        return linux.applyMetadata(path, metadata, []);
      },
    };
    const dir = join(root, "store");
    const store = await openQuarantineStore({ dir, platform });
    const file = join(root, "download.exe");
    await Deno.writeFile(file, seededBytes(5, 5000));
    const outcome = await store.quarantine(target(file), testPolicy());
    strictEqual(outcome.outcome, "quarantined", outcome.detail);
    deepStrictEqual((await store.show(outcome.entryId!))?.streams, [{
      name: "Zone.Identifier",
      size: zone.length,
    }]);
    const streamCopy = await Deno.readFile(join(dir, "objects", `${outcome.entryId}.s0.bin`));
    ok(
      !new TextDecoder().decode(streamCopy).includes("ZoneTransfer"),
      "the stream is not stored in clear",
    );
    strictEqual((await store.restore(outcome.entryId!, {})).outcome, "restored");
    deepStrictEqual(handedBack, [[{ name: "Zone.Identifier", bytes: zone }]]);
    // A tampered stream copy fails the restore.
    streamCopy[streamCopy.length - 1]! ^= 1;
    await Deno.writeFile(join(dir, "objects", `${outcome.entryId}.s0.bin`), streamCopy);
    const tampered = await store.restore(outcome.entryId!, { to: join(root, "again.exe") });
    strictEqual(tampered.reason, "tampered", tampered.detail);
    await store.close();
  } finally {
    await cleanup();
  }
});
