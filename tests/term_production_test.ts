/**
 * The catalogue's `coverage` (openioc/term_catalogue.ts) checked against what
 * the collectors really emit, so it cannot drift: every term marked
 * `produced` is filled by its collector on a fixture that has the data, and
 * no term marked `not-produced` is ever filled. A term wrongly marked
 * produced would read as a missing field, and a negated item on it would
 * hold on every object: a false detection.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { createFileCollector } from "../collectors/file/mod.ts";
import { toEventLogItem } from "../collectors/eventlog/event_log_item.ts";
import { hxEventDocuments, toHxEvent } from "../collectors/eventlog/hx_events.ts";
import type { WindowsEvent } from "../collectors/eventlog/windows_event.ts";
import { createRegistryCollector } from "../collectors/registry/collector.ts";
import { dnsCacheItem, sysmonDnsItem } from "../collectors/network/mod.ts";
import { createPortCollector } from "../collectors/port/mod.ts";
import { windowsRowsToRecords } from "../collectors/port/windows_records.ts";
import { encodeTable } from "../windows/layouts/_tcp_table_encoder.ts";
import { decodeTcpTable, decodeUdpTable } from "../windows/layouts/tcp_table_rows.ts";
import { recordedCommand } from "../collectors/live/mod.ts";
import { createAutorunsCollector, posixImageLocator } from "../collectors/autoruns/mod.ts";
import {
  createProcessCollector,
  linuxProcessSource,
  type ProcessSource,
} from "../collectors/process/mod.ts";
import { recordedProcFs, statLine, statusText } from "../collectors/process/_recorded_proc.ts";
import { ProcessMemory, readPortLists } from "../collectors/process/mod.ts";
import { heapRegion, recordedMemorySource } from "../collectors/process/memory/_recorded_memory.ts";
import type { MemoryRegion } from "../collectors/process/memory/mod.ts";
import { parseIoc } from "../openioc/parse_ioc.ts";
import { createUrlHistoryCollector, urlHistoryDocuments } from "../collectors/url_history/mod.ts";
import { writeChromiumHistory } from "../collectors/url_history/_browser_databases.ts";
import {
  toVolumeItem,
  volumeDocuments,
  type WindowsVolumeApi,
  windowsVolumeRecords,
} from "../collectors/volume/mod.ts";
import { ioc11, item11, utf8 } from "../openioc/_ioc_fixtures.ts";
import type { ObservedItem } from "../contracts/observed_item.ts";
import { allTerms, implementedCollectors, type TermDefinition } from "../openioc/term_catalogue.ts";
import {
  attribute,
  certificate,
  name,
  signedData,
  utf8String,
  winCertificate,
} from "../formats/pe/_testing/der_builder.ts";
import { buildPe } from "../formats/pe/_testing/pe_builder.ts";
import { buildHive, utf16z, ValueType } from "../formats/regf/mod.ts";
import { parseResolvedText, recordsOfEntry, toDnsItem } from "../collectors/dns/mod.ts";
import { arpEntryOfIpJson, arpEntryOfRow, toArpItem } from "../collectors/arp/mod.ts";
import { routeEntryOfIpJson, routeEntryOfRow, toRouteItem } from "../collectors/route/mod.ts";
import {
  createTaskCollector,
  imageFileOpener,
  linuxTaskSource,
  windowsTaskSource,
} from "../collectors/task/mod.ts";
import { mountHiveFiles } from "../collectors/registry/mod.ts";
import { systemHiveWithCache } from "../collectors/registry/_shim_cache_fixtures.ts";
import { buildShimCache } from "../formats/shimcache/_shimcache_builder.ts";
import {
  linuxJobs,
  taskCacheHive,
  taskXml,
  utf16WithBom,
  writeTree,
} from "../collectors/task/_task_fixtures.ts";
import { walkCacheEntries, walkDnsRecords } from "../windows/layouts/dns_cache_records.ts";
import { FakeMemory } from "../windows/layouts/_dns_cache_memory.ts";
import {
  accountOfUserInfo,
  createUserCollector,
  linuxUserSource,
  toUserItem,
} from "../collectors/user/mod.ts";
import { buildLinuxRoot, buildSam } from "../collectors/user/_user_fixtures.ts";
import {
  cimSystemSource,
  createSystemCollector,
  linuxSystemSource,
} from "../collectors/system/mod.ts";
import {
  buildSoftware,
  buildSystem,
  recordedLinuxHost,
} from "../collectors/system/_system_fixtures.ts";
import { decodeIpForwardTable2, decodeIpNetTable2 } from "../windows/layouts/ip_helper_rows.ts";
import {
  createServiceCollector,
  hiveServiceSource,
  windowsServiceSource,
} from "../collectors/service/mod.ts";
import { buildSystemHive } from "../collectors/service/_service_fixtures.ts";
import {
  createDriverCollector,
  type DriverSource,
  hiveDriverSource,
  linuxDriverSource,
} from "../collectors/driver/mod.ts";
import type { Collector } from "../collectors/collector.ts";
import { diskDocuments, type DiskEntry, toDiskItem } from "../collectors/disk/mod.ts";
import { byteSourceFromBytes } from "../formats/byte_source.ts";
import { parsePartitionTable, readVolumeBootRecords } from "../formats/partition_table/mod.ts";
import { sampleGptImage, sampleMbrImage } from "../formats/partition_table/_image_builder.ts";
import {
  encodeIpForwardTable2,
  encodeIpNetTable2,
  luidOf,
} from "../windows/layouts/_ip_helper_encode.ts";

/** Every leaf path of an object's fields, lower-cased `document/a/b`. */
function leafPaths(item: ObservedItem, out: Set<string>): void {
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      for (const element of value) walk(element, path);
    } else if (value !== null && typeof value === "object" && !(value instanceof Date)) {
      for (const [key, child] of Object.entries(value)) walk(child, `${path}/${key}`);
    } else if (value !== undefined) {
      out.add(path.toLowerCase());
    }
  };
  walk(item.fields, item.document);
}

function termsOf(documents: readonly string[]): TermDefinition[] {
  const wanted = new Set(documents.map((document) => document.toLowerCase()));
  return allTerms().filter((term) => wanted.has(term.document.toLowerCase()));
}

/**
 * Asserts the coverage of `terms` against the paths seen. `unavailable` names
 * produced terms this machine cannot show (a birth time the file system does
 * not record).
 */
function assertCoverage(
  terms: readonly TermDefinition[],
  seen: ReadonlySet<string>,
  unavailable: ReadonlySet<string> = new Set(),
): void {
  const key = (term: TermDefinition) => term.search.toLowerCase();
  const missing = terms.filter((term) =>
    term.coverage === "produced" && !seen.has(key(term)) && !unavailable.has(key(term))
  ).map((term) => term.search);
  deepStrictEqual(missing, [], "terms marked produced that the collector did not fill");
  const filled = terms.filter((term) => term.coverage !== "produced" && seen.has(key(term)))
    .map((term) => term.search);
  deepStrictEqual(filled, [], "terms marked not produced that the collector filled");
}

Deno.test("term catalogue: only the implemented collectors' terms are produced", () => {
  for (const term of allTerms()) {
    const exists = implementedCollectors.includes(term.collector);
    ok(exists || term.coverage === "no-collector", term.search);
    ok(!exists || term.coverage !== "no-collector", term.search);
  }
});

/** A signed 64-bit DLL with imports, exports, version and resources: every PEInfo field. */
function fixturePe(): Uint8Array {
  const issuer = name([[attribute.CN, utf8String("Fixture CA")]]);
  const subject = name([[attribute.CN, utf8String("Fixture Signer")]]);
  const serial = Uint8Array.of(1, 2, 3);
  return buildPe({
    bits: 64,
    dll: true,
    subsystem: 2,
    timeDateStamp: Date.UTC(2020, 0, 2) / 1000,
    imports: [{ name: "KERNEL32.dll", functions: ["CreateFileW"] }],
    exports: {
      dllName: "fixture.dll",
      names: ["Run"],
      timeDateStamp: Date.UTC(2020, 0, 3) / 1000,
    },
    version: {
      "040904B0": Object.fromEntries(
        [
          "Comments",
          "CompanyName",
          "FileDescription",
          "FileVersion",
          "InternalName",
          "LegalCopyright",
          "LegalTrademarks",
          "OriginalFilename",
          "PrivateBuild",
          "ProductName",
          "ProductVersion",
          "SpecialBuild",
        ].map((field) => [field, `${field} text`]),
      ),
    },
    resources: [{ type: "PAYLOAD", name: "CONFIG", language: 0x0409, data: new Uint8Array(8) }],
    certificateTable: winCertificate(
      signedData([certificate({ serial, issuer, subject })], { issuer, serial }),
    ),
  }).bytes;
}

Deno.test("term catalogue: FileItem coverage is what the file collector emits", async () => {
  const root = await Deno.makeTempDir({ prefix: "iocscan-production-" });
  try {
    const pe = fixturePe();
    const file = join(root, "fixture.dll");
    await Deno.writeFile(file, pe);

    const terms = termsOf(["FileItem"]);
    const needs = new Map([["FileItem", new Set(terms.map((term) => term.path[0]!))]]);
    const reporter = { skipped() {}, warning() {}, progress() {} };
    const seen = new Set<string>();
    // Scanned live and as a mounted image (`--root`): `Drive` exists only for drive-letter
    // paths, which a Linux scope does not have, and `Username` only outside an image (the
    // mount's owner is not the Windows owner).
    for (
      const collector of [
        createFileCollector({ scopes: [{ path: root }], hashWorkers: 0 }),
        createFileCollector({ roots: [{ path: root, drive: "C:" }], hashWorkers: 0 }),
      ]
    ) {
      for await (const item of collector.collect({ needs, reporter })) {
        const loaded = item.lazy ? await item.lazy.load([...needs.get("FileItem")!]) : {};
        leafPaths({ ...item, fields: { ...item.fields, ...loaded } }, seen);
      }
    }
    const info = await Deno.stat(file);
    const unavailable = new Set([
      ...(info.birthtime ? [] : ["fileitem/created"]),
      ...(info.ctime ? [] : ["fileitem/changed"]),
    ]);
    assertCoverage(terms, seen, unavailable);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("term catalogue: RegistryItem coverage is what the registry collector emits", async () => {
  const root = await Deno.makeTempDir({ prefix: "iocscan-production-" });
  try {
    const sid = "S-1-5-21-1-2-3-1001";
    const config = join(root, "Windows", "System32", "config");
    await Deno.mkdir(config, { recursive: true });
    const key = (names: string[], leaf: Record<string, unknown>): Record<string, unknown> => {
      const [first, ...rest] = names;
      return rest.length === 0
        ? { name: first, ...leaf }
        : { name: first, subkeys: [key(rest, leaf)] };
    };
    const software = {
      name: "ROOT",
      subkeys: [
        key(["Microsoft", "Windows NT", "CurrentVersion", "ProfileList", sid], {
          values: [{
            name: "ProfileImagePath",
            type: ValueType.REG_SZ,
            data: utf16z("C:\\Users\\alice"),
          }],
        }),
      ],
    };
    await Deno.writeFile(join(config, "SOFTWARE"), buildHive(software as never).bytes);
    const home = join(root, "Users", "alice");
    await Deno.mkdir(home, { recursive: true });
    const ntuser = {
      name: "ROOT",
      subkeys: [
        key(["Software", "Microsoft", "Windows", "CurrentVersion", "Run"], {
          values: [{ name: "Evil", type: ValueType.REG_SZ, data: utf16z("C:\\evil.exe") }],
        }),
      ],
    };
    await Deno.writeFile(join(home, "NTUSER.DAT"), buildHive(ntuser as never).bytes);
    // The ShimCache record comes from SYSTEM's AppCompatCache when an IOC needs it.
    const cache = buildShimCache("win7-x64", [
      { path: "C:\\Temp\\evil.exe", modified: new Date("2021-01-01T00:00:00Z"), flags: 2 },
    ]);
    await Deno.writeFile(join(config, "SYSTEM"), systemHiveWithCache(cache));

    const collector = createRegistryCollector({ live: false, roots: [root], registryFull: true });
    const reporter = { skipped() {}, warning() {}, progress() {} };
    const seen = new Set<string>();
    const needs = new Map([["RegistryItem", new Set(["ShimCache"])]]);
    for await (const item of collector.collect({ needs, reporter })) {
      leafPaths(item, seen);
    }
    assertCoverage(termsOf(["RegistryItem"]), seen);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("term catalogue: EventLogItem and HX event coverage is what the eventlog mappings emit", () => {
  const base = (eventId: number, provider: string, data: [string, string][]): WindowsEvent => ({
    channel: "Microsoft-Windows-Sysmon/Operational",
    provider,
    eventId,
    qualifiers: 0,
    version: 5,
    level: 4,
    task: 1,
    opcode: 0,
    keywords: "0x8000000000000000",
    timeCreated: "2020-01-02T03:04:05.000Z",
    writtenTime: "2020-01-02T03:04:05.000Z",
    recordId: 7,
    computer: "host",
    userId: "S-1-5-18",
    processId: 100,
    threadId: 200,
    activityId: "{00000000-0000-0000-0000-000000000001}",
    relatedActivityId: "{00000000-0000-0000-0000-000000000002}",
    data: data.map(([name, value]) => ({ name, value })),
    message: "a message",
    levelName: "Information",
    taskName: "Process Create",
    origin: "fixture.evtx",
  });
  const sysmon = "Microsoft-Windows-Sysmon";
  const common: [string, string][] = [
    ["UtcTime", "2020-01-02 03:04:05.000"],
    ["Image", "C:\\Windows\\cmd.exe"],
    ["ProcessId", "42"],
    ["User", "HOST\\alice"],
    [
      "Hashes",
      "MD5=0123456789ABCDEF0123456789ABCDEF,SHA1=" + "a".repeat(40) + ",SHA256=" + "b".repeat(64),
    ],
  ];
  const events: WindowsEvent[] = [
    base(1, sysmon, [
      ...common,
      ["CommandLine", "cmd /c x"],
      ["ParentImage", "C:\\Windows\\explorer.exe"],
      ["ParentProcessId", "4"],
    ]),
    base(7, sysmon, [...common, ["ImageLoaded", "C:\\Windows\\x.dll"]]),
    base(11, sysmon, [...common, ["TargetFilename", "C:\\Temp\\drop.exe"]]),
    base(13, sysmon, [
      ...common,
      ["EventType", "SetValue"],
      ["TargetObject", "HKLM\\SOFTWARE\\Run\\Evil"],
      ["Details", "C:\\evil.exe"],
    ]),
    // A DWORD set: the one kind of Details (with QWORD) that spells the value type.
    base(13, sysmon, [
      ...common,
      ["EventType", "SetValue"],
      ["TargetObject", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\x\\Start"],
      ["Details", "DWORD (0x00000002)"],
    ]),
    base(22, sysmon, [...common, ["QueryName", "evil.example"]]),
    base(3, sysmon, [
      ...common,
      ["Protocol", "tcp"],
      ["Initiated", "true"],
      ["SourceIsIpv6", "false"],
      ["SourceIp", "10.0.0.1"],
      ["SourcePort", "5000"],
      ["DestinationIp", "192.0.2.1"],
      ["DestinationPort", "443"],
    ]),
  ];
  const seen = new Set<string>();
  for (const event of events) {
    leafPaths(toEventLogItem(event), seen);
    const hx = toHxEvent(event);
    ok(hx !== undefined, `event ${event.eventId} maps to no HX document`);
    leafPaths(hx, seen);
  }
  assertCoverage(termsOf(["EventLogItem", ...hxEventDocuments]), seen);
});

Deno.test("term catalogue: Network coverage is what the endpoint-network collector emits", () => {
  const seen = new Set<string>();
  const query = sysmonDnsItem({
    channel: "Microsoft-Windows-Sysmon/Operational",
    provider: "Microsoft-Windows-Sysmon",
    eventId: 22,
    recordId: 1,
    origin: "x.evtx",
    data: [
      { name: "QueryName", value: "evil.example" },
      { name: "QueryResults", value: "type:  5 edge.example;::ffff:192.0.2.1;" },
    ],
  });
  ok(query !== undefined);
  leafPaths(query, seen);
  leafPaths(dnsCacheItem({ name: "evil.example", observed: "2024-01-01T00:00:00Z" }, "h"), seen);
  assertCoverage(termsOf(["Network"]), seen);
});

Deno.test("term catalogue: PortItem coverage is what the port collector emits", async () => {
  // A Windows TCP row (the only source with every term: Linux records no CreationTime) and
  // a UDP row, through the collector.
  const rows = [
    ...decodeTcpTable(
      encodeTable("tcp", "ipv6", [{
        local: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        localPort: 49812,
        remote: [0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9],
        remotePort: 443,
        state: 5,
        pid: 4242,
        created: "2026-12-07T01:02:03.000Z",
      }]),
      "ipv6",
    ).rows,
    ...decodeUdpTable(
      encodeTable("udp", "ipv4", [{ local: [0, 0, 0, 0], localPort: 53, pid: 4242 }]),
      "ipv4",
    ).rows,
  ];
  const ports = windowsRowsToRecords(
    rows,
    () => ({ imagePath: "C:\\Windows\\System32\\evil.exe" }),
    "2026-12-07T03:00:00.000Z",
  );
  const collector = createPortCollector({
    source: {
      name: "recorded",
      read: () => Promise.resolve({ ports, skips: [], warnings: [], stats: {} }),
    },
    computer: "fixture",
  });
  const reporter = { skipped() {}, warning() {}, progress() {} };
  const seen = new Set<string>();
  for await (const item of collector.collect({ needs: new Map(), reporter })) {
    leafPaths(item, seen);
  }
  assertCoverage(termsOf(["PortItem"]), seen);
});

Deno.test("term catalogue: DnsEntryItem, ArpEntryItem and RouteEntryItem coverage is what the host-table collectors emit", () => {
  const observation = { time: "2026-12-07T03:00:00.000Z", computer: "host1" };
  const seen = new Set<string>();
  const note = (item: ObservedItem) => leafPaths(item, seen);

  // DnsEntryItem: the Windows cache walk (TTL, flags, data lengths, every data kind) and
  // systemd-resolved's text.
  const memory = new FakeMemory();
  const first = memory.cacheList([{ name: "www.evil.com", type: 1, flags: 1 }]);
  const answer = memory.recordList([
    { name: "www.evil.com", type: 5, ttl: 1, section: 1, data: { host: "cdn.evil.net" } },
    { name: "cdn.evil.net", type: 1, ttl: 1, section: 1, data: { ipv4: [1, 2, 3, 4] } },
    { name: "cdn.evil.net", type: 28, ttl: 1, section: 1, data: { ipv6: Array(16).fill(1) } },
    { name: "cdn.evil.net", type: 16, ttl: 1, section: 1, data: { strings: ["text"] } },
  ]);
  for (const entry of walkCacheEntries(first, memory, 10).entries) {
    for (const record of recordsOfEntry(entry, () => walkDnsRecords(answer, memory, 10))) {
      note(toDnsItem(record, observation));
    }
  }
  for (const record of parseResolvedText("a.test IN A 10.0.0.1\n")) {
    note(toDnsItem(record, observation));
  }
  assertCoverage(termsOf(["DnsEntryItem"]), seen);

  // ArpEntryItem: ip -j neigh (v4 and an NDP router) and a decoded MIB_IPNET_ROW2.
  const links = new Map([["v0", "ether"]]);
  for (
    const object of [
      { dst: "10.0.0.7", dev: "v0", lladdr: "02:00:00:00:00:07", state: ["REACHABLE"] },
      { dst: "fe80::1", dev: "v0", lladdr: "02:00:00:00:00:08", router: null, state: ["STALE"] },
    ]
  ) note(toArpItem(arpEntryOfIpJson(object, links)!, observation));
  const neighbours = decodeIpNetTable2(encodeIpNetTable2([{
    address: "10.0.0.8",
    interfaceIndex: 1,
    luid: luidOf(6, 1),
    mac: [2, 0, 0, 0, 0, 9],
    state: 5,
  }]));
  note(toArpItem(arpEntryOfRow(neighbours.rows[0]!, "Ethernet")!, observation));
  assertCoverage(termsOf(["ArpEntryItem"]), seen);

  // RouteEntryItem: ip -j route (flags, MTU) and a decoded MIB_IPFORWARD_ROW2 (Windows' facts).
  const route = routeEntryOfIpJson(
    {
      dst: "10.77.0.0/16",
      gateway: "10.0.0.254",
      dev: "v0",
      metric: 7,
      flags: ["onlink"],
      metrics: [{ mtu: 1400 }],
    },
    4,
    links,
  );
  note(toRouteItem(route!, observation));
  const forward = decodeIpForwardTable2(encodeIpForwardTable2([{
    destination: "fd77::",
    prefixLength: 64,
    nextHop: "fe80::1",
    interfaceIndex: 1,
    luid: luidOf(6, 1),
    metric: 1,
    protocol: 2,
    origin: 0,
    validLifetime: 1,
    preferredLifetime: 1,
  }]));
  note(toRouteItem(routeEntryOfRow(forward.rows[0]!, "Ethernet")!, observation));
  assertCoverage(termsOf(["RouteEntryItem"]), seen);
});

Deno.test("term catalogue: ProcessItem coverage is what the process collector emits", async () => {
  const folder = await Deno.makeTempDir({ prefix: "iocscan-production-" });
  try {
    const image = join(folder, "tool");
    await Deno.writeTextFile(image, "not an ELF, hashed all the same\n");
    const fs = recordedProcFs({
      "/proc": { dir: ["1", "100"] },
      "/proc/stat": { text: "btime 1765000000\n" },
      "/etc/passwd": { text: "root:x:0:0:root:/root:/bin/sh\n" },
      "/proc/1/stat": { text: statLine(1, "init", { ppid: 0 }) },
      "/proc/1/cmdline": { text: "/sbin/init\0" },
      "/proc/1/exe": { link: "/sbin/init" },
      "/proc/1/status": { text: statusText("init", 0) },
      "/proc/1/fd": { dir: [] },
      "/proc/100/stat": { text: statLine(100, "tool", { ppid: 1, utime: 5, stime: 3, start: 9 }) },
      "/proc/100/cmdline": { text: `${image}\0--flag\0` },
      "/proc/100/exe": { link: image },
      // CAP_SYS_ADMIN effective: EnabledPrivilege/Name (Linux's capabilities, an extension).
      "/proc/100/status": { text: statusText("tool", 0) + "CapEff:\t0000000000200000\n" },
      "/proc/100/fd": { dir: ["3"] },
      "/proc/100/fd/3": { link: image },
      "/proc/1/maps": { text: "" },
      "/proc/100/maps": {
        text:
          `5600-5601 r-xp 00000000 08:01 42 ${image}\n7f00-7f01 r-xp 00000000 08:01 7 /lib/libc.so.6\n`,
      },
    }, { "/proc/100/fd/3": { kind: "file", ino: 42 } });
    const linux = linuxProcessSource({ fs, runner: recordedCommand("100") });
    // The image is opened where the test may read it (the real source opens /proc/<pid>/exe).
    const source: ProcessSource = {
      name: linux.name,
      async *processes(needs, signal) {
        for await (const event of linux.processes(needs, signal)) {
          yield "pid" in event && event.imageOpenPath ? { ...event, imageOpenPath: image } : event;
        }
      },
    };
    const terms = termsOf(["ProcessItem"]);
    const fields = new Set(terms.map((term) => term.path[0]!));
    // Memory: a heap holding an IOC string, and a mapped PE file (every PEInfo field).
    const dll = join(folder, "fixture.dll");
    await Deno.writeFile(dll, fixturePe());
    const stringIoc = parseIoc(
      utf8(ioc11(
        `<Indicator id="r" operator="OR">` +
          item11("s", "contains", "ProcessItem/StringList/string", "beacon.example") +
          item11(
            "i",
            "is",
            "ProcessItem/SectionList/MemorySection/PEInfo/ImportedModules/Module/ImportedFunctions/string",
            "CreateFileW",
          ) + `</Indicator>`,
      )),
      "strings.ioc",
    ).document;
    const memory = new ProcessMemory({
      collector: "process",
      documents: [stringIoc],
      platform: "linux",
      source: recordedMemorySource([
        heapRegion(0x1000n, new TextEncoder().encode("https://beacon.example/x")),
        { region: mappedRegion(0x7f0000n, dll) },
      ]),
    });
    // Ports: one Windows TCP row (every PortItem field) owned by pid 100.
    const [row] = decodeTcpTable(
      encodeTable("tcp", "ipv4", [{
        local: [10, 0, 0, 5],
        localPort: 49812,
        remote: [103, 41, 124, 9],
        remotePort: 443,
        state: 5,
        pid: 100,
        created: "2026-12-07T01:02:03.000Z",
      }]),
      "ipv4",
    ).rows;
    const ports = windowsRowsToRecords(
      [row!],
      () => ({ imagePath: "C:\\Windows\\System32\\evil.exe" }),
      "2026-12-07T03:00Z",
    );
    const collector = createProcessCollector({
      source,
      hashWorkers: 0,
      memory,
      portLists: () =>
        readPortLists(() => Promise.resolve({ ports, skips: [], warnings: [], stats: {} })),
    });
    const reporter = { skipped() {}, warning() {}, progress() {} };
    const seen = new Set<string>();
    for await (
      const item of collector.collect({ needs: new Map([["ProcessItem", fields]]), reporter })
    ) {
      const lazy = item.lazy;
      const loaded = lazy ? await lazy.load([...fields].filter((name) => lazy.provides(name))) : {};
      leafPaths({ ...item, fields: { ...item.fields, ...loaded } }, seen);
    }
    assertCoverage(terms, seen);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

/** A read-execute mapping of `path` (a file the test may read) at `start`. */
function mappedRegion(start: bigint, path: string): MemoryRegion {
  return {
    start,
    size: 0x1000n,
    protection: "PAGE_EXECUTE_READ",
    readable: true,
    executable: true,
    rawFlags: "r-xp",
    kind: "mapped",
    name: path,
    fileKey: path,
    deleted: false,
    openPaths: [path],
  };
}

Deno.test("term catalogue: UrlHistoryItem coverage is what the url-history collector emits", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const chrome = join(dir, "home", ".config", "google-chrome");
    await Deno.mkdir(join(chrome, "Default"), { recursive: true });
    await Deno.writeTextFile(join(chrome, "Last Version"), "120.0.6099.109");
    const time = Date.UTC(2026, 0, 1);
    writeChromiumHistory(join(chrome, "Default", "History"), [
      { url: "https://a.example/", title: "A", time, typed: true, kind: 1 },
      { url: "https://b.example/", title: "B", time: time + 1000, from: 0 },
    ]);
    const collector = createUrlHistoryCollector({
      homes: {
        name: "fixture",
        homes: () =>
          Promise.resolve({
            homes: [{ username: "u", path: join(dir, "home"), layout: "linux" as const }],
            unread: [],
          }),
        shown: (path) => path,
      },
    });
    const seen = new Set<string>();
    const reporter = { skipped() {}, warning() {}, progress() {} };
    for await (const item of collector.collect({ needs: new Map(), reporter })) {
      leafPaths(item, seen);
    }
    assertCoverage(termsOf(urlHistoryDocuments), seen);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("term catalogue: VolumeItem coverage is what the volume collector emits", async () => {
  const observation = { time: "2026-12-07T04:00:00.000Z", computer: "host1" };
  const answer = <T>(value: T) => ({ ok: true as const, value });
  const windowsApi: WindowsVolumeApi = {
    logicalDrives: () => answer(["C:\\"]),
    volumes: () => answer(["\\\\?\\Volume{1}\\"]),
    mountPaths: () => answer(["C:\\"]),
    driveType: () => 3,
    information: () =>
      Promise.resolve(answer({ label: "OS", serialNumber: 1, flags: 2, fileSystem: "NTFS" })),
    space: () =>
      Promise.resolve(answer({
        sectorsPerCluster: 8,
        bytesPerSector: 512,
        freeClusters: 1,
        totalClusters: 2,
        totalBytes: 8192,
        freeBytes: 4096,
      })),
    dosDevice: () => answer("\\Device\\HarddiskVolume3"),
    remoteName: () => ({ ok: false, detail: "not mapped" }),
  };
  const seen = new Set<string>();
  for (const record of (await windowsVolumeRecords(windowsApi)).records) {
    leafPaths(toVolumeItem(record, observation), seen);
  }
  assertCoverage(termsOf(volumeDocuments), seen);
});

Deno.test("term catalogue: UserItem and SystemInfoItem coverage is what the user and system collectors emit", async () => {
  const observation = { time: "2026-12-07T03:00:00.000Z", computer: "host1" };
  const reporter = { skipped() {}, warning() {}, progress() {} };
  const seen = new Set<string>();
  const drain = async (collector: { collect: (r: never) => AsyncIterable<ObservedItem> }) => {
    for await (const item of collector.collect({ needs: new Map(), reporter } as never)) {
      leafPaths(item, seen);
    }
  };
  const dir = await Deno.makeTempDir();
  const root = await buildLinuxRoot();
  try {
    await Deno.writeFile(join(dir, "SAM"), buildSam());
    await Deno.writeFile(join(dir, "SOFTWARE"), buildSoftware());
    await Deno.writeFile(join(dir, "SYSTEM"), buildSystem());
    // UserItem: the Linux files, the SAM, and a decoded NetUserEnum record.
    await drain(createUserCollector({ source: linuxUserSource({ root }) }));
    await drain(createUserCollector({ hives: [join(dir, "SAM")] }));
    leafPaths(
      toUserItem(
        accountOfUserInfo(
          {
            name: "a",
            passwordAgeSeconds: 1,
            homeDir: "C:\\h",
            comment: "c",
            flags: 0,
            scriptPath: "s",
            fullName: "f",
            lastLogon: 1,
            rid: 500,
            profile: "",
          },
          "S-1-5-21-1-2-3-500",
          ["Users"],
        ),
        observation,
      ),
      seen,
    );
    assertCoverage(termsOf(["UserItem"]), seen);
    // SystemInfoItem: a recorded Linux host, the hives, and recorded CIM output.
    await drain(createSystemCollector({ source: linuxSystemSource(recordedLinuxHost()) }));
    await drain(createSystemCollector({ hives: [join(dir, "SOFTWARE"), join(dir, "SYSTEM")] }));
    const cim = JSON.stringify({
      Name: "H",
      UserName: "D\\u",
      Adapters: [{ Index: 1, Description: "NIC", MACAddress: "00-11-22-33-44-55" }],
    });
    await drain(
      createSystemCollector({ source: cimSystemSource({ runner: recordedCommand(cim) }) }),
    );
    assertCoverage(termsOf(["SystemInfoItem"]), seen);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("term catalogue: TaskItem coverage is what the task collector emits", async () => {
  const root = await Deno.makeTempDir({ prefix: "iocscan-production-" });
  try {
    const moreActions = `<ComHandler><ClassId>{0F87369F-A4E5-4CFC-BD3E-73E6154572DD}</ClassId>` +
      `<Data>x</Data></ComHandler><SendEmail><Server>smtp</Server><Subject>s</Subject>` +
      `<To>t</To><Cc>c</Cc><Bcc>b</Bcc><ReplyTo>r</ReplyTo><From>f</From><Body>b</Body>` +
      `<Attachments><File>C:\\a.txt</File></Attachments></SendEmail>` +
      `<ShowMessage><Title>t</Title><Body>b</Body></ShowMessage>`;
    const triggers = `<TimeTrigger><StartBoundary>2026-12-01T03:00:00</StartBoundary>` +
      `<EndBoundary>2027-12-01T03:00:00</EndBoundary><ExecutionTimeLimit>PT1H</ExecutionTimeLimit>` +
      `<RandomDelay>PT5M</RandomDelay></TimeTrigger><LogonTrigger><UserId>CONTOSO\\bob</UserId>` +
      `</LogonTrigger><SessionStateChangeTrigger><StateChange>SessionUnlock</StateChange>` +
      `</SessionStateChangeTrigger><EventTrigger><Subscription>&lt;QueryList/&gt;</Subscription>` +
      `</EventTrigger>`;
    await writeTree(root, {
      ...linuxJobs,
      "opt/evil/beacon": "MZ",
      "Windows/System32/updater.exe": "MZ",
      "Windows/System32/Tasks/Updater": utf16WithBom(
        taskXml({ moreActions, triggers, hidden: true }),
      ),
      "Windows/System32/config/SOFTWARE": taskCacheHive([{
        path: "\\Updater",
        guid: "{11111111-2222-3333-4444-555555555555}",
        actions: [{ exec: "C:\\Windows\\System32\\updater.exe" }],
        lastRun: new Date("2026-12-06T03:00:00Z"),
      }]),
    });
    const mounted = await mountHiveFiles([{
      file: join(root, "Windows/System32/config/SOFTWARE"),
    }]);
    const software = mounted.mounts[0]!;
    const collector = createTaskCollector({
      sources: [
        windowsTaskSource({
          name: "windows",
          tasksFolder: join(root, "Windows/System32/Tasks"),
          displayFolder: "C:\\Windows\\System32\\Tasks",
          software: () => Promise.resolve(software),
          expand: (text) => text.replace(/%windir%/i, "C:\\Windows"),
          openImage: imageFileOpener(root, "C:"),
        }),
        linuxTaskSource({ root }),
      ],
      observe: () => ({ time: "2026-12-07T04:00:00.000Z", computer: "host1" }),
      hashWorkers: 0,
      actionDigests: true,
    });
    const fields = new Set(["Name", "md5sum", "sha1sum", "sha256sum", "ActionList"]);
    const reporter = { skipped() {}, warning() {}, progress() {} };
    const seen = new Set<string>();
    for await (
      const item of collector.collect({ needs: new Map([["TaskItem", fields]]), reporter })
    ) {
      const lazy = item.lazy;
      const loaded = lazy ? await lazy.load([...fields].filter((name) => lazy.provides(name))) : {};
      leafPaths({ ...item, fields: { ...item.fields, ...loaded } }, seen);
    }
    assertCoverage(termsOf(["TaskItem"]), seen);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("term catalogue: AutorunItem coverage is what the autoruns collector emits", async () => {
  const terms = termsOf(["AutorunItem"]);
  const fields = new Set(terms.map((term) => term.path[0]!));
  const folder = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(folder, "opt"));
    await Deno.writeTextFile(join(folder, "opt", "agent"), "agent");
    // One entry with every field: an authorized key that forces a command, in mallory's home.
    const collector = createAutorunsCollector({
      sources: [{
        name: "fixture",
        read: () =>
          Promise.resolve({
            entries: [{
              category: "authorized-keys",
              location: "/home/mallory/.ssh/authorized_keys",
              entryName: "mallory@box",
              command: 'command="/opt/agent -q" ssh-ed25519 AAAA mallory@box',
              imagePath: "/opt/agent",
              arguments: "-q",
              enabled: true,
              username: "mallory",
              source: join(folder, "home/mallory/.ssh/authorized_keys"),
            }],
            warnings: [],
            skips: [],
          }),
      }],
      locate: posixImageLocator(folder),
      windowsPaths: false,
      followSymlinks: false,
      hashWorkers: 0,
    });
    const reporter = { skipped() {}, warning() {}, progress() {} };
    const seen = new Set<string>();
    for await (
      const item of collector.collect({ needs: new Map([["AutorunItem", fields]]), reporter })
    ) {
      const lazy = item.lazy;
      const loaded = lazy ? await lazy.load([...fields].filter((name) => lazy.provides(name))) : {};
      leafPaths({ ...item, fields: { ...item.fields, ...loaded } }, seen);
    }
    assertCoverage(terms, seen);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

/** Every leaf path a collector's objects of `documents` fill, lazy fields loaded. */
async function collectedPaths(
  collector: Collector,
  documents: readonly string[],
  seen: Set<string>,
): Promise<void> {
  const needs = new Map(
    documents.map((
      document,
    ) => [document, new Set(termsOf([document]).map((term) => term.path[0]!))]),
  );
  const reporter = { skipped() {}, warning() {}, progress() {} };
  for await (const item of collector.collect({ needs, reporter })) {
    const lazy = item.lazy;
    const wanted = [...needs.get(item.document) ?? []];
    const loaded = lazy ? await lazy.load(wanted.filter((name) => lazy.provides(name))) : {};
    leafPaths({ ...item, fields: { ...item.fields, ...loaded } }, seen);
  }
}

/** A Windows root holding the built SYSTEM hive, its images the signed fixture DLL. */
async function serviceRoot(folder: string): Promise<string> {
  const root = join(folder, "image");
  const pe = fixturePe();
  const files: Record<string, Uint8Array> = {
    "Windows/System32/config/SYSTEM": buildSystemHive(),
    "ProgramData/Evil Co/evil.exe": pe,
    "Windows/System32/netsvc.dll": pe,
    "Windows/System32/svchost.exe": pe,
    "Windows/System32/drivers/rootkit.sys": pe,
  };
  for (const [path, bytes] of Object.entries(files)) {
    await Deno.mkdir(join(root, path, ".."), { recursive: true });
    await Deno.writeFile(join(root, path), bytes);
  }
  return root;
}

Deno.test("term catalogue: ServiceItem coverage is what the service collector emits", async () => {
  const folder = await Deno.makeTempDir({ prefix: "iocscan-production-" });
  try {
    const root = await serviceRoot(folder);
    const seen = new Set<string>();
    const offline = hiveServiceSource({
      hives: [],
      roots: [{ path: root, drive: "C:" }],
      documents: ["ServiceItem"],
    });
    await collectedPaths(createServiceCollector({ source: offline, hashWorkers: 0 }), [
      "ServiceItem",
    ], seen);
    // Whether a service runs, and its pid, come from a live source only.
    const recorded = JSON.stringify([{
      Name: "Dnscache",
      State: "Running",
      ProcessId: 4,
      StartMode: "Auto",
    }]);
    const live = windowsServiceSource(recordedCommand(recorded), new Map(), null);
    await collectedPaths(
      createServiceCollector({ source: live, hashWorkers: 0 }),
      ["ServiceItem"],
      seen,
    );
    assertCoverage(termsOf(["ServiceItem"]), seen);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("term catalogue: DriverItem, ModuleItem and HookItem coverage is what the driver collector emits", async () => {
  const folder = await Deno.makeTempDir({ prefix: "iocscan-production-" });
  try {
    const root = await serviceRoot(folder);
    const seen = new Set<string>();
    const documents = ["DriverItem", "ModuleItem", "HookItem"];
    const offline: DriverSource = hiveDriverSource({
      hives: [],
      roots: [{ path: root, drive: "C:" }],
    });
    await collectedPaths(
      createDriverCollector({ source: offline, hashWorkers: 0 }),
      documents,
      seen,
    );
    // A loaded Linux module: its load address, size, state and users.
    await Deno.writeTextFile(
      join(folder, "modules"),
      "evil 16384 1 nf_tables, Live 0xffffffffc0900000\n",
    );
    await Deno.mkdir(join(folder, "tree"));
    await Deno.writeTextFile(join(folder, "tree", "evil.ko"), "module bytes");
    const live = linuxDriverSource({
      procModules: join(folder, "modules"),
      moduleTree: join(folder, "tree"),
    });
    await collectedPaths(createDriverCollector({ source: live, hashWorkers: 0 }), documents, seen);
    assertCoverage(termsOf(documents), seen);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("term catalogue: DiskItem coverage is what the disk collector emits", async () => {
  const entry: DiskEntry = {
    name: "vda",
    devicePath: "/dev/vda",
    type: "fixed",
    connection: "virtio",
    model: "QEMU HARDDISK",
    open: () => Promise.reject(new Error("not opened here")),
  };
  const damaged = sampleGptImage();
  damaged.bytes[damaged.layout.header + 16]! ^= 0xff;
  const seen = new Set<string>();
  for (const bytes of [sampleMbrImage(), damaged.bytes]) {
    const source = byteSourceFromBytes(bytes);
    const table = await parsePartitionTable(source);
    const volumeBootRecords = await readVolumeBootRecords(source, table);
    leafPaths(toDiskItem({ entry, size: bytes.length, table, volumeBootRecords }, {}), seen);
  }
  assertCoverage(termsOf(diskDocuments), seen);
});
