/**
 * ServiceItem, DriverItem and ModuleItem through the real CLI: offline from a
 * mounted root and a lone SYSTEM hive built with code (an IOC that hits and
 * a near miss that does not, per document; what cannot be read is undecided,
 * never clean), and live on this Linux host (the unit files and init
 * scripts `collect service` lists are the ones the test finds itself; the
 * kernel modules where `/proc/modules` exists, unread where it does not).
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { buildSystemHive } from "../collectors/service/_service_fixtures.ts";
import { type LooseEvent, runCli } from "./_cli.ts";

/** An OpenIOC 1.1 file whose top AND holds the items (`[search, value]`). */
function iocOf(id: string, items: readonly (readonly [string, string, string?])[]): string {
  const body = items.map(([search, value, type], n) =>
    `<IndicatorItem id="${id}-${n}" condition="is" negate="false" preserve-case="false">` +
    `<Context document="${search.split("/")[0]}" search="${search}" type="mir"/>` +
    `<Content type="${type ?? "string"}">${value}</Content></IndicatorItem>`
  ).join("");
  return `<?xml version="1.0" encoding="utf-8"?>
<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="${id}" last-modified="2026-12-07T00:00:00" published-date="2026-12-07T00:00:00">
  <metadata><short_description>${id}</short_description><authored_date>2026-12-07T00:00:00</authored_date></metadata>
  <criteria><Indicator operator="AND" id="${id}-top">${body}</Indicator></criteria>
</OpenIOC>`;
}

const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");
const evilBytes = new TextEncoder().encode("MZ evil service image");
const rootkitBytes = new TextEncoder().encode("MZ rootkit driver image");

async function withImage(test: (dir: string, image: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-services-e2e-" });
  try {
    const image = join(dir, "image");
    const files: Record<string, Uint8Array> = {
      "Windows/System32/config/SYSTEM": buildSystemHive(),
      "ProgramData/Evil Co/evil.exe": evilBytes,
      "Windows/System32/drivers/rootkit.sys": rootkitBytes,
    };
    for (const [path, bytes] of Object.entries(files)) {
      await Deno.mkdir(join(image, path, ".."), { recursive: true });
      await Deno.writeFile(join(image, path), bytes);
    }
    await test(dir, image);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function writeIocs(dir: string, iocs: Record<string, string>): Promise<string> {
  const folder = join(dir, "iocs");
  await Deno.mkdir(folder, { recursive: true });
  for (const [name, text] of Object.entries(iocs)) {
    await Deno.writeTextFile(join(folder, `${name}.ioc`), text);
  }
  return folder;
}

async function scan(args: string[]) {
  const output = await runCli<LooseEvent>(["scan", ...args, "--json"]);
  const summary = output.events.find((event) => event.type === "summary");
  ok(summary !== undefined, output.stderr);
  const detected = output.events.filter((event) => event.type === "detection")
    .map((event) => event.ioc.id as string).sort();
  const undecided = (summary.incomplete ?? []).map((entry: { what: string }) => entry.what).sort();
  return { code: output.code, detected, undecided, events: output.events, stderr: output.stderr };
}

Deno.test("iocscan scan --root: ServiceItem and DriverItem IOCs hit, their near misses do not", async () => {
  await withImage(async (dir, image) => {
    const iocs = await writeIocs(dir, {
      "svc-hit": iocOf("svc-hit", [
        ["ServiceItem/name", "EvilSvc"],
        ["ServiceItem/path", "C:\\ProgramData\\Evil Co\\evil.exe"],
        ["ServiceItem/pathmd5sum", md5(evilBytes), "md5"],
      ]),
      "svc-miss": iocOf("svc-miss", [
        ["ServiceItem/name", "EvilSvc"],
        ["ServiceItem/arguments", "-k runs"],
      ]),
      "drv-hit": iocOf("drv-hit", [
        ["DriverItem/DriverName", "rootkit"],
        ["DriverItem/Md5sum", md5(rootkitBytes), "md5"],
      ]),
      "drv-miss": iocOf("drv-miss", [
        ["DriverItem/DriverName", "rootkit"],
        ["DriverItem/Md5sum", md5(evilBytes), "md5"],
      ]),
    });
    const result = await scan(["--ioc", iocs, "--root", image, "--db", join(dir, "r.db")]);
    deepStrictEqual(result.detected, ["drv-hit", "svc-hit"], result.stderr);
    deepStrictEqual(
      result.undecided,
      [],
      JSON.stringify(result.events.filter((e) => e.type === "skipped")),
    );
    strictEqual(result.code, 1);
  });
});

Deno.test("iocscan scan --hive: without the volume, image digests are undecided, names still hit", async () => {
  await withImage(async (dir, image) => {
    const iocs = await writeIocs(dir, {
      "svc-name": iocOf("svc-name", [[
        "ServiceItem/serviceDLL",
        "C:\\Windows\\System32\\netsvc.dll",
      ]]),
      "svc-digest": iocOf("svc-digest", [["ServiceItem/pathmd5sum", md5(rootkitBytes), "md5"]]),
    });
    const hive = join(image, "Windows/System32/config/SYSTEM");
    const result = await scan(["--ioc", iocs, "--hive", hive, "--db", join(dir, "r.db")]);
    deepStrictEqual(result.detected, ["svc-name"]);
    ok(
      result.undecided.some((what: string) => what.includes("svc-digest")),
      JSON.stringify(result.undecided),
    );
    strictEqual(result.code, 1);
  });
});

Deno.test("iocscan scan --hive: a hive that is not there leaves ServiceItem undecided (exit 3), never clean", async () => {
  await withImage(async (dir) => {
    const iocs = await writeIocs(dir, { "svc": iocOf("svc", [["ServiceItem/name", "Nothing"]]) });
    const result = await scan([
      "--ioc",
      iocs,
      "--hive",
      join(dir, "SYSTEM"),
      "--db",
      join(dir, "r.db"),
    ]);
    deepStrictEqual(result.detected, []);
    strictEqual(result.code, 3);
  });
});

/** The services this host's files configure, found by the test: unit file names and init scripts. */
async function hostServices(): Promise<Set<string>> {
  const names = new Set<string>();
  for (
    const folder of [
      "/etc/systemd/system",
      "/run/systemd/system",
      "/lib/systemd/system",
      "/usr/lib/systemd/system",
    ]
  ) {
    try {
      for await (const entry of Deno.readDir(folder)) {
        if (entry.name.endsWith(".service") && !entry.isDirectory) names.add(entry.name);
      }
    } catch {
      // Not on this host.
    }
  }
  try {
    for await (const entry of Deno.readDir("/etc/init.d")) if (entry.isFile) names.add(entry.name);
  } catch {
    // Not on this host.
  }
  return names;
}

Deno.test("iocscan collect service: this Linux host's unit files and init scripts, one ServiceItem each", async () => {
  if (Deno.build.os !== "linux") return;
  const expected = await hostServices();
  const output = await runCli<LooseEvent>(["collect", "service", "--json"]);
  // Images a unit names but the host lacks are skipped (their digests unknown): then exit 3.
  const skipped = output.events.filter((event) => event.type === "skipped");
  strictEqual(output.code, skipped.length === 0 ? 0 : 3, output.stderr);
  const items = output.events.filter((event) => event.type === "item");
  ok(items.every((item) => item.document === "ServiceItem"));
  deepStrictEqual(new Set(items.map((item) => item.fields.name as string)), expected);
});

Deno.test("iocscan scan: a ModuleItem IOC on this Linux host is decided only where /proc/modules exists", async () => {
  if (Deno.build.os !== "linux") return;
  const dir = await Deno.makeTempDir({ prefix: "iocscan-services-e2e-" });
  try {
    const iocs = await writeIocs(dir, {
      "mod": iocOf("mod", [["ModuleItem/ModuleName", "iocscan_no_such_module"]]),
    });
    const result = await scan(["--ioc", iocs, "--db", join(dir, "r.db")]);
    deepStrictEqual(result.detected, []);
    // The test's permissions cannot look at /proc: the engine's skip says whether it could.
    const unread = result.events.some((event) =>
      event.type === "skipped" && event.object === "/proc/modules" &&
      event.unreadDocuments?.includes("ModuleItem")
    );
    if (unread) {
      console.error("\n*** no /proc/modules on this host: the ModuleItem IOC is undecided ***\n");
    }
    strictEqual(result.code, unread ? 3 : 0, result.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
