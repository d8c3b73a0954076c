/**
 * The task collector end to end through the real CLI: a mounted Windows
 * image (`--root`: task XML files and the SOFTWARE hive's TaskCache), a
 * SOFTWARE hive alone (`--hive`), a Linux image (`--root`), and the live
 * Linux host, whose `/etc/cron.d` and `/etc/systemd/system` are replaced by
 * empty tmpfs mounts in a mount namespace of the test's own (`unshare -m`),
 * so that the test's cron file and timer are read where cron and systemd
 * read them without touching the machine's own. Each IOC that hits has a
 * near miss beside it that must not.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { cliMain, type LooseEvent, runCli, runProgram } from "./_cli.ts";
import { repositoryRoot } from "./corpus.ts";
import { ioc11, item11 } from "../openioc/_ioc_fixtures.ts";
import {
  linuxJobs,
  taskCacheHive,
  taskXml,
  utf16WithBom,
  writeTree,
} from "../collectors/task/_task_fixtures.ts";

function ioc(id: string, items: string): string {
  return ioc11(`<Indicator operator="OR" id="${id}-top">${items}</Indicator>`, { id });
}

async function writeIocs(dir: string, iocs: Readonly<Record<string, string>>): Promise<string> {
  const folder = join(dir, "iocs");
  await Deno.mkdir(folder, { recursive: true });
  for (const [id, items] of Object.entries(iocs)) {
    await Deno.writeTextFile(join(folder, `${id}.ioc`), ioc(id, items));
  }
  return folder;
}

function detectedIds(events: LooseEvent[]): string[] {
  return events.filter((event) => event.type === "detection").map((event) => event.ioc.id)
    .sort();
}

const ghostExe = "MZ ghost";
const secondExe = "MZ second";

async function windowsImage(root: string): Promise<void> {
  await writeTree(root, {
    "Windows/System32/Tasks/Updater": utf16WithBom(taskXml()),
    "Windows/System32/updater.exe": "MZ updater",
    "ProgramData/ghost.exe": ghostExe,
    "ProgramData/second.exe": secondExe,
    "Windows/System32/Tasks/Two": utf16WithBom(taskXml({
      uri: "\\Two",
      moreActions: "<Exec><Command>C:\\ProgramData\\second.exe</Command></Exec>",
    })),
    "Windows/System32/config/SOFTWARE": taskCacheHive([
      {
        path: "\\Updater",
        guid: "{11111111-2222-3333-4444-555555555555}",
        actions: [{ exec: "%windir%\\System32\\updater.exe", args: "/quiet" }],
      },
      {
        path: "\\Hidden\\Ghost",
        guid: "{AAAAAAAA-2222-3333-4444-555555555555}",
        actions: [{ exec: "C:\\ProgramData\\ghost.exe", args: "-silent" }],
      },
    ]),
  });
}

Deno.test("scan --root of a Windows image: a task whose XML was deleted is found through TaskCache, its image hashed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-task-e2e-" });
  try {
    const root = join(dir, "image");
    await windowsImage(root);
    const md5 = createHash("md5").update(ghostExe).digest("hex");
    const iocs = await writeIocs(dir, {
      "ghost-task": item11(
        "g1",
        "contains",
        "TaskItem/ActionList/Action/ExecProgramPath",
        "ghost.exe",
      ),
      "ghost-md5": item11("g2", "is", "TaskItem/md5sum", md5, { contentType: "md5" }),
      "hidden-flag": item11("g3", "contains", "TaskItem/Flag", "XML_FILE_MISSING"),
      "second-action": item11(
        "s1",
        "is",
        "TaskItem/ActionList/Action/ExecProgramSha256sum",
        createHash("sha256").update(secondExe).digest("hex"),
        { contentType: "sha256" },
      ),
      "near-action": item11(
        "n3",
        "is",
        "TaskItem/ActionList/Action/ExecProgramSha256sum",
        createHash("sha256").update("MZ third").digest("hex"),
        { contentType: "sha256" },
      ),
      "near-name": item11("n1", "is", "TaskItem/Name", "Ghost2"),
      "near-account": item11("n2", "is", "TaskItem/AccountName", "S-1-5-19"),
    });
    const run = await runCli<LooseEvent>([
      "scan",
      "--ioc",
      iocs,
      "--root",
      root,
      "--db",
      join(dir, "results.db"),
      "--json",
    ]);
    strictEqual(run.code, 1, run.stderr);
    deepStrictEqual(detectedIds(run.events), [
      "ghost-md5",
      "ghost-task",
      "hidden-flag",
      "second-action",
    ]);
    const text = JSON.stringify(run.events.filter((event) => event.type === "detection"));
    ok(text.includes("\\\\Hidden\\\\Ghost"), text);
    const summary = run.events.find((event) => event.type === "summary");
    deepStrictEqual(summary?.collectors, ["task"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("scan --hive SOFTWARE: TaskCache alone gives the registered tasks; a hive that is no hive leaves TaskItem undecided", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-task-e2e-" });
  try {
    const root = join(dir, "image");
    await windowsImage(root);
    const iocs = await writeIocs(dir, {
      "ghost-name": item11("g1", "is", "TaskItem/Name", "Ghost"),
      "near-path": item11("n1", "is", "TaskItem/VirtualPath", "\\Hidden\\Ghost2"),
    });
    const args = (hive: string, db: string) => [
      "scan",
      "--ioc",
      iocs,
      "--hive",
      hive,
      "--db",
      join(dir, db),
      "--json",
    ];
    const run = await runCli<LooseEvent>(
      args(join(root, "Windows/System32/config/SOFTWARE"), "a.db"),
    );
    strictEqual(run.code, 1, run.stderr);
    deepStrictEqual(detectedIds(run.events), ["ghost-name"]);
    await Deno.writeTextFile(join(dir, "SOFTWARE"), "not a hive");
    const bad = await runCli<LooseEvent>(args(join(dir, "SOFTWARE"), "b.db"));
    strictEqual(bad.code, 3, bad.stderr);
    deepStrictEqual(detectedIds(bad.events), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("scan --root of a Linux image: crontab, timer and at jobs hit, near misses do not", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-task-e2e-" });
  try {
    const root = join(dir, "image");
    await writeTree(root, linuxJobs);
    const iocs = await writeIocs(dir, {
      "beacon": item11("b1", "contains", "TaskItem/crontabCommand", "/opt/evil/beacon"),
      "dropper": item11("d1", "is", "TaskItem/ApplicationName", "/tmp/.x/dropper"),
      "timer": item11("t1", "contains", "TaskItem/TriggerList/Trigger/TriggerFrequency", "02:00"),
      "near-user": item11("n1", "is", "TaskItem/AccountName", "mallory"),
      "near-command": item11("n2", "contains", "TaskItem/crontabCommand", "/opt/evil/beacon2"),
    });
    const run = await runCli<LooseEvent>([
      "scan",
      "--ioc",
      iocs,
      "--root",
      root,
      "--db",
      join(dir, "results.db"),
      "--json",
    ]);
    strictEqual(run.code, 1, run.stderr);
    deepStrictEqual(detectedIds(run.events), ["beacon", "dropper", "timer"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("scan --root of a Linux image: a crontab padded past 1 MiB is not read, and a TaskItem IOC that did not fire is undecided (exit 3), not clean", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-task-e2e-" });
  try {
    const root = join(dir, "image");
    await writeTree(root, {
      "etc/cron.d/padded": ("#".repeat(80) + "\n").repeat(14_000) +
        "* * * * * root /opt/evil/beacon\n",
    });
    const iocs = await writeIocs(dir, {
      "beacon": item11("b1", "contains", "TaskItem/crontabCommand", "/opt/evil/beacon"),
    });
    const run = await runCli<LooseEvent>([
      "scan",
      "--ioc",
      iocs,
      "--root",
      root,
      "--db",
      join(dir, "results.db"),
      "--json",
    ]);
    strictEqual(run.code, 3, run.stderr);
    deepStrictEqual(detectedIds(run.events), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const probe = await new Deno.Command("unshare", {
  args: [
    "-m",
    "sh",
    "-c",
    "mount -t tmpfs none /etc/cron.d && mount -t tmpfs none /etc/systemd/system",
  ],
}).output().catch((error: Error) => ({
  success: false,
  stderr: new TextEncoder().encode(error.message),
}));
const noMountNamespace = probe.success
  ? undefined
  : `unshare -m with tmpfs mounts does not work here: ${new TextDecoder().decode(probe.stderr)}`;
if (noMountNamespace) console.error(`SKIPPED the live Linux task tests: ${noMountNamespace}`);

/** The test's cron file and timer, written where cron and systemd read them (in the namespace). */
const liveSetup = [
  "mount -t tmpfs none /etc/cron.d",
  "mount -t tmpfs none /etc/systemd/system",
  `printf '%s\\n' '*/7 * * * * root /usr/bin/env iocscan-live-probe --x' > /etc/cron.d/iocscan-probe`,
  `printf '[Timer]\\nOnCalendar=hourly\\n' > /etc/systemd/system/probe.timer`,
  `printf '[Service]\\nExecStart=/bin/true probe\\n' > /etc/systemd/system/probe.service`,
].join(" && ");

/** The three digests of a file, as TaskItem names them. */
async function digestsOf(path: string): Promise<Record<string, string>> {
  const bytes = await Deno.readFile(path);
  const digest = (algorithm: string) => createHash(algorithm).update(bytes).digest("hex");
  return { md5sum: digest("md5"), sha1sum: digest("sha1"), sha256sum: digest("sha256") };
}

function liveCli(args: readonly string[]) {
  return runProgram<LooseEvent>("unshare", [
    "-m",
    "sh",
    "-c",
    `${liveSetup} && exec "$@"`,
    "sh",
    Deno.execPath(),
    "run",
    "-q",
    "-P=engine",
    cliMain,
    ...args,
  ], { cwd: repositoryRoot, deadlineMs: 60_000 });
}

Deno.test({
  name:
    "collect task --json reads the live host's cron.d and systemd timers (and /etc/crontab when present)",
  ignore: noMountNamespace !== undefined,
  async fn() {
    const run = await liveCli(["collect", "task", "--json"]);
    strictEqual(run.code, 0, run.stderr);
    const items = run.events.filter((event) => event.type === "item");
    const byKey = new Map(items.map((item) => [item.key, item.fields]));
    deepStrictEqual(byKey.get("/etc/cron.d/iocscan-probe:1"), {
      Name: "/etc/cron.d/iocscan-probe:1",
      path: "/etc/cron.d/iocscan-probe",
      disabled: false,
      Status: "Ready",
      AccountName: "root",
      userName: "root",
      ApplicationName: "/usr/bin/env",
      Parameters: "iocscan-live-probe --x",
      arguments: "iocscan-live-probe --x",
      ActionList: {
        Action: [{
          ActionType: "Exec",
          ExecProgramPath: "/usr/bin/env",
          ExecArguments: "iocscan-live-probe --x",
        }],
      },
      TriggerList: { Trigger: [{ TriggerEnabled: true, TriggerFrequency: "*/7 * * * *" }] },
      triggers: { trigger: [{ type: "cron", schedule: "*/7 * * * *" }] },
      crontabCommand: "/usr/bin/env iocscan-live-probe --x",
      crontabMinute: "*/7",
      crontabHour: "*",
      crontabDayOfMonth: "*",
      crontabMonth: "*",
      crontabDayOfWeek: "*",
      crontabPath: "/etc/cron.d/iocscan-probe",
      ...await digestsOf("/usr/bin/env"),
    });
    strictEqual(byKey.get("probe.timer")?.ApplicationName, "/bin/true");
    let crontab: string | undefined;
    try {
      crontab = await Deno.readTextFile("/etc/crontab");
    } catch {
      console.error("NOTE: this machine has no /etc/crontab; its real read is not checked here");
    }
    if (crontab !== undefined) {
      ok(
        [...byKey.keys()].some((key) => key.startsWith("/etc/crontab:")) ||
          !/^\s*[^#\s]/m.test(crontab),
        "the real /etc/crontab's jobs are listed",
      );
    }
  },
});

Deno.test({
  name: "scan of the live host: an IOC on the test's cron job hits, a near miss does not",
  ignore: noMountNamespace !== undefined,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "iocscan-task-e2e-" });
    try {
      const iocs = await writeIocs(dir, {
        "probe": item11("p1", "is", "TaskItem/Parameters", "iocscan-live-probe --x"),
        "near": item11("n1", "is", "TaskItem/Parameters", "iocscan-live-probe --y"),
      });
      const run = await liveCli(["scan", "--ioc", iocs, "--db", join(dir, "r.db"), "--json"]);
      strictEqual(run.code, 1, run.stderr + run.stdout);
      deepStrictEqual(detectedIds(run.events), ["probe"]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
