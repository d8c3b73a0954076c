/**
 * UserItem and SystemInfoItem end to end through the real CLI: offline
 * (`scan --hive` over SAM, SOFTWARE and SYSTEM hives built by code) an IOC
 * that hits detects (exit 1) and a near miss does not (exit 0); an IOC on a
 * fact a hive does not hold is undecided (exit 3), never clean; and
 * `collect user|system --json` print the objects.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { buildSam } from "../collectors/user/_user_fixtures.ts";
import { buildSoftware, buildSystem } from "../collectors/system/_system_fixtures.ts";
import { type CliEvent, runCli } from "./_cli.ts";
import { oneItemIoc } from "./_one_item_ioc.ts";

async function evidence(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-users-e2e-" });
  await Deno.writeFile(join(dir, "SAM"), buildSam());
  await Deno.writeFile(join(dir, "SOFTWARE"), buildSoftware());
  await Deno.writeFile(join(dir, "SYSTEM"), buildSystem());
  return dir;
}

async function scanHives(dir: string, ioc: string) {
  const file = join(dir, `ioc-${crypto.randomUUID()}.ioc`);
  await Deno.writeTextFile(file, ioc);
  const run = await runCli([
    "scan",
    "--ioc",
    file,
    ...["SAM", "SOFTWARE", "SYSTEM"].flatMap((hive) => ["--hive", join(dir, hive)]),
    "--db",
    join(dir, `results-${crypto.randomUUID()}.db`),
    "--json",
  ]);
  return run;
}

const ofType = (events: CliEvent[], type: string) => events.filter((event) => event.type === type);

const cases = [
  {
    document: "UserItem",
    search: "UserItem/Username",
    type: "string",
    hit: "evil_admin",
    miss: "evil_admin2",
    key: "evil_admin (S-1-5-21-111-222-333-1001)",
  },
  {
    document: "UserItem",
    search: "UserItem/scriptpath",
    type: "string",
    hit: "logon.bat",
    miss: "logon.cmd",
    key: "evil_admin (S-1-5-21-111-222-333-1001)",
  },
  {
    document: "SystemInfoItem",
    search: "SystemInfoItem/hostname",
    type: "string",
    hit: "WKS-EVIL01",
    miss: "WKS-EVIL02",
    key: "WKS-EVIL01",
  },
  {
    document: "SystemInfoItem",
    search: "SystemInfoItem/networkArray/networkInfo/ipArray/ipInfo/ipAddress",
    type: "IP",
    hit: "192.168.1.50",
    miss: "192.168.1.51",
    key: "WKS-EVIL01",
  },
];

for (const c of cases) {
  Deno.test(`iocscan scan --hive: ${c.search} is ${c.hit} detects, ${c.miss} is clean`, async () => {
    const dir = await evidence();
    try {
      const hit = await scanHives(
        dir,
        oneItemIoc("hit", c.document, c.search, "is", c.type, c.hit),
      );
      strictEqual(hit.code, 1, hit.stderr + hit.stdout);
      const detections = ofType(hit.events, "detection");
      strictEqual(detections.length, 1);
      ok(
        JSON.stringify(detections[0]).includes(JSON.stringify(c.key).slice(1, -1)),
        JSON.stringify(detections[0]),
      );
      const miss = await scanHives(
        dir,
        oneItemIoc("miss", c.document, c.search, "is", c.type, c.miss),
      );
      strictEqual(miss.code, 0, miss.stderr + miss.stdout);
      deepStrictEqual(ofType(miss.events, "detection"), []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("iocscan scan --hive: an IOC on a fact the SAM does not hold (lockedout) is undecided, exit 3", async () => {
  const dir = await evidence();
  try {
    const run = await scanHives(
      dir,
      oneItemIoc("locked", "UserItem", "UserItem/lockedout", "is", "bool", "false"),
    );
    strictEqual(run.code, 3, run.stderr + run.stdout);
    deepStrictEqual(ofType(run.events, "detection"), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("iocscan scan --hive: a SystemInfoItem IOC on uptime, which an image has not, is undecided", async () => {
  const dir = await evidence();
  try {
    const run = await scanHives(
      dir,
      oneItemIoc("up", "SystemInfoItem", "SystemInfoItem/uptime", "is", "int", "10"),
    );
    strictEqual(run.code, 3, run.stderr + run.stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("iocscan scan --root: the SAM, SOFTWARE and SYSTEM of a mounted image give UserItem and SystemInfoItem", async () => {
  const dir = await evidence();
  try {
    const config = join(dir, "image", "Windows", "System32", "config");
    await Deno.mkdir(config, { recursive: true });
    for (const hive of ["SAM", "SOFTWARE", "SYSTEM"]) {
      await Deno.rename(join(dir, hive), join(config, hive));
    }
    const ioc = join(dir, "both.ioc");
    await Deno.writeTextFile(
      ioc,
      oneItemIoc("user", "UserItem", "UserItem/Username", "is", "string", "evil_admin")
        .replace(
          "</Indicator>",
          `<IndicatorItem id="host" condition="is">
      <Context document="SystemInfoItem" search="SystemInfoItem/regOrg" type="mir"/>
      <Content type="string">Evil Corp</Content>
    </IndicatorItem></Indicator>`,
        ),
    );
    const run = await runCli([
      "scan",
      "--ioc",
      ioc,
      "--root",
      join(dir, "image"),
      "--db",
      join(dir, "results.db"),
      "--json",
    ]);
    strictEqual(run.code, 1, run.stderr + run.stdout);
    const detections = JSON.stringify(ofType(run.events, "detection"));
    ok(detections.includes("evil_admin (S-1-5-21-111-222-333-1001)"), detections);
    ok(detections.includes("WKS-EVIL01"), detections);
    ok(detections.includes(join(config, "SAM")), "the SAM file is the evidence's source");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
