/**
 * The volume collector on this host through the real CLI: in a private user
 * and mount namespace (`unshare -rm`; the host's mounts are left alone), a
 * tmpfs mounted on a folder whose name holds a space is listed with its
 * size, and a scan fires a `VolumeItem/Name` IOC on it and not its near
 * miss. Without `unshare` the test reads the mounts the host has.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { cliArgs, type LooseEvent, runCli, runProgram } from "./_cli.ts";

async function canUnshare(): Promise<boolean> {
  try {
    const probe = await new Deno.Command("unshare", {
      args: ["-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"],
      stderr: "null",
    }).output();
    return probe.success;
  } catch {
    return false;
  }
}

const unshareAllowed = await canUnshare();
if (!unshareAllowed) {
  console.warn("SKIPPED volume namespace tests: unshare -rm with a tmpfs mount is not permitted");
}

/** Runs the CLI with `args` in a mount namespace where a 4 MiB tmpfs is mounted at `mountPoint`. */
function withTmpfs(mountPoint: string, args: string[]) {
  return runProgram<LooseEvent>("unshare", [
    "-rm",
    "sh",
    "-c",
    'mount -t tmpfs -o size=4m tmpfs "$0" && exec "$@"',
    mountPoint,
    Deno.execPath(),
    ...cliArgs(args),
  ], {});
}

function volumeIoc(id: string, value: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="${id}" last-modified="2026-12-01T00:00:00" published-date="2026-12-01T00:00:00">
  <metadata><short_description>${id}</short_description><authored_date>2026-12-01T00:00:00</authored_date></metadata>
  <criteria><Indicator operator="AND" id="${id}-top">
    <IndicatorItem id="${id}-1" condition="ends-with" negate="false" preserve-case="false">
      <Context document="VolumeItem" search="VolumeItem/Name" type="mir"/>
      <Content type="string">${value}</Content>
    </IndicatorItem>
    <IndicatorItem id="${id}-2" condition="is" negate="false" preserve-case="false">
      <Context document="VolumeItem" search="VolumeItem/FileSystemName" type="mir"/>
      <Content type="string">tmpfs</Content>
    </IndicatorItem>
  </Indicator></criteria>
</OpenIOC>`;
}

Deno.test({
  name: "iocscan collect volume: a tmpfs on a folder with a space in its name, with its size",
  ignore: !unshareAllowed,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "iocscan-volume-" });
    try {
      const mountPoint = join(dir, "usb stick");
      await Deno.mkdir(mountPoint);
      const output = await withTmpfs(mountPoint, ["collect", "volume", "--json"]);
      strictEqual(output.code, 0, output.stderr);
      const item = output.events.find((event) =>
        event.type === "item" && event.fields.Name === mountPoint
      );
      ok(item, `no volume at ${mountPoint}: ${output.stdout.slice(0, 2000)}`);
      deepStrictEqual(
        [
          item.fields.FileSystemName,
          item.fields.Type,
          item.fields.TotalSize,
          item.fields.IsMounted,
        ],
        ["tmpfs", "DRIVE_RAMDISK", 4 * 1024 * 1024, true],
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "iocscan scan: a VolumeItem IOC fires on the mounted volume, its near miss does not",
  ignore: !unshareAllowed,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "iocscan-volume-" });
    try {
      const mountPoint = join(dir, "exfil drive");
      await Deno.mkdir(mountPoint);
      await Deno.mkdir(join(dir, "iocs"));
      await Deno.writeTextFile(
        join(dir, "iocs", "hit.ioc"),
        volumeIoc("exfil-mount", "/exfil drive"),
      );
      await Deno.writeTextFile(
        join(dir, "iocs", "miss.ioc"),
        volumeIoc("exfil-mount-2", "/exfil drive2"),
      );
      const output = await withTmpfs(mountPoint, [
        "scan",
        "--ioc",
        join(dir, "iocs"),
        "--db",
        join(dir, "results.db"),
        "--json",
      ]);
      const ids = output.events.filter((event) => event.type === "detection").map((event) =>
        event.ioc.id
      );
      deepStrictEqual(ids, ["exfil-mount"], output.stderr);
      strictEqual(output.code, 1, output.stderr);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("iocscan collect volume: the host's own mounts, the root among them", async () => {
  const output = await runCli<LooseEvent>(["collect", "volume", "--json"]);
  strictEqual(output.code, 0, output.stderr);
  ok(output.events.some((event) => event.type === "item" && event.fields.Name === "/"));
});
