import { deepStrictEqual } from "node:assert/strict";
import * as fs from "node:fs";
import { classifyFileError } from "./file_errors.ts";
import { libcSyncFs } from "./libc_sync_fs.ts";
import type { SyncFsSubset } from "./types.ts";

const linux = Deno.build.os === "linux";

Deno.test({
  name: "libcSyncFs reads as node:fs does, and fails with the same codes and skip reasons",
  ignore: !linux,
  async fn() {
    const libc = libcSyncFs()!;
    const node = fs as unknown as SyncFsSubset;
    const folder = await Deno.makeTempDir();
    try {
      const bytes = new Uint8Array(70_000).map((_, index) => (index * 11) & 0xff);
      await Deno.writeFile(`${folder}/data é.bin`, bytes);
      await Deno.symlink(`${folder}/data é.bin`, `${folder}/link`);
      await Deno.mkdir(`${folder}/folder`);
      const attempt = (access: SyncFsSubset, path: string, nofollow: boolean) => {
        const flags = access.constants.O_RDONLY | access.constants.O_NONBLOCK! |
          (nofollow ? access.constants.O_NOFOLLOW! : 0);
        let fd: number | undefined;
        try {
          fd = access.openSync(path, flags);
          const buffer = new Uint8Array(100_000);
          const count = access.readSync(fd, buffer, 5, 60_000, 1000);
          return { count, head: [...buffer.subarray(5, 10)] };
        } catch (error) {
          const { code } = error as { code?: string };
          return { code, reason: classifyFileError(error).reason };
        } finally {
          if (fd !== undefined) access.closeSync(fd);
        }
      };
      for (
        const [path, nofollow] of [
          [`${folder}/data é.bin`, true],
          [`${folder}/link`, false],
          [`${folder}/folder`, true],
          [`${folder}/none`, true],
          [`${folder}/data é.bin/below`, true],
        ] as const
      ) {
        deepStrictEqual(attempt(libc, path, nofollow), attempt(node, path, nofollow), path);
      }
      // Deno's node:fs resolves links while checking permissions (without --allow-all) and so
      // opens the target despite O_NOFOLLOW; libc refuses the link, as the OS should.
      deepStrictEqual(attempt(libc, `${folder}/link`, true), { code: "ELOOP", reason: "symlink" });
      deepStrictEqual(attempt(libc, `${folder}/data é.bin`, true), {
        count: 60_000,
        head: [...bytes.subarray(1000, 1005)],
      });
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  },
});

Deno.test({
  name: "libcSyncFs statOpened says what an open descriptor is; its descriptors close on exec",
  ignore: !linux,
  async fn() {
    const libc = libcSyncFs(true)!;
    deepStrictEqual(libcSyncFs(false)!.statOpened, undefined);
    const folder = await Deno.makeTempDir();
    const fcntl = Deno.dlopen("libc.so.6", {
      fcntl: { parameters: ["i32", "i32"], result: "i32" },
    });
    try {
      await Deno.writeFile(`${folder}/file`, new Uint8Array(1234));
      await Deno.mkdir(`${folder}/folder`);
      const flags = libc.constants.O_RDONLY | libc.constants.O_NONBLOCK!;
      const described = (path: string) => {
        const fd = libc.openSync(path, flags);
        try {
          // F_GETFD (1): bit 1 is FD_CLOEXEC.
          deepStrictEqual(fcntl.symbols.fcntl(fd, 1) & 1, 1, path);
          return libc.statOpened!(fd);
        } finally {
          libc.closeSync(fd);
        }
      };
      deepStrictEqual(described(`${folder}/file`), { isFile: true, size: 1234 });
      deepStrictEqual(described(`${folder}/folder`).isFile, false);
      deepStrictEqual(described("/dev/null").isFile, false);
    } finally {
      fcntl.close();
      await Deno.remove(folder, { recursive: true });
    }
  },
});
