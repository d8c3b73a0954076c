import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { buildIsolationPlan, databaseHost } from "./isolation_plan.ts";

const dns = {
  servers: [{ address: "10.9.0.1", why: "dns server from /etc/resolv.conf" }],
  problems: [],
};

Deno.test("buildIsolationPlan resolves names to every A and AAAA address and adds DNS and the database", async () => {
  const asked: string[] = [];
  const { plan } = await buildIsolationPlan({
    durationMs: 3_600_000,
    now: new Date("2026-12-07T06:00:00Z"),
    id: "iso",
    dns,
    storeLocation: "postgres://iocscan@db.lab:6543/results",
    allow: [{ host: "mgmt.lab", port: 8443, protocol: "tcp" }, { host: "10.0.0.0/8" }],
    resolve: (name, type) => {
      asked.push(`${name}/${type}`);
      const table: Record<string, string[]> = {
        "mgmt.lab/A": ["10.9.0.10", "10.9.0.11"],
        "mgmt.lab/AAAA": ["fd00:9::10"],
        "db.lab/A": ["10.9.0.30"],
        "db.lab/AAAA": [],
      };
      return Promise.resolve(table[`${name}/${type}`] ?? []);
    },
  });
  strictEqual(plan.expiresAt, "2026-12-07T07:00:00.000Z");
  deepStrictEqual(asked, ["db.lab/A", "db.lab/AAAA", "mgmt.lab/A", "mgmt.lab/AAAA"]);
  deepStrictEqual(plan.allow.map((rule) => [rule.address, rule.port, rule.protocol]), [
    ["10.9.0.1", 53, "udp"],
    ["10.9.0.1", 53, "tcp"],
    ["10.9.0.30", 6543, "tcp"],
    ["10.9.0.10", 8443, "tcp"],
    ["10.9.0.11", 8443, "tcp"],
    ["fd00:9::10", 8443, "tcp"],
    ["10.0.0.0/8", undefined, undefined],
  ]);
  strictEqual(plan.allow[3]?.why, "--allow mgmt.lab:8443/tcp (mgmt.lab)");
});

Deno.test("buildIsolationPlan refuses a name that does not resolve", async () => {
  await rejects(
    buildIsolationPlan({
      durationMs: 60_000,
      dns,
      allow: [{ host: "gone.lab" }],
      resolve: () => Promise.resolve([]),
    }),
    /"gone\.lab" does not resolve.*nothing was applied/,
  );
});

Deno.test("databaseHost reads a postgres URL, nothing from SQLite or a socket", () => {
  deepStrictEqual(databaseHost("postgres://u@[fd00::5]/db"), { host: "fd00::5", port: 5432 });
  strictEqual(databaseHost("/var/lib/iocscan/results.db"), undefined);
  strictEqual(databaseHost("postgres:///db?host=/run/postgresql"), undefined);
  strictEqual(databaseHost("postgres://u@localhost:5433/db?host=/run/postgresql"), undefined);
});

Deno.test("buildIsolationPlan refuses --allow entries that name unspecified, loopback, multicast or broadcast addresses", async () => {
  const resolving = (addresses: Record<string, string[]>) => (name: string, type: "A" | "AAAA") =>
    Promise.resolve(
      (addresses[name] ?? []).filter((address) => (type === "A") === !address.includes(":")),
    );
  for (
    const [address, kind] of [
      ["0.0.0.0", /unspecified/],
      ["::", /unspecified/],
      ["127.0.0.1", /loopback/],
      ["::1", /loopback/],
      ["224.0.0.251", /multicast/],
      ["ff02::fb", /multicast/],
      ["255.255.255.255", /broadcast/],
      ["::ffff:127.0.0.1", /IPv4-mapped/],
    ] as const
  ) {
    await rejects(
      buildIsolationPlan({
        durationMs: 60_000,
        dns,
        allow: [{ host: "evil.lab", port: 443 }],
        resolve: resolving({ "evil.lab": ["10.9.0.10", address] }),
      }),
      (error: Error) =>
        kind.test(error.message) && error.message.includes(address) &&
        /nothing was applied/.test(error.message),
      address,
    );
  }
  for (const prefix of ["0.0.0.0/0", "::/0", "96.0.0.0/3", "fe00::/7"]) {
    await rejects(
      buildIsolationPlan({ durationMs: 60_000, dns, allow: [{ host: prefix }] }),
      /nothing was applied/,
      prefix,
    );
  }
  const { plan } = await buildIsolationPlan({
    durationMs: 60_000,
    dns,
    allow: [{ host: "10.0.0.0/8" }, { host: "fd00::/8" }, { host: "128.0.0.0/2" }],
  });
  strictEqual(plan.allow.length, 5);
});

Deno.test("buildIsolationPlan leaves out a database on loopback (always open) and refuses one on a special address", async () => {
  const { plan } = await buildIsolationPlan({
    durationMs: 60_000,
    dns,
    storeLocation: "postgres://iocscan@localhost/results",
    resolve: (_name, type) => Promise.resolve(type === "A" ? ["127.0.0.1"] : ["::1"]),
  });
  deepStrictEqual(plan.allow.map((rule) => rule.address), ["10.9.0.1", "10.9.0.1"]);
  await rejects(
    buildIsolationPlan({
      durationMs: 60_000,
      dns,
      storeLocation: "postgres://iocscan@db.lab/results",
      resolve: (_name, type) => Promise.resolve(type === "A" ? ["0.0.0.0"] : []),
    }),
    /db\.lab.*0\.0\.0\.0.*unspecified/,
  );
});
