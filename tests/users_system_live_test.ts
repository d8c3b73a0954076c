/**
 * The user and system collectors on this machine's live sources, through
 * the real CLI in a child process (the `test` permission set cannot read
 * `/proc`). The user test gives the live host a test account without
 * touching the machine's files: in a user and mount namespace
 * (`unshare -rm`, unprivileged) account files built here are bind-mounted
 * over `/etc/passwd`, `/etc/group`, `/etc/shadow` and `/var/log`, and the CLI
 * reads them at their real paths. Skipped loudly where such namespaces are
 * not allowed.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { lastlogSlot } from "../collectors/user/_user_fixtures.ts";
import { parsePasswd } from "../collectors/user/mod.ts";
import { cliMain, type LooseEvent, runCli, runProgram } from "./_cli.ts";
import { repositoryRoot } from "./corpus.ts";
import { oneItemIoc } from "./_one_item_ioc.ts";

const probe = await new Deno.Command("unshare", {
  args: ["-rm", "sh", "-c", "mount --bind /etc/hostname /etc/hostname"],
}).output().catch((error: Error) => ({
  success: false,
  stderr: new TextEncoder().encode(error.message),
}));
const noNamespace = probe.success
  ? undefined
  : `unshare -rm with a bind mount does not work here: ${new TextDecoder().decode(probe.stderr)}`;
if (noNamespace) console.error(`SKIPPED live user tests in a namespace: ${noNamespace}`);

const testUid = 4242;
const lastLogin = Date.parse("2026-11-20T08:00:00Z") / 1000;

/** Account files with a test user `ioc_test_user` (locked, in group `iocops`, one lastlog login). */
async function accountFiles(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-live-users-" });
  await Deno.writeTextFile(
    join(dir, "passwd"),
    "root:x:0:0:root:/root:/bin/bash\n" +
      `ioc_test_user:x:${testUid}:${testUid}:IOC Test User:/home/ioc_test_user:/bin/sh\n`,
  );
  await Deno.writeTextFile(
    join(dir, "group"),
    `root:x:0:\nioc_test_user:x:${testUid}:\niocops:x:5000:ioc_test_user\n`,
  );
  await Deno.writeTextFile(
    join(dir, "shadow"),
    `root:*:20000:0:99999:7:::\nioc_test_user:!$6$salt$hash:20000:0:99999:7:::\n`,
  );
  await Deno.chmod(join(dir, "shadow"), 0o600);
  await Deno.mkdir(join(dir, "log"));
  const lastlog = new Uint8Array((testUid + 1) * 292);
  lastlog.set(lastlogSlot(lastLogin, "pts/3", "10.9.9.9"), testUid * 292);
  await Deno.writeFile(join(dir, "log", "lastlog"), lastlog);
  return dir;
}

/** Runs the CLI with the account files of `dir` mounted over the live ones. */
function cliWithAccounts(dir: string, args: readonly string[]) {
  const mounts = [
    `mount --bind ${join(dir, "passwd")} /etc/passwd`,
    `mount --bind ${join(dir, "group")} /etc/group`,
    `mount --bind ${join(dir, "shadow")} /etc/shadow`,
    `mount --bind ${join(dir, "log")} /var/log`,
  ].join(" && ");
  return runProgram<LooseEvent>("unshare", [
    "-rm",
    "sh",
    "-c",
    `${mounts} && exec "$@"`,
    "sh",
    Deno.execPath(),
    "run",
    "-q",
    "-P=engine",
    cliMain,
    ...args,
  ], { cwd: repositoryRoot, deadlineMs: 60_000 });
}

const items = (events: LooseEvent[], document: string) =>
  events.filter((event) => event.type === "item" && event.document === document);

Deno.test({
  name: "collect user --json reads a test account from the live /etc files field by field",
  ignore: noNamespace !== undefined,
  async fn() {
    const dir = await accountFiles();
    try {
      const run = await cliWithAccounts(dir, ["collect", "user", "--json"]);
      strictEqual(run.code, 0, run.stderr);
      const users = items(run.events, "UserItem");
      deepStrictEqual(users.map((user) => user.key), ["root (0)", `ioc_test_user (${testUid})`]);
      deepStrictEqual(users[1].fields, {
        Username: "ioc_test_user",
        SecurityID: String(testUid),
        fullname: "IOC Test User",
        homedirectory: "/home/ioc_test_user",
        LastLogin: new Date(lastLogin * 1000).toISOString(),
        disabled: false,
        lockedout: true,
        passwordrequired: true,
        userpasswordage: users[1].fields.userpasswordage,
        grouplist: { groupname: ["ioc_test_user", "iocops"] },
      });
      ok(users[1].fields.userpasswordage > 0);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "iocscan scan (live Linux): a UserItem IOC on the test account detects, a near miss is clean",
  ignore: noNamespace !== undefined,
  async fn() {
    const dir = await accountFiles();
    try {
      const scan = async (name: string) => {
        const ioc = join(dir, `${name}.ioc`);
        await Deno.writeTextFile(
          ioc,
          oneItemIoc(name, "UserItem", "UserItem/Username", "is", "string", name),
        );
        return await cliWithAccounts(dir, [
          "scan",
          "--ioc",
          ioc,
          "--db",
          join(dir, `${name}.db`),
          "--json",
        ]);
      };
      const hit = await scan("ioc_test_user");
      strictEqual(hit.code, 1, hit.stderr);
      ok(
        JSON.stringify(hit.events.filter((e) => e.type === "detection")).includes("ioc_test_user"),
      );
      const miss = await scan("ioc_test_usr");
      strictEqual(miss.code, 0, miss.stderr);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("collect user --json on this host: one object per /etc/passwd account", async () => {
  const run = await runCli<LooseEvent>(["collect", "user", "--json"]);
  strictEqual(run.code, 0, run.stderr);
  const expected = parsePasswd(await Deno.readTextFile("/etc/passwd")).entries.map((e) => e.name);
  deepStrictEqual(items(run.events, "UserItem").map((user) => user.fields.Username), expected);
});

Deno.test("collect system --json on this host: the host name and kernel release Deno reads", async () => {
  const run = await runCli<LooseEvent>(["collect", "system", "--json"]);
  strictEqual(run.code, 0, run.stderr);
  const [system] = items(run.events, "SystemInfoItem");
  strictEqual(system.fields.hostname, Deno.hostname());
  strictEqual(system.fields.kernelVersion, Deno.osRelease());
  strictEqual(system.fields.totalphysical, Deno.systemMemoryInfo().total);
  ok(system.fields.networkArray.networkInfo.some((n: { adapter: string }) => n.adapter === "lo"));
  const dir = await Deno.makeTempDir();
  try {
    const scan = async (hostname: string) => {
      const ioc = join(dir, "h.ioc");
      await Deno.writeTextFile(
        ioc,
        oneItemIoc("h", "SystemInfoItem", "SystemInfoItem/hostname", "is", "string", hostname),
      );
      return await runCli(["scan", "--ioc", ioc, "--db", join(dir, `${hostname}.db`), "--json"]);
    };
    strictEqual((await scan(Deno.hostname())).code, 1);
    strictEqual((await scan(`${Deno.hostname()}-not`)).code, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
