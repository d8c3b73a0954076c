import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { KEY_FILE, loadStoreKey } from "./store_key.ts";
import { tempTree } from "./_quarantine_fixtures.ts";

Deno.test("store key: made once, 0600, the same for openers racing on a new store", async () => {
  const { root, cleanup } = await tempTree("iocscan-qkey-");
  try {
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadStoreKey(root)));
    for (const key of keys) deepStrictEqual(key, keys[0]);
    strictEqual(keys[0]!.length, 32);
    strictEqual((await Deno.stat(join(root, KEY_FILE))).mode! & 0o777, 0o600);
    deepStrictEqual((await Array.fromAsync(Deno.readDir(root))).map((item) => item.name), [
      KEY_FILE,
    ]);
  } finally {
    await cleanup();
  }
});

Deno.test("store key: a short key or a linked key is refused", async () => {
  const { root, cleanup } = await tempTree("iocscan-qkey-");
  try {
    await Deno.writeFile(join(root, KEY_FILE), new Uint8Array(16), { mode: 0o600 });
    await rejects(loadStoreKey(root), /16 bytes, not 32/);
    await Deno.remove(join(root, KEY_FILE));
    await Deno.writeFile(join(root, "elsewhere"), new Uint8Array(32), { mode: 0o600 });
    await Deno.symlink(join(root, "elsewhere"), join(root, KEY_FILE));
    await rejects(loadStoreKey(root), /not a regular file/);
  } finally {
    await cleanup();
  }
});
