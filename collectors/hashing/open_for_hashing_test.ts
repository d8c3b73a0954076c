import { deepStrictEqual } from "node:assert/strict";
import { classifyFileError } from "./file_errors.ts";
import { libcSyncFs } from "./libc_sync_fs.ts";
import { openForHashing } from "./open_for_hashing.ts";
import type { HashRequest, SyncFsSubset } from "./types.ts";

Deno.test({
  name:
    "openForHashing opens first and asks the descriptor, says the same as the check by path, and falls back on it where statx is refused",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const libc = libcSyncFs(true)!;
    const folder = await Deno.makeTempDir();
    try {
      await Deno.writeFile(`${folder}/file`, new Uint8Array(300));
      await Deno.symlink(`${folder}/file`, `${folder}/link`);
      await Deno.mkdir(`${folder}/folder`);
      await new Deno.Command("mkfifo", { args: [`${folder}/pipe`] }).output();
      // A statx refused by a seccomp policy: the libc calls say ENOSYS.
      const refused: SyncFsSubset = {
        ...libc,
        statOpened() {
          throw Object.assign(new Error("statx is not available"), { code: "ENOSYS" });
        },
      };
      const byPath: SyncFsSubset = { ...libc };
      delete byPath.statOpened;
      const outcome = (access: SyncFsSubset, name: string, maxSize?: number) => {
        const request: HashRequest = {
          path: `${folder}/${name}`,
          algorithms: ["md5"],
          followSymlinks: false,
          ...(maxSize === undefined ? {} : { maxSize }),
        };
        const opened = openForHashing(access, classifyFileError, request, false);
        if ("fd" in opened) {
          access.closeSync(opened.fd);
          return { size: opened.size };
        }
        // The reason is the verdict; details quote the failing call, an lstat or an open.
        return "reason" in opened && opened.reason !== "symlink"
          ? { reason: opened.reason }
          : opened;
      };
      for (
        const [name, maxSize] of [["file"], ["file", 100], ["link"], ["folder"], ["pipe"], [
          "none",
        ]] as const
      ) {
        const expected = outcome(byPath, name, maxSize);
        deepStrictEqual(outcome(libc, name, maxSize), expected, `${name} opened first`);
        deepStrictEqual(outcome(refused, name, maxSize), expected, `${name} with statx refused`);
      }
      deepStrictEqual(outcome(libc, "file"), { size: 300 });
      deepStrictEqual(outcome(libc, "link"), {
        ok: false,
        reason: "symlink",
        detail: "symbolic link (not followed)",
      });
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  },
});
