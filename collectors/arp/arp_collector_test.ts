import { deepStrictEqual, strictEqual } from "node:assert/strict";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { scriptedCommands } from "../net_table/_scripted_commands.ts";
import { createArpCollector } from "./collector.ts";
import { linuxArpSource } from "./linux_source.ts";
import { arpEntryOfCim, cimArpSource, getNetNeighborScript } from "./windows_cim.ts";
import { arpEntryOfRow, arpTableRead } from "./windows_source.ts";
import { MibIpnetRow2, MibTable2 } from "../../windows/layouts/ip_helper.ts";
import { toArpItem } from "./arp_entry.ts";
import { decodeIpNetTable2 } from "../../windows/layouts/ip_helper_rows.ts";
import { encodeIpNetTable2, luidOf } from "../../windows/layouts/_ip_helper_encode.ts";

const observation = { time: "2026-12-07T03:00:00.000Z", computer: "host1" };
const reporter = { skipped() {}, warning() {}, progress() {} };

/** Recorded on this machine (iproute2 6.1) inside `unshare -rn` with a veth pair. */
const neighJson = JSON.stringify([
  { dst: "10.9.9.7", dev: "v0", lladdr: "02:00:00:00:00:07", state: ["PERMANENT"] },
  { dst: "fd99::7", dev: "v0", lladdr: "02:00:00:00:00:08", router: null, state: ["REACHABLE"] },
  { dst: "10.9.9.8", dev: "v0", state: ["FAILED"] },
]);
const linkJson = JSON.stringify([
  { ifindex: 1, ifname: "lo", link_type: "loopback", address: "00:00:00:00:00:00" },
  { ifindex: 3, ifname: "v0", link_type: "ether", address: "8e:05:46:db:eb:a1" },
]);

async function collect(
  collector: ReturnType<typeof createArpCollector>,
): Promise<ObservedItem[]> {
  const items: ObservedItem[] = [];
  for await (const item of collector.collect({ needs: new Map(), reporter })) items.push(item);
  return items;
}

Deno.test("arp collector: ip -j neigh entries, v4 and v6, field by field", async () => {
  const runner = scriptedCommands({ "ip -j neigh show": neighJson, "ip -j link show": linkJson });
  const items = await collect(
    createArpCollector({ source: linuxArpSource({ runner }), observe: () => observation }),
  );
  deepStrictEqual(items, [
    {
      document: "ArpEntryItem",
      key: "10.9.9.7 lladdr 02:00:00:00:00:07 dev v0 Permanent",
      fields: {
        Interface: "v0",
        InterfaceType: "Ethernet",
        PhysicalAddress: "02:00:00:00:00:07",
        IPv4Address: "10.9.9.7",
        IsRouter: false,
        State: "Permanent",
        CacheType: "static",
      },
      provenance: observation,
    },
    {
      document: "ArpEntryItem",
      key: "fd99::7 lladdr 02:00:00:00:00:08 dev v0 router Reachable",
      fields: {
        Interface: "v0",
        InterfaceType: "Ethernet",
        PhysicalAddress: "02:00:00:00:00:08",
        IPv6Address: "fd99::7",
        IsRouter: true,
        State: "Reachable",
        CacheType: "dynamic",
      },
      provenance: observation,
    },
    {
      document: "ArpEntryItem",
      key: "10.9.9.8 dev v0 Unreachable",
      fields: {
        Interface: "v0",
        InterfaceType: "Ethernet",
        IPv4Address: "10.9.9.8",
        IsRouter: false,
        State: "Unreachable",
        CacheType: "invalid",
      },
      provenance: observation,
    },
  ]);
});

Deno.test("arp collector: without ip, the neighbour table is a source-unavailable skip", async () => {
  const skipped: string[] = [];
  const collector = createArpCollector({
    source: linuxArpSource({ runner: scriptedCommands({}) }),
  });
  for await (
    const _ of collector.collect({
      needs: new Map(),
      reporter: {
        ...reporter,
        skipped: (entry) => skipped.push(`${entry.object} ${entry.reason}`),
      },
    })
  );
  deepStrictEqual(skipped, ["ip -j neigh show source-unavailable"]);
});

Deno.test("arp collector: a failed ip -j link leaves InterfaceType unevaluated, with the reason", async () => {
  const runner = scriptedCommands({
    "ip -j neigh show": neighJson,
    "ip -j link show": { stdout: "", code: 1, stderr: "Cannot open netlink socket" },
  });
  const [first] = await collect(createArpCollector({ source: linuxArpSource({ runner }) }));
  strictEqual(first?.fields.InterfaceType, undefined);
  deepStrictEqual(first?.unevaluated, {
    InterfaceType:
      "ip -j link show failed: ip -j link show exited with 1: Cannot open netlink socket",
  });
});

Deno.test("arp: a decoded MIB_IPNET_ROW2 becomes the same object as on Linux", () => {
  const table = decodeIpNetTable2(encodeIpNetTable2([{
    address: "10.9.9.7",
    interfaceIndex: 4,
    luid: luidOf(6, 1),
    mac: [2, 0, 0, 0, 0, 7],
    state: 6,
  }]));
  const entry = arpEntryOfRow(table.rows[0]!, "Ethernet 2");
  deepStrictEqual(toArpItem(entry!, observation).fields, {
    Interface: "Ethernet 2",
    InterfaceType: "Ethernet",
    PhysicalAddress: "02:00:00:00:00:07",
    IPv4Address: "10.9.9.7",
    IsRouter: false,
    State: "Permanent",
    CacheType: "static",
  });
  strictEqual(arpEntryOfRow(table.rows[0]!, undefined)?.interface, "ifindex 4");
});

Deno.test("arp: Get-NetNeighbor JSON (recorded shape) through the bounded CIM fallback", async () => {
  const recorded = JSON.stringify([
    {
      IPAddress: "192.168.1.1",
      LinkLayerAddress: "00-50-56-C0-00-08",
      InterfaceAlias: "Ethernet0",
      InterfaceIndex: 6,
      AddressFamily: 2,
      State: 2,
      IsRouter: false,
    },
    {
      IPAddress: "fe80::1",
      LinkLayerAddress: "00-00-00-00-00-00",
      InterfaceAlias: "Ethernet0",
      InterfaceIndex: 6,
      AddressFamily: 23,
      State: 0,
      IsRouter: true,
    },
  ]);
  const runner = scriptedCommands({
    [`powershell.exe -NoProfile -NonInteractive -Command ${getNetNeighborScript}`]: recorded,
  });
  const read = await cimArpSource({ runner }).read();
  if (!read.ok) throw new Error(read.detail);
  deepStrictEqual(read.rows, [
    {
      interface: "Ethernet0",
      interfaceTypeUnread: "Get-NetNeighbor does not give the interface type",
      physicalAddress: "00:50:56:c0:00:08",
      ipAddress: "192.168.1.1",
      version: 4,
      isRouter: false,
      state: "Probe",
    },
    {
      interface: "Ethernet0",
      interfaceTypeUnread: "Get-NetNeighbor does not give the interface type",
      ipAddress: "fe80::1",
      version: 6,
      isRouter: true,
      state: "Unreachable",
    },
  ]);
  // One object (not an array) when the table has one entry.
  strictEqual(arpEntryOfCim({ IPAddress: "10.0.0.1", State: 5 })?.state, "Reachable");
});

Deno.test("arp collector: ip -j neigh entries it cannot read (no dst, not an object) leave ArpEntryItem unread", async () => {
  const hostile = JSON.stringify([
    { dst: "10.9.9.7", dev: "v0", lladdr: "02:00:00:00:00:07", state: ["PERMANENT"] },
    { dev: "v0", lladdr: "02:00:00:00:00:09", state: ["REACHABLE"] },
    { dst: 167772167, dev: "v0" },
    7,
    null,
  ]);
  const runner = scriptedCommands({ "ip -j neigh show": hostile, "ip -j link show": linkJson });
  const skipped: { object: string; reason: string; unreadDocuments?: readonly string[] }[] = [];
  const items: ObservedItem[] = [];
  const collector = createArpCollector({
    source: linuxArpSource({ runner }),
    observe: () => observation,
  });
  for await (
    const item of collector.collect({
      needs: new Map(),
      reporter: { ...reporter, skipped: (entry) => skipped.push(entry) },
    })
  ) items.push(item);
  deepStrictEqual(items.map((item) => item.key), [
    "10.9.9.7 lladdr 02:00:00:00:00:07 dev v0 Permanent",
  ]);
  deepStrictEqual(skipped.map((s) => [s.object, s.reason, s.unreadDocuments]), [
    ["ip -j neigh show", "source-unavailable", ["ArpEntryItem"]],
  ]);
});

Deno.test("arp (Windows): rows NumEntries promised but the buffer did not hold, and rows of no known family, leave ArpEntryItem unread", () => {
  const spec = { interfaceIndex: 4, luid: luidOf(6, 1), mac: [2, 0, 0, 0, 0, 7], state: 6 };
  const bytes = encodeIpNetTable2(
    [{ ...spec, address: "10.9.9.7" }, { ...spec, address: "10.9.9.8" }],
    5,
  );
  // The second row's SOCKADDR_INET family: neither AF_INET nor AF_INET6.
  new DataView(bytes.buffer).setUint16(MibTable2.rows + MibIpnetRow2.size, 99, true);
  const read = arpTableRead(decodeIpNetTable2(bytes), () => "Ethernet 2");
  deepStrictEqual(read.rows.map((row) => row.ipAddress), ["10.9.9.7"]);
  deepStrictEqual(read.unread, [{
    object: "GetIpNetTable2",
    detail: "GetIpNetTable2: 4 of 5 rows could not be read (3 promised by NumEntries " +
      "beyond the table's bytes, 1 of no known address family)",
  }]);
  // A whole table: nothing unread.
  const whole = arpTableRead(
    decodeIpNetTable2(encodeIpNetTable2([{ ...spec, address: "10.9.9.7" }])),
    () => undefined,
  );
  strictEqual(whole.unread, undefined);
});

Deno.test("arp: Get-NetNeighbor without IsRouter (MSFT_NetNeighbor has no such property) leaves IsRouter unevaluated, never false", () => {
  const entry = arpEntryOfCim({
    IPAddress: "fe80::1",
    LinkLayerAddress: "02-00-00-00-00-01",
    InterfaceAlias: "Ethernet0",
    InterfaceIndex: 6,
    AddressFamily: 23,
    State: 5,
    IsRouter: null,
  });
  const item = toArpItem(entry!, observation);
  strictEqual(item.fields.IsRouter, undefined);
  strictEqual(item.unevaluated?.IsRouter, "Get-NetNeighbor gave no IsRouter");
  // A source that does give it keeps it.
  strictEqual(
    toArpItem(arpEntryOfCim({ IPAddress: "10.0.0.1", IsRouter: true })!, observation).fields
      .IsRouter,
    true,
  );
});
