import { deepStrictEqual, strictEqual } from "node:assert/strict";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { scriptedCommands } from "../net_table/_scripted_commands.ts";
import { createRouteCollector } from "./collector.ts";
import { linuxRouteSource } from "./linux_source.ts";
import { netmaskOf, toRouteItem } from "./route_entry.ts";
import { cimRouteSource, getNetRouteScript } from "./windows_cim.ts";
import { routeEntryOfRow, routeTableRead } from "./windows_source.ts";
import { MibTable2 } from "../../windows/layouts/ip_helper.ts";
import { decodeIpForwardTable2 } from "../../windows/layouts/ip_helper_rows.ts";
import { encodeIpForwardTable2, luidOf } from "../../windows/layouts/_ip_helper_encode.ts";

const observation = { time: "2026-12-07T03:00:00.000Z", computer: "host1" };
const reporter = { skipped() {}, warning() {}, progress() {} };

/** Recorded on this machine (iproute2 6.1) inside `unshare -rn` with a veth pair. */
const routes4 = JSON.stringify([
  {
    dst: "10.77.0.0/16",
    gateway: "10.9.9.254",
    dev: "v0",
    protocol: "static",
    metric: 7,
    flags: ["linkdown"],
    metrics: [{ mtu: 1400 }],
  },
  { type: "blackhole", dst: "10.66.0.0/16", flags: [] },
  {
    type: "local",
    dst: "127.0.0.1",
    dev: "lo",
    table: "local",
    protocol: "kernel",
    scope: "host",
    prefsrc: "127.0.0.1",
    flags: [],
  },
]);
const routes6 = JSON.stringify([
  { dst: "default", gateway: "fe80::1", dev: "v0", metric: 1024, flags: [], pref: "medium" },
]);
const links = JSON.stringify([
  { ifname: "lo", link_type: "loopback" },
  { ifname: "v0", link_type: "ether" },
]);

Deno.test("netmaskOf writes IPv4 and IPv6 masks", () => {
  strictEqual(netmaskOf(16, 4), "255.255.0.0");
  strictEqual(netmaskOf(0, 4), "0.0.0.0");
  strictEqual(netmaskOf(27, 4), "255.255.255.224");
  strictEqual(netmaskOf(32, 4), "255.255.255.255");
  strictEqual(netmaskOf(64, 6), "ffff:ffff:ffff:ffff::");
  strictEqual(netmaskOf(0, 6), "::");
  strictEqual(netmaskOf(128, 6), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
});

Deno.test("route collector: ip -j route entries of every table, v4 and v6, field by field", async () => {
  const runner = scriptedCommands({
    "ip -j -4 route show table all": routes4,
    "ip -j -6 route show table all": routes6,
    "ip -j link show": links,
  });
  const items: ObservedItem[] = [];
  const collector = createRouteCollector({
    source: linuxRouteSource({ runner }),
    observe: () => observation,
  });
  for await (const item of collector.collect({ needs: new Map(), reporter })) items.push(item);
  const windowsOnly = "Linux keeps no such fact of a route";
  const windowsFields = {
    Origin: windowsOnly,
    ValidLifetime: windowsOnly,
    PreferredLifetime: windowsOnly,
    IsAutoconfigureAddress: windowsOnly,
    IsPublish: windowsOnly,
    IsImmortal: windowsOnly,
  };
  const noMtu = "the route has no MTU of its own (its interface's applies)";
  deepStrictEqual(items, [
    {
      document: "RouteEntryItem",
      key: "10.77.0.0/16 via 10.9.9.254 dev v0 proto static metric 7",
      fields: {
        Interface: "v0",
        Destination: "10.77.0.0",
        Netmask: "255.255.0.0",
        Gateway: "10.9.9.254",
        RouteType: "indirect",
        Protocol: "static",
        Metric: 7,
        IsIPv6: false,
        IsLoopback: false,
        Flags: "linkdown",
        MTU: 1400,
      },
      provenance: observation,
      unevaluated: windowsFields,
    },
    {
      document: "RouteEntryItem",
      key: "blackhole 10.66.0.0/16 proto boot metric 0",
      fields: {
        Destination: "10.66.0.0",
        Netmask: "255.255.0.0",
        RouteType: "blackhole",
        Protocol: "boot",
        Metric: 0,
        IsIPv6: false,
        IsLoopback: false,
      },
      provenance: observation,
      unevaluated: { ...windowsFields, MTU: noMtu },
    },
    {
      document: "RouteEntryItem",
      key: "local 127.0.0.1/32 dev lo table local proto kernel metric 0",
      fields: {
        Interface: "lo",
        Destination: "127.0.0.1",
        Netmask: "255.255.255.255",
        RouteType: "local",
        Protocol: "kernel",
        Metric: 0,
        IsIPv6: false,
        IsLoopback: true,
      },
      provenance: observation,
      unevaluated: { ...windowsFields, MTU: noMtu },
    },
    {
      document: "RouteEntryItem",
      key: "::/0 via fe80::1 dev v0 proto boot metric 1024",
      fields: {
        Interface: "v0",
        Destination: "::",
        Netmask: "::",
        Gateway: "fe80::1",
        RouteType: "indirect",
        Protocol: "boot",
        Metric: 1024,
        IsIPv6: true,
        IsLoopback: false,
      },
      provenance: observation,
      unevaluated: { ...windowsFields, MTU: noMtu },
    },
  ]);
});

Deno.test("route: a decoded MIB_IPFORWARD_ROW2 becomes an object with Windows' own fields", () => {
  const table = decodeIpForwardTable2(encodeIpForwardTable2([{
    destination: "10.77.0.0",
    prefixLength: 16,
    nextHop: "10.9.9.254",
    interfaceIndex: 4,
    luid: luidOf(6, 1),
    metric: 35,
    protocol: 3,
    origin: 0,
    validLifetime: 0xffffffff,
    preferredLifetime: 0xffffffff,
    publish: true,
  }]));
  const item = toRouteItem(routeEntryOfRow(table.rows[0]!, "Ethernet 2")!, observation);
  strictEqual(item.key, "10.77.0.0/16 via 10.9.9.254 dev Ethernet 2 proto NetMgmt metric 35");
  deepStrictEqual(item.fields, {
    Interface: "Ethernet 2",
    Destination: "10.77.0.0",
    Netmask: "255.255.0.0",
    Gateway: "10.9.9.254",
    RouteType: "indirect",
    Protocol: "NetMgmt",
    Metric: 35,
    IsIPv6: false,
    IsLoopback: false,
    Origin: "Manual",
    ValidLifetime: 0xffffffff,
    PreferredLifetime: 0xffffffff,
    IsAutoconfigureAddress: false,
    IsPublish: true,
    IsImmortal: false,
  });
  const linuxOnly = "GetIpForwardTable2 and Get-NetRoute give no such fact of a route";
  deepStrictEqual(item.unevaluated, { Flags: linuxOnly, MTU: linuxOnly });
});

Deno.test("route: Get-NetRoute JSON (recorded shape) through the bounded CIM fallback", async () => {
  const recorded = JSON.stringify({
    DestinationPrefix: "0.0.0.0/0",
    NextHop: "192.168.1.1",
    InterfaceAlias: "Ethernet0",
    InterfaceIndex: 6,
    AddressFamily: 2,
    RouteMetric: 0,
    Protocol: 3,
    TypeOfRoute: 3,
    Publish: 0,
    // MSFT_NetRoute has no such properties: Select-Object writes them null.
    AutoconfigureAddress: null,
    Immortal: null,
    ValidLifetime: 4294967295,
    PreferredLifetime: 4294967295,
  });
  const runner = scriptedCommands({
    [`powershell.exe -NoProfile -NonInteractive -Command ${getNetRouteScript}`]: recorded,
  });
  const read = await cimRouteSource({ runner }).read();
  if (!read.ok) throw new Error(read.detail);
  deepStrictEqual(read.rows, [{
    interface: "Ethernet0",
    destination: "0.0.0.0",
    prefixLength: 0,
    version: 4,
    gateway: "192.168.1.1",
    routeType: "indirect",
    protocol: "NetMgmt",
    metric: 0,
    windows: {
      validLifetime: 4294967295,
      preferredLifetime: 4294967295,
      publish: false,
    },
  }]);
  // TypeOfRoute is CIM_NextHopRoute's (2 administrator defined, 3 computed, 4 actual), not
  // NL_ROUTE_ORIGIN; MSFT_NetRoute has no AutoconfigureAddress or Immortal: unknown, never made up.
  const item = toRouteItem(read.rows[0]!, observation);
  const cimGives = "Get-NetRoute (MSFT_NetRoute) does not give it";
  deepStrictEqual(
    [
      item.unevaluated?.Origin,
      item.unevaluated?.IsAutoconfigureAddress,
      item.unevaluated?.IsImmortal,
    ],
    [cimGives, cimGives, cimGives],
  );
  strictEqual(item.fields.Origin, undefined);
  strictEqual(item.fields.IsPublish, false);
});

Deno.test("route collector: IPv4 routes are kept when the IPv6 table cannot be read, which is a skip", async () => {
  const runner = scriptedCommands({
    "ip -j -4 route show table all": routes4,
    "ip -j -6 route show table all": {
      stdout: "",
      code: 2,
      stderr: "RTNETLINK answers: Address family not supported by protocol",
    },
    "ip -j link show": links,
  });
  const skipped: string[] = [];
  let objects = 0;
  const collector = createRouteCollector({ source: linuxRouteSource({ runner }) });
  for await (
    const _ of collector.collect({
      needs: new Map(),
      reporter: {
        ...reporter,
        skipped: (entry) => skipped.push(`${entry.object}: ${entry.reason}: ${entry.detail}`),
      },
    })
  ) objects++;
  strictEqual(objects, 3);
  deepStrictEqual(skipped, [
    "ip -j -6 route show table all: source-unavailable: ip -j -6 route show table all exited " +
    "with 2: RTNETLINK answers: Address family not supported by protocol",
  ]);
});

Deno.test("route collector: ip -j route entries it cannot read (no dst, a prefix that is no number) leave RouteEntryItem unread", async () => {
  const runner = scriptedCommands({
    "ip -j -4 route show table all": JSON.stringify([
      { dst: "10.77.0.0/16", gateway: "10.9.9.254", dev: "v0", protocol: "static", metric: 7 },
      { gateway: "10.9.9.253", dev: "v0" },
      { dst: "10.78.0.0/x", dev: "v0" },
      "default via 6.6.6.6",
    ]),
    "ip -j -6 route show table all": routes6,
    "ip -j link show": links,
  });
  const skipped: { object: string; reason: string; unreadDocuments?: readonly string[] }[] = [];
  const items: ObservedItem[] = [];
  const collector = createRouteCollector({
    source: linuxRouteSource({ runner }),
    observe: () => observation,
  });
  for await (
    const item of collector.collect({
      needs: new Map(),
      reporter: { ...reporter, skipped: (entry) => skipped.push(entry) },
    })
  ) items.push(item);
  strictEqual(items.length, 2);
  deepStrictEqual(skipped.map((s) => [s.object, s.reason, s.unreadDocuments]), [
    ["ip -j -4 route show table all", "source-unavailable", ["RouteEntryItem"]],
  ]);
});

Deno.test("route (Windows): a table whose NumEntries promises rows its bytes do not hold leaves RouteEntryItem unread", () => {
  const bytes = encodeIpForwardTable2([{
    luid: luidOf(6, 1),
    interfaceIndex: 4,
    destination: "10.77.0.0",
    prefixLength: 16,
    nextHop: "10.9.9.254",
    protocol: 3,
    metric: 7,
    origin: 0,
    validLifetime: 0xffffffff,
    preferredLifetime: 0xffffffff,
  }]);
  new DataView(bytes.buffer).setUint32(MibTable2.numEntries, 3, true);
  const read = routeTableRead(decodeIpForwardTable2(bytes), () => undefined);
  strictEqual(read.rows.length, 1);
  deepStrictEqual(read.unread?.map((part) => part.object), ["GetIpForwardTable2"]);
});
