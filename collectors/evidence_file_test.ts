import { deepStrictEqual, ok } from "node:assert/strict";
import * as fs from "node:fs";
import { join } from "node:path";
import { type EvidenceFs, openEvidenceFile, readEvidenceFile } from "./evidence_file.ts";

const posix = Deno.build.os !== "windows";

Deno.test({
  name: "openEvidenceFile refuses a FIFO without blocking, directly and through a link",
  ignore: !posix,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const fifo = join(dir, "x.evtx");
      ok(new Deno.Command("mkfifo", { args: [fifo] }).outputSync().success);
      await Deno.symlink(fifo, join(dir, "link"));
      for (const path of [fifo, join(dir, "link"), dir]) {
        const refused = openEvidenceFile(path);
        ok(!("readAt" in refused));
        deepStrictEqual(refused.reason, "special-file");
        deepStrictEqual(refused.file, path);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("readEvidenceFile reads at most the size the descriptor reported at open", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "SYSTEM");
    await Deno.writeFile(path, new Uint8Array(1000).fill(7));
    // A double that makes the file grow right after the fstat: the read still stops at 1000.
    const grows: EvidenceFs = {
      ...(fs as unknown as EvidenceFs),
      fstatSync(fd) {
        const info = fs.fstatSync(fd);
        // deno-lint-ignore no-sync-fn-in-async-fn
        Deno.writeFileSync(path, new Uint8Array(5000).fill(9), { append: true });
        return info;
      },
    };
    const bytes = readEvidenceFile(path, {}, grows);
    ok(bytes instanceof Uint8Array);
    deepStrictEqual(bytes.length, 1000);
    deepStrictEqual(readEvidenceFile(path, { maxSize: 10, kind: "hive" }), {
      file: path,
      reason: "too-large",
      detail: "6000 bytes: larger than any hive (10)",
    });
    const missing = readEvidenceFile(join(dir, "nothing"));
    ok(!(missing instanceof Uint8Array));
    deepStrictEqual(missing.reason, "not-found");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openEvidenceFile refuses a file whose descriptor leads into /proc or /sys (Linux)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "SYSTEM");
    await Deno.writeFile(path, new Uint8Array(10));
    // The descriptor is said to lead to /proc/kcore, as a link swapped in would.
    const swapped: EvidenceFs = {
      ...(fs as unknown as EvidenceFs),
      readlinkSync: () => "/proc/kcore",
    };
    const refused = openEvidenceFile(path, {}, swapped);
    if (Deno.build.os !== "linux") {
      ok("readAt" in refused);
      refused.close();
      return;
    }
    ok(!("readAt" in refused));
    deepStrictEqual(refused, {
      file: path,
      reason: "special-file",
      detail: "leads to /proc/kcore, in a pseudo file system (kernel state, never read)",
    });
    // Without a readable /proc the other checks still hold: the file is read.
    const opened = openEvidenceFile(path, {}, {
      ...(fs as unknown as EvidenceFs),
      readlinkSync: () => {
        throw new Error("no /proc");
      },
    });
    ok("readAt" in opened);
    deepStrictEqual(opened.size, 10);
    opened.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
