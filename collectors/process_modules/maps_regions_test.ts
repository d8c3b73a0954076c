import { deepStrictEqual } from "node:assert/strict";
import { deviceNumber, executableRegions } from "./maps_regions.ts";

Deno.test("executableRegions() tells file-backed, deleted, memfd and anonymous executable mappings, leaving out the kernel's code", () => {
  const maps = [
    "55d0-55d1 r--p 00000000 08:01 12 /usr/bin/sleep",
    "55d1-55d3 r-xp 00001000 08:01 12 /usr/bin/sleep",
    "7f00-7f10 r-xp 00000000 08:01 34 /tmp/a b/lib evil.so (deleted)",
    "7e00-7e01 rwxp 00000000 00:00 0 ",
    "7d00-7d02 r-xp 00000000 00:01 99 /memfd:payload (deleted)",
    "7c00-7c01 rwxp 00000000 00:00 0 [heap]",
    "7b00-7b03 rwxs 00000000 00:01 5145 /dev/zero (deleted)",
    "7ff0-7ff2 r-xp 00000000 00:00 0 [vdso]",
    "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]",
    "garbage",
  ].join("\n");
  deepStrictEqual(executableRegions(maps), [
    {
      start: "55d1",
      end: "55d3",
      size: 2,
      perms: "r-xp",
      backing: "file",
      path: "/usr/bin/sleep",
      device: "08:01",
      inode: 12,
    },
    {
      start: "7f00",
      end: "7f10",
      size: 16,
      perms: "r-xp",
      backing: "file",
      path: "/tmp/a b/lib evil.so",
      device: "08:01",
      inode: 34,
      deleted: true,
    },
    { start: "7e00", end: "7e01", size: 1, perms: "rwxp", backing: "anonymous" },
    {
      start: "7d00",
      end: "7d02",
      size: 2,
      perms: "r-xp",
      backing: "file",
      path: "/memfd:payload",
      device: "00:01",
      inode: 99,
      deleted: true,
    },
    { start: "7c00", end: "7c01", size: 1, perms: "rwxp", backing: "anonymous", label: "[heap]" },
    {
      start: "7b00",
      end: "7b03",
      size: 3,
      perms: "rwxs",
      backing: "anonymous",
      label: "/dev/zero (deleted)",
    },
  ]);
});

Deno.test("deviceNumber() encodes major:minor as stat's st_dev (glibc)", () => {
  deepStrictEqual(
    ["08:01", "fe:00", "103:1a2"].map(deviceNumber),
    [0x801, 0xfe00, (0x1a2 & 0xff) + 0x103 * 256 + (0x1a2 >> 8) * 2 ** 20],
  );
});
