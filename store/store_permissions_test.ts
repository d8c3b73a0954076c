import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { chmodSync, chownSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openStore } from "./result_store.ts";
import {
  checkStoreFolder,
  createStoreFolder,
  protectStoreFiles,
  STORE_FILE_MODE,
  STORE_FOLDER_MODE,
} from "./store_permissions.ts";
import { defaultStoreLocation } from "./default_location.ts";

const posix = Deno.build.os !== "windows";
const NOBODY = 65534;

function modeOf(path: string): number {
  return statSync(path).mode & 0o7777;
}

Deno.test({
  name: "createStoreFolder() makes every new folder 0700",
  ignore: !posix,
  fn: async () => {
    const root = await Deno.makeTempDir();
    try {
      const folder = join(root, "a", "b");
      createStoreFolder(folder);
      strictEqual(modeOf(join(root, "a")), STORE_FOLDER_MODE);
      strictEqual(modeOf(folder), STORE_FOLDER_MODE);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test("createStoreFolder() protects a new folder on Windows and leaves an existing one", async () => {
  const root = await Deno.makeTempDir();
  try {
    const protectedFolders: string[] = [];
    const context = {
      os: "windows" as const,
      protectWindowsFolder: (folder: string) => void protectedFolders.push(folder),
    };
    createStoreFolder(join(root, "IocScan"), context);
    createStoreFolder(join(root, "IocScan"), context);
    strictEqual(protectedFolders.length, 1);
    // A file another user made in the moment before the access list was set.
    throws(
      () =>
        createStoreFolder(join(root, "Raced"), {
          os: "windows",
          protectWindowsFolder: () => writeFileSync(join(root, "Raced", "iocscan.db-wal"), ""),
        }),
      /files appeared in the new folder .*Raced before it was protected \(iocscan\.db-wal\)/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test({
  name: "openStore() creates the database and its -wal and -shm 0600",
  ignore: !posix,
  fn: async () => {
    const root = await Deno.makeTempDir();
    try {
      const location = join(root, "new", "results.db");
      const store = await openStore(location);
      try {
        await store.startRun({ iocFiles: [] });
        for (const file of [location, `${location}-wal`, `${location}-shm`]) {
          strictEqual(modeOf(file), STORE_FILE_MODE, file);
        }
        strictEqual(modeOf(join(root, "new")), STORE_FOLDER_MODE);
      } finally {
        await store.close();
      }
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name: "protectStoreFiles() narrows an older store's 0644 files to 0600",
  ignore: !posix,
  fn: async () => {
    const root = await Deno.makeTempDir();
    try {
      const location = join(root, "results.db");
      writeFileSync(location, "");
      writeFileSync(`${location}-wal`, "");
      chmodSync(location, 0o644);
      chmodSync(`${location}-wal`, 0o644);
      protectStoreFiles(location);
      strictEqual(modeOf(location), STORE_FILE_MODE);
      strictEqual(modeOf(`${location}-wal`), STORE_FILE_MODE);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name: "checkStoreFolder() refuses folders and files other users could have shaped",
  ignore: !posix,
  fn: async () => {
    const root = await Deno.makeTempDir();
    try {
      const folder = join(root, "store");
      mkdirSync(folder);
      const location = join(folder, "results.db");
      checkStoreFolder(location);
      chmodSync(folder, 0o777);
      throws(() => checkStoreFolder(location), /writable by other users \(mode 0777\)/);
      chmodSync(folder, 0o1777);
      // Sticky, as /tmp: others cannot replace our files but can plant -wal or a link first.
      throws(() => checkStoreFolder(location), /writable by other users \(mode 01777\)/);
      chmodSync(folder, 0o770);
      throws(() => checkStoreFolder(location), /writable by other users \(mode 0770\)/);
      chmodSync(folder, 0o700);
      // Another user's folder, or a -wal another user made first.
      if (Deno.uid() === 0) {
        writeFileSync(`${location}-wal`, "");
        chownSync(`${location}-wal`, NOBODY, NOBODY);
        throws(() => checkStoreFolder(location), /results\.db-wal belongs to another user/);
        await Deno.remove(`${location}-wal`);
        chownSync(folder, NOBODY, NOBODY);
        throws(() => checkStoreFolder(location), /folder .* belongs to another user \(uid 65534\)/);
      } else {
        console.error("*** not root: the chown cases of checkStoreFolder() are not run ***");
      }
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name: "defaultStoreLocation() creates its folder 0700 and narrows an older 0755 one",
  ignore: !posix,
  fn: async () => {
    const root = await Deno.makeTempDir();
    try {
      const env = (name: string) => name === "XDG_DATA_HOME" ? join(root, "data") : undefined;
      const path = defaultStoreLocation({ os: "linux", isRoot: false, env });
      strictEqual(modeOf(join(root, "data", "iocscan")), STORE_FOLDER_MODE);
      chmodSync(join(root, "data", "iocscan"), 0o755);
      deepStrictEqual(defaultStoreLocation({ os: "linux", isRoot: false, env }), path);
      strictEqual(modeOf(join(root, "data", "iocscan")), STORE_FOLDER_MODE);
      ok(path.endsWith("iocscan.db"));
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
