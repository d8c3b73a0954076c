import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { corpusDir } from "../../tests/corpus.ts";
import type { Collector } from "../collector.ts";
import { recordedCommand } from "../live/mod.ts";
import { buildSoftware, buildSystem, recordedLinuxHost } from "./_system_fixtures.ts";
import { createSystemCollector } from "./collector.ts";
import {
  cpuModelOf,
  denoLinuxHost,
  linuxSystemSource,
  parseOsRelease,
  zoneOfLink,
} from "./linux_source.ts";
import { systemTermPaths } from "./system_info.ts";
import { cimSystemSource } from "./windows_cim.ts";

const observation = { time: "2026-12-07T04:10:48.607Z", computer: "host1" };

async function collect(collector: Collector) {
  const items: ObservedItem[] = [];
  const skips: { reason: string; unreadDocuments?: readonly string[]; detail?: string }[] = [];
  const reporter = {
    skipped: (s: (typeof skips)[number]) => skips.push(s),
    warning() {},
    progress() {},
  };
  for await (const item of collector.collect({ needs: new Map(), reporter })) items.push(item);
  return { items, skips };
}

/** Every catalogue term of SystemInfoItem is a field of the object or named unevaluated. */
function assertEveryTermAccounted(item: ObservedItem): void {
  const unevaluated = new Set(Object.keys(item.unevaluated ?? {}));
  const fields = item.fields as Record<string, unknown>;
  for (const path of systemTermPaths()) {
    const [head] = path.split("/");
    ok(fields[head!] !== undefined || unevaluated.has(path), `${path}: neither read nor explained`);
  }
}

Deno.test("parseOsRelease, cpuModelOf, zoneOfLink: the Linux files as written", () => {
  const values = parseOsRelease('NAME="Debian GNU/Linux"\nVERSION_ID=12\n# c\nX=\'a \\"b\\"\'\n');
  deepStrictEqual([...values], [["NAME", "Debian GNU/Linux"], ["VERSION_ID", "12"], [
    "X",
    'a "b"',
  ]]);
  strictEqual(cpuModelOf("processor : 0\nmodel name\t: AMD EPYC 7B13\n"), "AMD EPYC 7B13");
  strictEqual(cpuModelOf("Hardware : BCM2835\n"), "BCM2835");
  strictEqual(zoneOfLink("../usr/share/zoneinfo/Europe/Berlin"), "Europe/Berlin");
  strictEqual(zoneOfLink("/etc/zone"), undefined);
});

Deno.test("system collector (Linux, recorded host): one object with every field read", async () => {
  const { items, skips } = await collect(
    createSystemCollector({
      source: linuxSystemSource(recordedLinuxHost()),
      observe: () => observation,
    }),
  );
  deepStrictEqual(skips, []);
  strictEqual(items.length, 1);
  const item = items[0]!;
  strictEqual(item.key, "vm");
  deepStrictEqual(item.fields, {
    hostname: "vm",
    machine: "vm",
    platform: "Linux",
    date: "2026-12-07T04:10:48.607Z",
    kernelVersion: "6.18.44-fc-v1300",
    uptime: 10148,
    totalphysical: 25276182528,
    availphysical: 24386097152,
    OSbitness: "64-bit",
    OS: "Debian GNU/Linux 12 (bookworm)",
    productName: "Debian GNU/Linux",
    buildNumber: "12",
    processor: "AMD EPYC",
    timezone: "Etc/UTC",
    user: "root",
    loggedOnUser: "analyst",
    primaryIpAddress: "192.0.2.2",
    primaryIpv4Address: "192.0.2.2",
    primaryIpv6Address: "fd00::2",
    MAC: "02:fc:00:00:00:01",
    networkArray: {
      networkInfo: [
        {
          adapter: "lo",
          ipArray: {
            ipInfo: [{ ipAddress: "127.0.0.1", subnetMask: "255.0.0.0" }, { ipv6Address: "::1" }],
          },
        },
        {
          adapter: "eth0",
          MAC: "02:fc:00:00:00:01",
          ipArray: {
            ipInfo: [{ ipAddress: "192.0.2.2", subnetMask: "255.255.255.0" }, {
              ipv6Address: "fd00::2",
            }],
          },
          ipGatewayArray: { ipGateway: ["192.0.2.1", "fd00::1"] },
        },
      ],
    },
  });
  strictEqual(item.unevaluated?.domain, "the host name has no DNS domain and no NIS domain is set");
  strictEqual(item.unevaluated?.installDate, "Linux records no install date");
  assertEveryTermAccounted(item);
});

Deno.test("system collector (Linux): a file that cannot be read leaves its fields unevaluated with the reason", async () => {
  const host = recordedLinuxHost({ "/etc/os-release": undefined });
  const { items } = await collect(
    createSystemCollector({ source: linuxSystemSource(host), observe: () => observation }),
  );
  const item = items[0]!;
  strictEqual(item.fields.OS, undefined);
  ok(item.unevaluated?.OS?.includes("/etc/os-release: "), item.unevaluated?.OS);
  ok(item.unevaluated?.OS?.includes("/usr/lib/os-release: "));
  assertEveryTermAccounted(item);
});

Deno.test("system collector (hives built by code): SOFTWARE's CurrentVersion and SYSTEM's current control set", async () => {
  const folder = await Deno.makeTempDir();
  try {
    await Deno.writeFile(join(folder, "SOFTWARE"), buildSoftware());
    await Deno.writeFile(join(folder, "SYSTEM"), buildSystem());
    const { items, skips } = await collect(
      createSystemCollector({
        hives: [join(folder, "SOFTWARE"), join(folder, "SYSTEM")],
        observe: () => observation,
      }),
    );
    deepStrictEqual(skips, []);
    strictEqual(items.length, 1);
    const item = items[0]!;
    strictEqual(item.key, "WKS-EVIL01");
    deepStrictEqual(item.fields, {
      platform: "Windows",
      productName: "Windows 10 Pro",
      OS: "Windows 10 Pro",
      buildNumber: "19045",
      patchLevel: "22H2",
      productID: "00330-80000-00000-AA123",
      regOwner: "Evil Corp IT",
      regOrg: "Evil Corp",
      directory: "C:\\Windows",
      installDate: "2024-02-03T04:05:06.000Z",
      hostname: "WKS-EVIL01",
      machine: "WKS-EVIL01",
      timezone: "W. Europe Standard Time",
      OSbitness: "64-bit",
      processor: "Intel64 Family 6 Model 158 Stepping 10",
      domain: "corp.example",
      primaryIpAddress: "10.3.58.5",
      primaryIpv4Address: "10.3.58.5",
      networkArray: {
        networkInfo: [
          {
            adapter: "{11111111-1111-1111-1111-111111111111}",
            ipArray: { ipInfo: [{ ipAddress: "10.3.58.5", subnetMask: "255.255.255.0" }] },
            ipGatewayArray: { ipGateway: ["10.3.58.1"] },
          },
          {
            adapter: "{22222222-2222-2222-2222-222222222222}",
            ipArray: { ipInfo: [{ ipAddress: "192.168.1.50", subnetMask: "255.255.255.0" }] },
            ipGatewayArray: { ipGateway: ["192.168.1.1"] },
          },
        ],
      },
    });
    strictEqual(item.provenance?.source, join(folder, "SYSTEM"));
    strictEqual(item.provenance?.computer, "WKS-EVIL01");
    strictEqual(item.unevaluated?.uptime, "an image is not running");
    assertEveryTermAccounted(item);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("system collector: offline evidence without SOFTWARE or SYSTEM is a skip naming SystemInfoItem", async () => {
  const folder = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(folder, "SYSTEM"), "not a hive");
    const { items, skips } = await collect(
      createSystemCollector({ hives: [join(folder, "SYSTEM")], observe: () => observation }),
    );
    deepStrictEqual(items, []);
    deepStrictEqual(skips.map((s) => [s.reason, s.unreadDocuments]), [[
      "source-unavailable",
      ["SystemInfoItem"],
    ]]);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("system collector (corpus SYSTEM): name, zone and interfaces as reglookup reads them", async () => {
  const dir = corpusDir("registry");
  if (dir === undefined) return;
  const folder = await Deno.makeTempDir();
  try {
    const system = join(folder, "SYSTEM");
    const unpacked = new Deno.Command("xz", {
      args: ["-dc", join(dir, "regipy", "SYSTEM.xz")],
      stdout: "piped",
    }).outputSync();
    ok(unpacked.success);
    await Deno.writeFile(system, unpacked.stdout);
    const lookup = (path: string) =>
      new TextDecoder().decode(
        new Deno.Command("reglookup", { args: ["-H", "-p", path, system] }).outputSync().stdout,
      ).split("\n").filter((line) => line !== "");
    const name = lookup("/ControlSet001/Control/ComputerName/ComputerName/ComputerName")[0]!
      .split(",")[2];
    const interfaces = lookup("/ControlSet001/services/Tcpip/Parameters/Interfaces").filter(
      (line) => /Interfaces\/[^/]+,KEY,/.test(line),
    );
    const { items } = await collect(
      createSystemCollector({ hives: [system], observe: () => observation }),
    );
    strictEqual(items.length, 1);
    const item = items[0]!;
    strictEqual(item.fields.hostname, name);
    strictEqual(item.fields.hostname, "WKS-WIN732BITA");
    strictEqual(item.fields.timezone, "Eastern Standard Time");
    const networks = (item.fields.networkArray as { networkInfo: unknown[] }).networkInfo;
    strictEqual(networks.length, interfaces.length);
    strictEqual(item.fields.primaryIpAddress, "10.3.58.5");
    ok(item.unevaluated?.productName?.includes("no SOFTWARE hive"));
    assertEveryTermAccounted(item);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("system collector (Windows CIM, recorded JSON): the pipeline's object as a SystemInfoItem", async () => {
  const recorded = JSON.stringify({
    Caption: "Microsoft Windows 11 Pro",
    Version: "10.0.22631",
    BuildNumber: "22631",
    OSArchitecture: "64-bit",
    CSDVersion: null,
    InstallDate: "2024-02-03T04:05:06.0000000Z",
    LastBootUpTime: "2026-12-07T03:10:48.0000000Z",
    LocalDateTime: "2026-12-07T04:10:48.0000000Z",
    TotalVisibleMemorySize: 16777216,
    FreePhysicalMemory: 8388608,
    WindowsDirectory: "C:\\WINDOWS",
    SerialNumber: "00330-80000-00000-AA123",
    Name: "WKS-EVIL01",
    Domain: "corp.example",
    UserName: "CORP\\analyst",
    Processor: "Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz",
    TimeZone: "W. Europe Standard Time",
    RegisteredOwner: "Evil Corp IT",
    RegisteredOrganization: "Evil Corp",
    ProductId: "00330-80000-00000-AA123",
    DisplayVersion: "23H2",
    Adapters: [{
      Description: "Intel(R) Ethernet Connection (7) I219-V",
      Index: 7,
      MACAddress: "3C-7C-3F-00-00-01",
      IPAddress: ["10.3.58.5", "fe80::1234"],
      IPSubnet: ["255.255.255.0", "64"],
      DefaultIPGateway: ["10.3.58.1"],
    }],
  });
  const source = cimSystemSource({
    runner: recordedCommand(recorded),
    now: () => new Date("2026-12-07T04:10:48.000Z"),
  });
  const { items } = await collect(createSystemCollector({ source, observe: () => observation }));
  const item = items[0]!;
  strictEqual(item.key, "WKS-EVIL01");
  strictEqual(item.fields.uptime, 3600);
  strictEqual(item.fields.totalphysical, 16777216 * 1024);
  strictEqual(item.fields.loggedOnUser, "CORP\\analyst");
  strictEqual(item.fields.patchLevel, "23H2");
  strictEqual(item.fields.MAC, "3c:7c:3f:00:00:01");
  deepStrictEqual(item.fields.networkArray, {
    networkInfo: [{
      adapter: "7",
      description: "Intel(R) Ethernet Connection (7) I219-V",
      MAC: "3c:7c:3f:00:00:01",
      ipArray: {
        ipInfo: [{ ipAddress: "10.3.58.5", subnetMask: "255.255.255.0" }, {
          ipv6Address: "fe80::1234",
        }],
      },
      ipGatewayArray: { ipGateway: ["10.3.58.1"] },
    }],
  });
  strictEqual(item.fields.primaryIpv6Address, "fe80::1234");
  assertEveryTermAccounted(item);
});

Deno.test("system collector (Linux, live host): a file past its cap (utmp, passwd) is an error, not its first part read as the whole", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const file = join(folder, "utmp");
    await Deno.writeFile(file, new Uint8Array(1000).fill(0x41));
    // Who is logged on past the cap would be silently missing: loggedOnUser must be unevaluated.
    let bytesError: unknown;
    await denoLinuxHost.readBytes(file, 100).catch((error) => (bytesError = error));
    ok(bytesError instanceof Error && bytesError.message.includes("100"), String(bytesError));
    let textError: unknown;
    await denoLinuxHost.readText(file, 100).catch((error) => (textError = error));
    ok(textError instanceof Error && textError.message.includes("100"), String(textError));
    strictEqual((await denoLinuxHost.readBytes(file, 1000)).length, 1000);
    strictEqual((await denoLinuxHost.readText(file, 1000)).length, 1000);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
