import { deepStrictEqual } from "node:assert/strict";
import { recordedProcFs } from "../process/_recorded_proc.ts";
import { linuxModulesSource } from "./linux_source.ts";
import type { ModuleFile, ProcessModules, ProcessModulesEvent } from "./source.ts";

async function modulesOf(
  maps: string[],
  targets: Parameters<typeof recordedProcFs>[1],
): Promise<ModuleFile[]> {
  const fs = recordedProcFs({
    "/proc": { dir: ["20"] },
    "/proc/20/comm": { text: "victim\n" },
    "/proc/20/exe": { link: "/usr/bin/victim" },
    "/proc/20/maps": { text: maps.join("\n") + "\n" },
  }, targets);
  const events: ProcessModulesEvent[] = [];
  for await (const event of linuxModulesSource({ fs, selfPid: 1 }).processes()) events.push(event);
  return (events[0] as ProcessModules).files.filter((file) => file.kind === "module");
}

Deno.test("linuxModulesSource(): a module whose path now names another file (inode or device not those of the mapping) is read through map_files, never through the path", async () => {
  const files = await modulesOf([
    "7f00-7f10 r-xp 00000000 08:01 77 /usr/lib/libgood.so",
    "7e00-7e10 r-xp 00000000 08:01 78 /usr/lib/libswapped.so",
    "7d00-7d10 r-xp 00000000 08:01 79 /usr/lib/libgone.so",
    "7c00-7c10 r-xp 00000000 08:01 80 /usr/lib/libother-device.so",
  ], {
    "/usr/lib/libgood.so": { kind: "file", ino: 77, dev: 0x801 },
    "/usr/lib/libswapped.so": { kind: "file", ino: 12345, dev: 0x801 },
    "/usr/lib/libother-device.so": { kind: "file", ino: 80, dev: 0x802 },
  });
  deepStrictEqual(files.map((file) => [file.path, file.openPath, file.notAtPath === true]), [
    ["/usr/lib/libgood.so", "/usr/lib/libgood.so", false],
    ["/usr/lib/libswapped.so", "/proc/20/map_files/7e00-7e10", true],
    ["/usr/lib/libgone.so", "/proc/20/map_files/7d00-7d10", true],
    ["/usr/lib/libother-device.so", "/proc/20/map_files/7c00-7c10", true],
  ]);
});

Deno.test("linuxModulesSource(): a module name with a trailing space, or with a newline the kernel escapes as \\012, is not read as another file's", async () => {
  const files = await modulesOf([
    "7f00-7f10 r-xp 00000000 08:01 77 /tmp/lib.so ",
    "7e00-7e10 r-xp 00000000 08:01 78 /tmp/evil\\012.so",
  ], {
    // The files an attacker planted under the names iocscan would otherwise open.
    "/tmp/lib.so": { kind: "file", ino: 5, dev: 0x801 },
    "/tmp/lib.so ": { kind: "file", ino: 77, dev: 0x801 },
    "/tmp/evil\\012.so": { kind: "file", ino: 6, dev: 0x801 },
  });
  deepStrictEqual(files.map((file) => [file.path, file.openPath]), [
    ["/tmp/lib.so ", "/tmp/lib.so "],
    ["/tmp/evil\\012.so", "/proc/20/map_files/7e00-7e10"],
  ]);
});
