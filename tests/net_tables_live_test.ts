/**
 * The dns, arp and route collectors on this machine's real tables, through
 * the real CLI in a child process (the `test` permission set cannot start
 * them with `ip` and `/proc` access of their own): each test builds its own
 * network namespace (`unshare -rn`, unprivileged; a veth pair, since this
 * kernel has no dummy driver in a user namespace), with a permanent ARP
 * entry, an NDP router entry and routes of its own, and checks the
 * collected objects field by field, and that IOCs on them fire with the
 * entry named. No packet leaves the namespace: nothing is sent at all.
 *
 * The DNS cache: this machine has no systemd-resolved (systemd 252, no
 * resolvectl), so the live test checks the unavailable source end to end: a
 * DnsEntryItem-only scan exits 3 with the `dns-cache:systemd-resolved` skip.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { cliMain, type LooseEvent, runCli, runProgram } from "./_cli.ts";
import { repositoryRoot } from "./corpus.ts";

/** The namespace's tables: a veth pair, a permanent neighbour, an NDP router, two routes. */
const namespaceSetup = [
  "ip link add v0 type veth peer name v1",
  "ip addr add 10.9.9.1/24 dev v0",
  "ip link set v0 up",
  "ip link set v1 up",
  "ip neigh add 10.9.9.7 lladdr 02:00:00:00:00:07 dev v0 nud permanent",
  "ip -6 neigh add fd99::7 lladdr 02:00:00:00:00:08 dev v0 router nud permanent",
  "ip route add 10.77.0.0/16 via 10.9.9.254 dev v0 metric 7 mtu 1400 proto static onlink",
  "ip -6 route add fd77::/64 dev v0 metric 9",
].join(" && ");

const probe = await new Deno.Command("unshare", { args: ["-rn", "sh", "-c", namespaceSetup] })
  .output().catch((error: Error) => ({
    success: false,
    stderr: new TextEncoder().encode(error.message),
  }));
const noNamespace = probe.success
  ? undefined
  : `unshare -rn with a veth pair does not work here: ${new TextDecoder().decode(probe.stderr)}`;
if (noNamespace) console.error(`SKIPPED live neighbour/route tests: ${noNamespace}`);

/** Runs the CLI with `args` inside a fresh namespace set up as above, as `deno run -P=engine`. */
function cliInNamespace(args: readonly string[], prefix: readonly string[] = []) {
  return runProgram<LooseEvent>(prefix[0] ?? "unshare", [
    ...prefix.slice(1),
    ...(prefix.length > 0 ? ["unshare"] : []),
    "-rn",
    "sh",
    "-c",
    `${namespaceSetup} && exec "$@"`,
    "sh",
    Deno.execPath(),
    "run",
    "-q",
    "-P=engine",
    cliMain,
    ...args,
  ], { cwd: repositoryRoot, deadlineMs: 60_000 });
}

function items(events: LooseEvent[], document: string): LooseEvent[] {
  return events.filter((event) => event.type === "item" && event.document === document);
}

Deno.test({
  name: "collect arp --json reads the namespace's neighbour table (ARP and NDP) field by field",
  ignore: noNamespace !== undefined,
  async fn() {
    const run = await cliInNamespace(["collect", "arp", "--json"]);
    strictEqual(run.code, 0, run.stderr);
    const byKey = new Map(items(run.events, "ArpEntryItem").map((item) => [item.key, item.fields]));
    deepStrictEqual(byKey.get("10.9.9.7 lladdr 02:00:00:00:00:07 dev v0 Permanent"), {
      Interface: "v0",
      InterfaceType: "Ethernet",
      PhysicalAddress: "02:00:00:00:00:07",
      IPv4Address: "10.9.9.7",
      IsRouter: false,
      State: "Permanent",
      CacheType: "static",
    });
    deepStrictEqual(byKey.get("fd99::7 lladdr 02:00:00:00:00:08 dev v0 router Permanent"), {
      Interface: "v0",
      InterfaceType: "Ethernet",
      PhysicalAddress: "02:00:00:00:00:08",
      IPv6Address: "fd99::7",
      IsRouter: true,
      State: "Permanent",
      CacheType: "static",
    });
    const summary = run.events.find((event) => event.type === "summary");
    strictEqual(summary?.stats?.source, "ip -j neigh show");
  },
});

Deno.test({
  name: "collect route --json reads every table of the namespace, v4 and v6, field by field",
  ignore: noNamespace !== undefined,
  async fn() {
    const run = await cliInNamespace(["collect", "route", "--json"]);
    strictEqual(run.code, 0, run.stderr);
    const routes = items(run.events, "RouteEntryItem");
    const byKey = new Map(routes.map((item) => [item.key, item.fields]));
    deepStrictEqual(byKey.get("10.77.0.0/16 via 10.9.9.254 dev v0 proto static metric 7"), {
      Interface: "v0",
      Destination: "10.77.0.0",
      Netmask: "255.255.0.0",
      Gateway: "10.9.9.254",
      RouteType: "indirect",
      Protocol: "static",
      Metric: 7,
      IsIPv6: false,
      IsLoopback: false,
      Flags: "onlink",
      MTU: 1400,
    });
    deepStrictEqual(byKey.get("fd77::/64 dev v0 proto boot metric 9"), {
      Interface: "v0",
      Destination: "fd77::",
      Netmask: "ffff:ffff:ffff:ffff::",
      RouteType: "direct",
      Protocol: "boot",
      Metric: 9,
      IsIPv6: true,
      IsLoopback: false,
    });
    // The local table is read too (the address's own route), not only main.
    ok(
      byKey.has("local 10.9.9.1/32 dev v0 table local proto kernel metric 0"),
      [...byKey.keys()].join("\n"),
    );
  },
});

const ioc = (id: string, items: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="${id}" last-modified="2026-12-07T00:00:00">
  <short_description>${id}</short_description>
  <definition>
    <Indicator operator="AND" id="${id}-i">${items}
    </Indicator>
  </definition>
</ioc>
`;
const item = (id: string, search: string, condition: string, value: string, type = "string") => `
      <IndicatorItem id="${id}" condition="${condition}">
        <Context document="${search.split("/")[0]}" search="${search}" type="mir" />
        <Content type="${type}">${value}</Content>
      </IndicatorItem>`;

Deno.test({
  name: "scan: ArpEntryItem and RouteEntryItem IOCs fire on the namespace's entries, naming them",
  ignore: noNamespace !== undefined,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "iocscan-nettables-" });
    try {
      // Windows' spelling of the MAC: the mac-address form folds both sides to one.
      await Deno.writeTextFile(
        join(dir, "arp.ioc"),
        ioc(
          "arp-ioc",
          item("a1", "ArpEntryItem/PhysicalAddress", "is", "02-00-00-00-00-07") +
            item("a2", "ArpEntryItem/IPv4Address", "is", "10.9.9.7", "IP"),
        ),
      );
      await Deno.writeTextFile(
        join(dir, "route.ioc"),
        ioc(
          "route-ioc",
          item("r1", "RouteEntryItem/Destination", "is", "10.77.0.0", "IP") +
            item("r2", "RouteEntryItem/Gateway", "contains", "10.9.9."),
        ),
      );
      await Deno.writeTextFile(
        join(dir, "clean.ioc"),
        ioc("clean-ioc", item("c1", "RouteEntryItem/Destination", "is", "203.0.113.0", "IP")),
      );
      const run = await cliInNamespace([
        "scan",
        "--ioc",
        dir,
        "--db",
        join(dir, "results.db"),
        "--json",
      ]);
      strictEqual(run.code, 1, run.stderr);
      const detections = run.events.filter((event) => event.type === "detection");
      deepStrictEqual(detections.map((event) => event.ioc.id).sort(), ["arp-ioc", "route-ioc"]);
      const text = JSON.stringify(detections);
      ok(text.includes("10.9.9.7 lladdr 02:00:00:00:00:07 dev v0 Permanent"), text);
      ok(text.includes("10.77.0.0/16 via 10.9.9.254 dev v0 proto static metric 7"), text);
      const summary = run.events.find((event) => event.type === "summary");
      strictEqual(summary?.complete, true);
      deepStrictEqual(summary?.collectors, ["arp", "route"]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

async function commandWorks(command: string, args: string[]): Promise<boolean> {
  try {
    return (await new Deno.Command(command, { args, stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}
const hasResolvectl = await commandWorks("resolvectl", ["--version"]);
if (hasResolvectl) {
  console.error(
    "SKIPPED the unavailable-DNS-cache test: this machine has resolvectl (its cache is read live)",
  );
}

Deno.test({
  name:
    "scan: a DnsEntryItem IOC without a resolver cache to read exits 3, naming the skipped source",
  ignore: hasResolvectl,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "iocscan-nettables-" });
    try {
      await Deno.writeTextFile(
        join(dir, "dns.ioc"),
        ioc("dns-ioc", item("d1", "DnsEntryItem/RecordName", "is", "evil.example")),
      );
      const run = await runCli<LooseEvent>([
        "scan",
        "--ioc",
        join(dir, "dns.ioc"),
        "--db",
        join(dir, "results.db"),
        "--json",
      ]);
      strictEqual(run.code, 3, run.stderr);
      const skipped = run.events.filter((event) => event.type === "skipped");
      deepStrictEqual(skipped.map((event) => [event.collector, event.object, event.reason]), [
        ["dns", "dns-cache:systemd-resolved", "source-unavailable"],
      ]);
      ok(String(skipped[0].detail).includes("resolvectl"), skipped[0].detail);
      const summary = run.events.find((event) => event.type === "summary");
      strictEqual(summary?.complete, false);
      strictEqual(summary?.incomplete?.[0]?.what, "dns-ioc (" + join(dir, "dns.ioc") + ")");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "collect arp as an unprivileged user (nobody) in its own namespace",
  ignore: noNamespace !== undefined,
  async fn() {
    // nobody cannot reach root's deno binary or module cache: run a bundle with a copy of deno.
    const dir = await Deno.makeTempDir({ prefix: "iocscan-nobody-" });
    try {
      await Deno.chmod(dir, 0o755);
      const bundle = join(dir, "iocscan.js");
      const bundled = await new Deno.Command(Deno.execPath(), {
        args: ["bundle", "-q", "--platform", "deno", "-o", bundle, "cli/main.ts"],
        cwd: repositoryRoot,
      }).output();
      ok(bundled.success, new TextDecoder().decode(bundled.stderr));
      const deno = join(dir, "deno");
      await Deno.copyFile(Deno.execPath(), deno);
      await Deno.chmod(deno, 0o755);
      await Deno.chmod(bundle, 0o644);
      const cache = join(dir, "cache");
      await Deno.mkdir(cache, { mode: 0o777 });
      await Deno.chmod(cache, 0o777);
      const run = await runProgram<LooseEvent>("setpriv", [
        "--reuid=nobody",
        "--regid=nogroup",
        "--clear-groups",
        "env",
        `DENO_DIR=${cache}`,
        `HOME=${cache}`,
        "unshare",
        "-rn",
        "sh",
        "-c",
        `${namespaceSetup} && exec "$@"`,
        "sh",
        deno,
        "run",
        "-q",
        "-A",
        bundle,
        "collect",
        "arp",
        "--json",
      ], { cwd: dir, deadlineMs: 60_000 });
      if (run.code !== 0 && /setpriv|unshare|Operation not permitted/.test(run.stderr)) {
        console.error(`SKIPPED the nobody run: ${run.stderr.trim()}`);
        return;
      }
      strictEqual(run.code, 0, run.stderr);
      const keys = items(run.events, "ArpEntryItem").map((event) => event.key);
      ok(keys.includes("10.9.9.7 lladdr 02:00:00:00:00:07 dev v0 Permanent"), keys.join("\n"));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
