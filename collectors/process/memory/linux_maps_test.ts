import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { parseLinuxMaps } from "./linux_maps.ts";
import { readMemorySections } from "./memory_sections.ts";
import type { ProcessMemorySource } from "./source.ts";

/** A maps text as the kernel writes it (pathnames padded to column 74). */
const recordedMaps = [
  "55d0c8a00000-55d0c8a02000 r--p 00000000 fd:01 1835021                    /usr/bin/implant",
  "55d0c8a02000-55d0c8a05000 r-xp 00002000 fd:01 1835021                    /usr/bin/implant",
  "55d0c8a05000-55d0c8a06000 rw-p 00005000 fd:01 1835021                    /usr/bin/implant",
  "55d0c9000000-55d0c9021000 rw-p 00000000 00:00 0                          [heap]",
  "7f1e40000000-7f1e40001000 rwxp 00000000 00:00 0 ",
  "7f1e40001000-7f1e40002000 r-xp 00000000 00:01 4242                       /memfd:payload (deleted)",
  "7f1e40002000-7f1e40003000 r--p 00000000 fd:01 99                         /tmp/with space\\012newline.so (deleted)",
  "7f1e40003000-7f1e40004000 rw-s 00000000 00:05 7                          /dev/dri/card0",
  "7f1e40004000-7f1e40005000 rw-s 00000000 00:19 8                          /dev/shm/ring",
  "7f1e40005000-7f1e40006000 ---p 00000000 00:00 0 ",
  "7ffd1a000000-7ffd1a021000 rw-p 00000000 00:00 0                          [stack]",
  "7ffd1a1f0000-7ffd1a1f4000 r--p 00000000 00:00 0                          [vvar]",
  "7ffd1a1f4000-7ffd1a1f6000 r-xp 00000000 00:00 0                          [vdso]",
  "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]",
  "not a maps line",
  "",
].join("\n");

Deno.test("parseLinuxMaps reads each line: perms, file identity, deleted files, pseudo-names", () => {
  const { regions, badLines } = parseLinuxMaps(recordedMaps, 4242);
  deepStrictEqual(badLines, [{ line: 15, text: "not a maps line" }]);
  strictEqual(regions.length, 14);
  const [code, , , heap, rwx, memfd, spaced, device, shm, none, , vvar, vdso, vsyscall] = regions;
  deepStrictEqual(code, {
    start: 0x55d0c8a00000n,
    size: 0x2000n,
    protection: "PAGE_READONLY",
    readable: true,
    executable: false,
    rawFlags: "r--p",
    kind: "mapped",
    name: "/usr/bin/implant",
    fileKey: "fd:01:1835021",
    deleted: false,
    openPaths: [
      "/proc/4242/map_files/55d0c8a00000-55d0c8a02000",
      "/proc/4242/root/usr/bin/implant",
    ],
  });
  deepStrictEqual([heap!.name, heap!.kind, heap!.protection, heap!.fileKey], [
    "[heap]",
    "private",
    "PAGE_READWRITE",
    undefined,
  ]);
  deepStrictEqual([rwx!.name, rwx!.kind, rwx!.protection, rwx!.executable], [
    undefined,
    "private",
    "PAGE_EXECUTE_READWRITE",
    true,
  ]);
  deepStrictEqual([memfd!.name, memfd!.deleted, memfd!.kind], ["/memfd:payload", true, "mapped"]);
  deepStrictEqual([spaced!.name, spaced!.deleted], ["/tmp/with space\nnewline.so", true]);
  ok(device!.unsearchable?.includes("/dev/dri/card0"));
  strictEqual(shm!.unsearchable, undefined);
  strictEqual(shm!.protection, "PAGE_READWRITE", "a shared mapping is not copy-on-write");
  deepStrictEqual([none!.protection, none!.readable], ["PAGE_NOACCESS", false]);
  ok(vvar!.unsearchable !== undefined);
  strictEqual(vdso!.protection, "PAGE_EXECUTE_READ");
  deepStrictEqual([vsyscall!.start, vsyscall!.protection], [0xffffffffff600000n, "PAGE_EXECUTE"]);
});

Deno.test("readMemorySections collapses a file's pieces, flags injected and deleted code, keeps Redline's names", async () => {
  const source: ProcessMemorySource = {
    regions: () => Promise.resolve({ regions: parseLinuxMaps(recordedMaps, 4242).regions }),
    open: () => Promise.reject(new Error("not read")),
  };
  const result = await readMemorySections(4242, { source });
  ok(result.ok);
  deepStrictEqual(result.unevaluated, {});
  deepStrictEqual(
    result.sections.map((section) => [
      section.Name,
      section.Protection,
      section.Mapped,
      section.Injected,
      section.RawFlags,
    ]),
    [
      ["/usr/bin/implant", "PAGE_EXECUTE_WRITECOPY", "true", false, "r--p,r-xp,rw-p"],
      ["[heap]", "PAGE_READWRITE", "false", false, "rw-p"],
      ["[anon]", "PAGE_EXECUTE_READWRITE", "false", true, "rwxp"],
      ["/memfd:payload", "PAGE_EXECUTE_READ", "true", true, "r-xp"],
      ["/tmp/with space\nnewline.so", "PAGE_READONLY", "true", true, "r--p"],
      ["/dev/dri/card0", "PAGE_READWRITE", "true", false, "rw-s"],
      ["/dev/shm/ring", "PAGE_READWRITE", "true", false, "rw-s"],
      ["[anon]", "PAGE_NOACCESS", "false", false, "---p"],
      ["[stack]", "PAGE_READWRITE", "false", false, "rw-p"],
      ["[vvar]", "PAGE_READONLY", "false", false, "r--p"],
      ["[vdso]", "PAGE_EXECUTE_READ", "false", false, "r-xp"],
      ["[vsyscall]", "PAGE_EXECUTE", "false", false, "--xp"],
    ],
  );
  const implant = result.sections[0]!;
  deepStrictEqual([implant.RegionStart, implant.RegionSize], [0x55d0c8a00000, 0x6000]);
  // Above 2^53: kept exact as a bigint.
  strictEqual(result.sections.at(-1)!.RegionStart, 0xffffffffff600000n);
});

Deno.test("readMemorySections of a process it may not read gives the reason, not an empty list", async () => {
  const denied = new Deno.errors.PermissionDenied("Permission denied (os error 13)");
  const source: ProcessMemorySource = {
    regions: () => Promise.reject(denied),
    open: () => Promise.reject(denied),
  };
  const result = await readMemorySections(1, { source });
  ok(!result.ok);
  strictEqual(result.error.reason, "unreadable");
  ok(result.error.message.startsWith("process 1: "));
});

Deno.test("readMemorySections: a cut region list or section cap leaves SectionList unevaluated", async () => {
  const { regions } = parseLinuxMaps(recordedMaps, 9);
  const cut: ProcessMemorySource = {
    regions: () => Promise.resolve({ regions, truncated: "/proc/9/maps is over the 16-byte cap" }),
    open: () => Promise.reject(new Error("not read")),
  };
  const result = await readMemorySections(9, { source: cut, maxSections: 3 });
  ok(result.ok);
  strictEqual(result.sections.length, 3);
  ok(result.unevaluated["SectionList"]?.includes("cut"));
  strictEqual(result.warnings.length, 2);
});

Deno.test("readMemorySections gives up on a listing that blocks (a process stuck in a page fault)", async () => {
  const source: ProcessMemorySource = {
    regions: () => new Promise(() => {}),
    open: () => Promise.reject(new Error("not read")),
  };
  const result = await readMemorySections(77, { source, timeoutMs: 50 });
  ok(!result.ok);
  strictEqual(result.error.reason, "error");
  ok(result.error.message.includes("did not end in time"));
});
