/**
 * Restore round trips on Linux, by hash and by metadata: mode with the set-uid bit, owner,
 * access and modification times to the nanosecond, `user.*` extended attributes, a POSIX ACL
 * (`setfacl`), the immutable flag (with force); an empty file, a file of several chunks, a file
 * with a second name; a tampered copy; a file swapped for a symbolic link mid-way (ClamAV's race).
 */
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

const isRoot = Deno.uid() === 0;

async function run(program: string, ...args: string[]): Promise<string> {
  const result = await new Deno.Command(program, { args, stdout: "piped", stderr: "piped" })
    .output();
  if (!result.success) {
    throw new Error(`${program} ${args.join(" ")}: ${new TextDecoder().decode(result.stderr)}`);
  }
  return new TextDecoder().decode(result.stdout);
}

/** What the round trip must keep, as the system's own tools print it. */
async function describe(path: string) {
  return {
    stat: await run("stat", "-c", "%u:%g %a %X.%x %Y.%y", path),
    xattrs: await run("getfattr", "-d", "-m", "user\\.", "--absolute-names", path).then((text) =>
      text.split("\n").slice(1).join("\n")
    ),
    acl: await run("getfacl", "-c", "--absolute-names", path),
  };
}

Deno.test("restore round trip: hash and metadata (set-uid mode, owner, ns times, xattrs, ACL)", async () => {
  const { root, cleanup } = await tempTree("iocscan-qrestore-");
  try {
    const store = await openQuarantineStore({ dir: join(root, "store") });
    const cases = {
      regular: seededBytes(1, 70_000),
      empty: new Uint8Array(0),
      large: seededBytes(2, 5 * 1024 * 1024 + 3),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const file = join(root, name);
      await Deno.writeFile(file, bytes);
      await run("setfattr", "-n", "user.origin", "-v", `planted-${name}`, file);
      await run("setfattr", "-n", "user.binary", "-v", "0sAAEC/w==", file);
      await run("setfacl", "-m", "u:nobody:rw,g:daemon:r", file);
      if (isRoot) await run("chown", "nobody:nogroup", file);
      await Deno.chmod(file, 0o4750);
      await run("touch", "-m", "-d", "2021-03-04 05:06:07.123456789", file);
      await run("touch", "-a", "-d", "2022-01-02 03:04:05.987654321", file);
      const before = await describe(file);
      ok(before.stat.includes("4750"), before.stat);
      ok(before.acl.includes("user:nobody:rw-"), before.acl);
      const outcome = await store.quarantine(target(file), testPolicy());
      strictEqual(outcome.outcome, "quarantined", `${name}: ${outcome.detail}`);
      strictEqual(await fileSha256(file), undefined);
      const restored = await store.restore(outcome.entryId!, {});
      strictEqual(restored.outcome, "restored", `${name}: ${restored.detail}`);
      deepStrictEqual(restored.notes, [], name);
      // Described before it is read: reading it would move its access time.
      deepStrictEqual(await describe(file), before, name);
      strictEqual(await fileSha256(file), sha256(bytes), name);
    }
    await store.close();
  } finally {
    await cleanup();
  }
});

Deno.test("restore round trip: an immutable file is refused, then with force quarantined and made immutable again", async () => {
  if (!isRoot) {
    console.warn("SKIPPED: chattr +i needs root");
    return;
  }
  const { root, cleanup } = await tempTree("iocscan-qrestore-");
  try {
    const store = await openQuarantineStore({ dir: join(root, "store") });
    const file = join(root, "locked");
    await Deno.writeFile(file, seededBytes(3, 1000));
    await run("chattr", "+i", file);
    const refused = await store.quarantine(target(file), testPolicy());
    strictEqual(refused.reason, "immutable", refused.detail);
    ok((await run("lsattr", "-d", file)).startsWith("----i"));
    strictEqual((await store.list()).length, 0);
    const forced = await store.quarantine(target(file), testPolicy({ force: true }));
    strictEqual(forced.outcome, "quarantined", forced.detail);
    const entry = await store.show(forced.entryId!);
    ok(entry?.metadata.kind === "linux" && entry.metadata.flags.immutable);
    strictEqual((await store.restore(forced.entryId!, {})).outcome, "restored");
    ok((await run("lsattr", "-d", file)).startsWith("----i"), "immutable again");
    strictEqual(await fileSha256(file), sha256(seededBytes(3, 1000)));
    await store.close();
  } finally {
    await cleanup();
  }
});

Deno.test("restore round trip: a hard-linked file is reported, its other name keeps the bytes", async () => {
  const { root, cleanup } = await tempTree("iocscan-qrestore-");
  try {
    const store = await openQuarantineStore({ dir: join(root, "store") });
    const file = join(root, "named");
    const other = join(root, "other-name");
    await Deno.writeFile(file, seededBytes(4, 4000));
    await Deno.link(file, other);
    const outcome = await store.quarantine(target(file), testPolicy());
    strictEqual(outcome.outcome, "quarantined");
    strictEqual(outcome.hardLinks, 1);
    ok(outcome.detail?.includes("1 other name(s) of the file remain"), outcome.detail);
    strictEqual((await store.show(outcome.entryId!))?.hardLinks, 1);
    strictEqual(await fileSha256(other), sha256(seededBytes(4, 4000)));
    strictEqual((await store.restore(outcome.entryId!, {})).outcome, "restored");
    strictEqual(await fileSha256(file), sha256(seededBytes(4, 4000)));
    await store.close();
  } finally {
    await cleanup();
  }
});

Deno.test("restore: a flipped byte anywhere in the copy is detected, nothing is written", async () => {
  const { root, cleanup } = await tempTree("iocscan-qrestore-");
  try {
    const dir = join(root, "store");
    const store = await openQuarantineStore({ dir });
    const file = join(root, "x");
    const bytes = seededBytes(5, 2 * 1024 * 1024 + 100);
    await Deno.writeFile(file, bytes);
    const id = (await store.quarantine(target(file), testPolicy())).entryId!;
    const copy = join(dir, "objects", `${id}.bin`);
    const original = await Deno.readFile(copy);
    for (const offset of [3, 40, 1024 * 1024 + 7, original.length - 1]) {
      const tampered = original.slice();
      tampered[offset]! ^= 0x10;
      await Deno.writeFile(copy, tampered);
      const outcome = await store.restore(id, {});
      strictEqual(outcome.outcome, "failed", `offset ${offset}`);
      strictEqual(outcome.reason, "tampered", `offset ${offset}: ${outcome.detail}`);
      strictEqual(await fileSha256(file), undefined, `offset ${offset}: something was written`);
      deepStrictEqual(
        (await Array.fromAsync(Deno.readDir(root))).map((item) => item.name).sort(),
        ["store"],
        "no temporary file is left",
      );
    }
    await Deno.writeFile(copy, original);
    strictEqual((await store.restore(id, {})).outcome, "restored");
    strictEqual(await fileSha256(file), sha256(bytes));
    await store.close();
  } finally {
    await cleanup();
  }
});

Deno.test("the ClamAV race: a file swapped for a symbolic link mid-way is refused, the link's target untouched", async () => {
  const { root, cleanup } = await tempTree("iocscan-qrace-");
  try {
    const precious = join(root, "precious");
    await Deno.writeFile(precious, seededBytes(6, 3000));
    const swap = async (path: string) => {
      await Deno.remove(path);
      await Deno.symlink(precious, path);
    };
    for (const hook of ["afterLstat", "beforeDelete"] as const) {
      const dir = join(root, `store-${hook}`);
      const store = await openQuarantineStore({ dir, hooks: { [hook]: swap } });
      const file = join(root, `victim-${hook}`);
      await Deno.writeFile(file, seededBytes(7, 3000));
      const outcome = await store.quarantine(target(file), testPolicy());
      strictEqual(outcome.outcome, "refused", `${hook}: ${outcome.detail}`);
      strictEqual(outcome.reason, "symlink", `${hook}: ${outcome.detail}`);
      ok((await Deno.lstat(file)).isSymlink, hook);
      strictEqual(
        await fileSha256(precious),
        sha256(seededBytes(6, 3000)),
        `${hook}: the target was touched`,
      );
      const entries = await store.list();
      if (hook === "afterLstat") strictEqual(entries.length, 0);
      else {
        // The copy of the file that was there is kept, the link is not deleted.
        deepStrictEqual(entries.map((entry) => entry.state), ["kept-original"]);
        strictEqual(entries[0]?.sha256, sha256(seededBytes(7, 3000)));
      }
      await store.close();
    }
    // A file replaced by another (same name, other inode) before the open.
    const store = await openQuarantineStore({
      dir: join(root, "store-replace"),
      hooks: {
        afterLstat: async (path) => {
          await Deno.remove(path);
          await Deno.writeFile(path, seededBytes(8, 3000));
        },
      },
    });
    const file = join(root, "replaced");
    await Deno.writeFile(file, seededBytes(9, 3000));
    const outcome = await store.quarantine(target(file), testPolicy());
    strictEqual(outcome.reason, "changed", outcome.detail);
    strictEqual(await fileSha256(file), sha256(seededBytes(8, 3000)));
    await store.close();
  } finally {
    await cleanup();
  }
});

Deno.test("the ClamAV race: a folder swapped for a link at the delete itself deletes nothing elsewhere", async () => {
  const { root, cleanup } = await tempTree("iocscan-qrace-");
  try {
    const linux = linuxQuarantinePlatform();
    const elsewhere = join(root, "elsewhere");
    await Deno.mkdir(elsewhere);
    const precious = join(elsewhere, "victim.bin");
    await Deno.writeFile(precious, seededBytes(10, 3000));
    const folder = join(root, "folder");
    const platform: QuarantinePlatform = {
      ...linux,
      // After the store's last check, before the unlink: the folder becomes a link elsewhere.
      deleteOriginal: async (path, options) => {
        await Deno.rename(folder, join(root, "moved"));
        await Deno.symlink(elsewhere, folder);
        return await linux.deleteOriginal(path, options);
      },
    };
    await Deno.mkdir(folder);
    const file = join(folder, "victim.bin");
    await Deno.writeFile(file, seededBytes(11, 3000));
    const store = await openQuarantineStore({ dir: join(root, "store"), platform });
    const outcome = await store.quarantine(target(file), testPolicy());
    strictEqual(outcome.outcome, "refused", outcome.detail);
    strictEqual(outcome.reason, "changed", outcome.detail);
    strictEqual(
      await fileSha256(precious),
      sha256(seededBytes(10, 3000)),
      "a file elsewhere was deleted",
    );
    strictEqual(await fileSha256(join(root, "moved", "victim.bin")), sha256(seededBytes(11, 3000)));
    deepStrictEqual((await store.list()).map((entry) => entry.state), ["kept-original"]);
    await store.close();
  } finally {
    await cleanup();
  }
});
