import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { SkippedObject } from "../collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { mountHiveFiles } from "../registry/mod.ts";
import { createTaskCollector } from "./collector.ts";
import { parseAnacrontab, parseCrontab } from "./crontab.ts";
import { splitCommand } from "./command_image.ts";
import { linuxTaskSource } from "./linux_source.ts";
import { listTasks } from "./task_list.ts";
import { decodeTaskActions, readTaskCache } from "./task_cache.ts";
import { decodeTaskText, parseTaskXml } from "./task_xml.ts";
import type { TaskSource } from "./task_source.ts";
import { imageFileOpener, windowsTaskSource } from "./windows_source.ts";
import {
  actionsBlob,
  linuxJobs,
  taskCacheHive,
  taskXml,
  utf16WithBom,
  writeTree,
} from "./_task_fixtures.ts";

const observation = { time: "2026-12-07T04:00:00.000Z", computer: "host1" };

interface Run {
  items: ObservedItem[];
  skipped: SkippedObject[];
  warnings: string[];
}

async function collect(
  sources: readonly TaskSource[],
  fields: readonly string[] = ["Name"],
  maxObjects?: number,
): Promise<Run> {
  const run: Run = { items: [], skipped: [], warnings: [] };
  const collector = createTaskCollector({
    sources,
    observe: () => observation,
    hashWorkers: 0,
    ...(maxObjects === undefined ? {} : { maxObjects }),
  });
  const reporter = {
    skipped: (entry: SkippedObject) => run.skipped.push(entry),
    warning: (entry: { message: string }) => run.warnings.push(entry.message),
    progress() {},
  };
  const needs = new Map([["TaskItem", new Set(fields)]]);
  for await (const item of collector.collect({ needs, reporter })) {
    const lazy = item.lazy;
    if (lazy) {
      Object.assign(item.fields, await lazy.load(fields.filter((name) => lazy.provides(name))));
    }
    run.items.push(item);
  }
  return run;
}

async function withTemp(body: (folder: string) => Promise<void>): Promise<void> {
  const folder = await Deno.makeTempDir({ prefix: "iocscan-task-" });
  try {
    await body(folder);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
}

Deno.test("parseCrontab reads schedules, users, nicknames and the % that ends a command", () => {
  const system = parseCrontab(
    "MAILTO=root\n# comment\n*/5 1-3 * 1,6 mon-fri alice /opt/x --a 50\\% % input\n" +
      "@reboot root /usr/bin/y\n@never root /z\n* * *\n",
    true,
  );
  deepStrictEqual(system.jobs, [
    {
      line: 3,
      minute: "*/5",
      hour: "1-3",
      dayOfMonth: "*",
      month: "1,6",
      dayOfWeek: "mon-fri",
      command: "/opt/x --a 50%",
      user: "alice",
    },
    { line: 4, period: "reboot", event: "reboot", command: "/usr/bin/y", user: "root" },
  ]);
  deepStrictEqual(system.bad.map((bad) => bad.line), [5, 6]);
  const user = parseCrontab("0 4 * * * /home/alice/bin/sync.sh\n", false);
  strictEqual(user.jobs[0]!.command, "/home/alice/bin/sync.sh");
  strictEqual(user.jobs[0]!.user, undefined);
  deepStrictEqual(parseAnacrontab("7\t10\tcron.weekly\trun-parts /etc/cron.weekly\n").jobs, [
    {
      line: 1,
      period: "7",
      delay: 10,
      jobIdentifier: "cron.weekly",
      command: "run-parts /etc/cron.weekly",
    },
  ]);
});

Deno.test("splitCommand finds the program past assignments and quotes, without a shell", () => {
  deepStrictEqual(splitCommand("LANG=C '/opt/my tool/run' -x"), {
    program: "/opt/my tool/run",
    arguments: "-x",
  });
  deepStrictEqual(splitCommand('exec "/bin/a\\"b";rm -rf /'), {
    program: '/bin/a"b',
    arguments: ";rm -rf /",
  });
  deepStrictEqual(splitCommand("   "), {});
});

Deno.test("task collector: every Linux job kind below a root, field by field where it matters", async () => {
  await withTemp(async (root) => {
    await writeTree(root, linuxJobs);
    await writeTree(root, { "opt/evil/beacon": "MZ beacon" });
    const run = await collect([linuxTaskSource({ root })], ["Name", "md5sum"]);
    deepStrictEqual(run.items.map((item) => item.key), [
      "/etc/crontab:3",
      "/etc/crontab:4",
      "/etc/cron.d/backup:1",
      "/etc/anacrontab:1",
      "/etc/cron.daily/logrotate",
      "/var/spool/cron/crontabs/alice:1",
      "sync.timer",
      "a0000101c5d8a0",
    ]);
    const beacon = run.items[1]!;
    deepStrictEqual(beacon.fields, {
      Name: "/etc/crontab:4",
      path: "/etc/crontab",
      disabled: false,
      Status: "Ready",
      AccountName: "alice",
      userName: "alice",
      ApplicationName: "/opt/evil/beacon",
      Parameters: "--c2 10.1.2.3",
      arguments: "--c2 10.1.2.3",
      ActionList: {
        Action: [{
          ActionType: "Exec",
          ExecProgramPath: "/opt/evil/beacon",
          ExecArguments: "--c2 10.1.2.3",
        }],
      },
      TriggerList: {
        Trigger: [{ TriggerEnabled: true, TriggerFrequency: "*/5 1-3 * 1,6 mon-fri" }],
      },
      triggers: { trigger: [{ type: "cron", schedule: "*/5 1-3 * 1,6 mon-fri" }] },
      crontabCommand: "/opt/evil/beacon --c2 10.1.2.3",
      crontabMinute: "*/5",
      crontabHour: "1-3",
      crontabDayOfMonth: "*",
      crontabMonth: "1,6",
      crontabDayOfWeek: "mon-fri",
      crontabPath: "/etc/crontab",
      md5sum: createHash("md5").update("MZ beacon").digest("hex"),
    });
    deepStrictEqual(beacon.provenance, { ...observation, source: join(root, "etc/crontab") });
    strictEqual(beacon.unevaluated?.AccountLogonType, "a Linux job has no logon type");
    const timer = run.items[6]!;
    strictEqual(timer.fields.AccountName, "alice");
    strictEqual(timer.fields.ApplicationName, "/usr/bin/rsync");
    strictEqual(timer.fields.disabled, false);
    strictEqual(timer.fields.Comment, "Nightly sync");
    const at = run.items[7]!;
    strictEqual(at.fields.AccountName, "alice");
    strictEqual(at.fields.ApplicationName, "/tmp/.x/dropper");
    // 0x1c5d8a0 minutes after 1970.
    deepStrictEqual(at.fields.TriggerList, {
      Trigger: [{
        TriggerEnabled: true,
        TriggerBegin: new Date(0x1c5d8a0 * 60_000).toISOString(),
        TriggerFrequency: "once",
      }],
    });
    strictEqual(run.items[2]!.fields.crontabEvent, "reboot");
    strictEqual(run.items[3]!.fields.crontabJobIdentifier, "cron.daily");
    // The program does not exist below the root: a skip and unknown digests, never absent ones.
    const rsync = timer.lazy!.unevaluated!();
    ok(rsync?.md5sum, "the timer's missing image leaves md5sum unevaluated");
  });
});

Deno.test("task collector: a Linux root without schedulers yields nothing, and says nothing is wrong", async () => {
  await withTemp(async (root) => {
    const run = await collect([linuxTaskSource({ root })]);
    deepStrictEqual(run, { items: [], skipped: [], warnings: [] });
  });
});

Deno.test("task collector: a FIFO crontab is refused unread, and a crontab link out of the root is not followed", async () => {
  await withTemp(async (folder) => {
    const root = join(folder, "image");
    await writeTree(root, { "etc/cron.d/.keep": "" });
    await writeTree(folder, { "outside": "* * * * * root /secret\n" });
    await Deno.symlink(join(folder, "outside"), join(root, "etc/crontab"));
    const fifo = new Deno.Command("mkfifo", { args: [join(root, "etc/cron.d/pipe")] });
    strictEqual((await fifo.output()).code, 0);
    const run = await collect([linuxTaskSource({ root })]);
    deepStrictEqual(run.items.map((item) => item.key), []);
    deepStrictEqual(run.skipped.map((skip) => skip.reason).sort(), ["special-file", "symlink"]);
  });
});

Deno.test("parseTaskXml reads a UTF-16 task file with a byte-order mark", () => {
  const facts = parseTaskXml(
    decodeTaskText(utf16WithBom(taskXml({ hidden: true }))),
    (text) => text.replace("%windir%", "C:\\Windows"),
  );
  deepStrictEqual(facts.actions, [{
    type: "Exec",
    programPath: "C:\\Windows\\System32\\updater.exe",
    arguments: "/quiet",
    workingDirectory: "C:\\Windows\\Temp",
  }]);
  deepStrictEqual(facts.triggers, [{
    type: "CalendarTrigger",
    enabled: true,
    begin: "2026-12-01T03:00:00",
    frequency: "daily",
  }]);
  strictEqual(facts.account, "S-1-5-18");
  strictEqual(facts.runLevel, "HighestAvailable");
  deepStrictEqual(facts.flags, ["TASK_FLAG_HIDDEN"]);
});

Deno.test("windows task source: XML files and TaskCache compared; a task in one only is flagged", async () => {
  await withTemp(async (root) => {
    await writeTree(root, {
      "Windows/System32/Tasks/Updater": utf16WithBom(taskXml()),
      "Windows/System32/Tasks/Microsoft/Dropped": utf16WithBom(
        taskXml({ uri: "\\Microsoft\\Dropped", command: "C:\\Users\\Public\\d.exe" }),
      ),
      "Windows/System32/updater.exe": "MZ updater",
      "Windows/System32/config/SOFTWARE": taskCacheHive([
        {
          path: "\\Updater",
          guid: "{11111111-2222-3333-4444-555555555555}",
          actions: [{ exec: "%windir%\\System32\\updater.exe", args: "/quiet" }],
          lastRun: new Date("2026-12-06T03:00:00Z"),
          result: 0x41301,
        },
        {
          path: "\\Hidden\\Ghost",
          guid: "{AAAAAAAA-2222-3333-4444-555555555555}",
          actions: [{ exec: "C:\\ProgramData\\ghost.exe", args: "-silent" }],
          noSd: true,
        },
      ]),
    });
    const mounted = await mountHiveFiles([{
      file: join(root, "Windows/System32/config/SOFTWARE"),
    }]);
    const software = mounted.mounts[0]!;
    const source = windowsTaskSource({
      name: "test",
      tasksFolder: join(root, "Windows/System32/Tasks"),
      displayFolder: "C:\\Windows\\System32\\Tasks",
      software: () => Promise.resolve(software),
      expand: (text) => text.replace(/%windir%/i, "C:\\Windows"),
      openImage: imageFileOpener(root, "C:"),
    });
    const run = await collect([source], ["Name", "sha256sum"]);
    deepStrictEqual(run.items.map((item) => [item.key, item.fields.Flag]), [
      ["\\Microsoft\\Dropped", "TASKCACHE_ENTRY_MISSING"],
      ["\\Updater", undefined],
      ["\\Hidden\\Ghost", "XML_FILE_MISSING | TASKCACHE_SD_MISSING"],
    ]);
    const updater = run.items[1]!;
    strictEqual(updater.fields.MostRecentRunTime, "2026-12-06T03:00:00.000Z");
    strictEqual(updater.fields.ExitCode, 0x41301);
    strictEqual(updater.fields.path, "C:\\Windows\\System32\\Tasks\\Updater");
    strictEqual(updater.fields.ApplicationName, "C:\\Windows\\System32\\updater.exe");
    strictEqual(
      updater.fields.sha256sum,
      createHash("sha256").update("MZ updater").digest("hex"),
    );
    const ghost = run.items[2]!;
    strictEqual(ghost.fields.ApplicationName, "C:\\ProgramData\\ghost.exe");
    strictEqual(ghost.fields.Parameters, "-silent");
    ok(ghost.unevaluated?.TriggerList?.includes("XML file is missing"));
    strictEqual(ghost.fields.path, undefined);
    strictEqual(ghost.provenance?.source, join(root, "Windows/System32/config/SOFTWARE"));
    const entries = await listTasks([source]);
    deepStrictEqual(entries[2], {
      name: "\\Hidden\\Ghost",
      imagePath: "C:\\ProgramData\\ghost.exe",
      imageOpenPath: join(root, "ProgramData", "ghost.exe"),
      arguments: "-silent",
      flags: ["XML_FILE_MISSING", "TASKCACHE_SD_MISSING"],
    });
  });
});

Deno.test("windows task source: hostile task files are skipped with a reason, never parsed into tasks", async () => {
  await withTemp(async (root) => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE Task [<!ENTITY a "aaaaaaaaaa">` +
      `<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Task><Actions><Exec><Command>&b;</Command>` +
      `</Exec></Actions></Task>`;
    await writeTree(root, {
      "Tasks/Entities": utf16WithBom(laughs),
      "Tasks/Deep": "<Task>" + "<a>".repeat(5000) + "</a>".repeat(5000) + "</Task>",
      "Tasks/Huge": new Uint8Array(2 * 1024 * 1024).fill(0x20),
      "Tasks/NotATask": "<Service><Actions/></Service>",
      "Tasks/Fine": utf16WithBom(taskXml()),
    });
    const source = windowsTaskSource({
      name: "test",
      tasksFolder: join(root, "Tasks"),
      displayFolder: "C:\\Windows\\System32\\Tasks",
      software: () => Promise.resolve("no hive in this test"),
      expand: (text) => text,
      openImage: () => undefined,
    });
    const started = performance.now();
    const run = await collect([source]);
    ok(performance.now() - started < 5000, "hostile files are read in linear time");
    deepStrictEqual(run.items.map((item) => item.key), ["\\Fine"]);
    deepStrictEqual(
      run.skipped.filter((skip) => skip.object !== "TaskCache")
        .map((skip) => [skip.object.split("\\").pop(), skip.reason]),
      [["Deep", "corrupt"], ["Entities", "corrupt"], ["Huge", "too-large"], [
        "NotATask",
        "unsupported",
      ]],
    );
    ok(run.skipped.some((skip) => skip.detail?.includes("TaskCache not read")));
    // Without TaskCache the last run is unknown, not absent.
    strictEqual(run.items[0]!.unevaluated?.MostRecentRunTime, "TaskCache was not read");
  });
});

Deno.test("windows task source: nothing readable at all is a source-unavailable skip naming TaskItem", async () => {
  const source = windowsTaskSource({
    name: "TaskCache of x",
    displayFolder: "C:\\Windows\\System32\\Tasks",
    software: () => Promise.resolve("x: not a registry hive"),
    expand: (text) => text,
    openImage: () => undefined,
  });
  const run = await collect([source]);
  strictEqual(run.items.length, 0);
  strictEqual(run.skipped[0]!.reason, "source-unavailable");
  deepStrictEqual(run.skipped[0]!.unreadDocuments, ["TaskItem"]);
});

Deno.test("task collector: past the cap the rest is unread, and TaskItem named as unread", async () => {
  await withTemp(async (root) => {
    await writeTree(root, linuxJobs);
    const run = await collect([linuxTaskSource({ root })], ["Name"], 2);
    strictEqual(run.items.length, 2);
    strictEqual(run.skipped.length, 1);
    strictEqual(run.skipped[0]!.reason, "source-unavailable");
    deepStrictEqual(run.skipped[0]!.unreadDocuments, ["TaskItem"]);
  });
});

Deno.test("decodeTaskActions reads Exec and ComHandler actions and reports a cut blob", () => {
  const clsid = Uint8Array.of(
    0x78,
    0x56,
    0x34,
    0x12,
    0x34,
    0x12,
    0x78,
    0x56,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
  );
  const blob = actionsBlob([{ exec: "C:\\a.exe", args: "-x", dir: "C:\\" }, { clsid, data: "d" }]);
  deepStrictEqual(decodeTaskActions(blob), [
    { type: "Exec", programPath: "C:\\a.exe", arguments: "-x", workingDirectory: "C:\\" },
    { type: "ComHandler", comClassId: "{12345678-1234-5678-0102-030405060708}", comData: "d" },
  ]);
  strictEqual(typeof decodeTaskActions(blob.subarray(0, blob.length - 3)), "string");
  strictEqual(typeof decodeTaskActions(Uint8Array.of(1, 0)), "string");
});

/** Whether reglookup (an independent REGF reader) is installed. */
const reglookup = await new Deno.Command("reglookup", {
  args: ["-h"],
  stdout: "null",
  stderr: "null",
})
  .output().then(() => true, () => false);
if (!reglookup) console.error("SKIPPED the reglookup cross-check of TaskCache: no reglookup");

Deno.test({
  name: "readTaskCache finds the tasks reglookup lists in Tree and Tasks",
  ignore: !reglookup,
  async fn() {
    await withTemp(async (folder) => {
      const file = join(folder, "SOFTWARE");
      const tasks = Array.from({ length: 40 }, (_, index) => ({
        path: index % 3 === 0
          ? `\\Microsoft\\Windows\\Group${index % 5}\\T${index}`
          : `\\T${index}`,
        guid: `{${index.toString(16).padStart(8, "0")}-0000-0000-0000-000000000000}`,
        ...(index % 7 === 0 ? { noSd: true } : {}),
      }));
      await Deno.writeFile(file, taskCacheHive(tasks));
      const base = "/Microsoft/Windows NT/CurrentVersion/Schedule/TaskCache";
      const run = async (args: string[]) =>
        new TextDecoder().decode((await new Deno.Command("reglookup", { args }).output()).stdout)
          .split("\n").slice(1).filter((line) => line !== "");
      const treeIds = (await run(["-t", "SZ", "-p", `${base}/Tree`, file]))
        .filter((line) => line.split(",")[0]!.endsWith("/Id"))
        .map((line) => line.split(",")[0]!.slice(`${base}/Tree`.length, -"/Id".length))
        .map((path) => path.replaceAll("/", "\\")).sort();
      const guids = (await run(["-t", "KEY", "-p", `${base}/Tasks`, file]))
        .map((line) => line.split(",")[0]!).filter((path) => path.startsWith(`${base}/Tasks/`))
        .map((path) => path.slice(`${base}/Tasks/`.length)).sort();
      const mounted = await mountHiveFiles([{ file }]);
      const cache = [...readTaskCache(mounted.mounts[0]!).values()];
      strictEqual(treeIds.length, 40);
      deepStrictEqual(
        cache.filter((entry) => entry.inTree).map((entry) => entry.virtualPath).sort(),
        treeIds,
      );
      deepStrictEqual(
        cache.filter((entry) => entry.inTasks).map((entry) => entry.id!).sort(),
        guids,
      );
      strictEqual(cache.filter((entry) => entry.noSecurityDescriptor).length, 6);
    });
  },
});

Deno.test("task collector: on an image, a job's program that links out of the image is not hashed", async () => {
  await withTemp(async (folder) => {
    const root = join(folder, "image");
    await writeTree(folder, { "host-secret": "host file" });
    await writeTree(root, { "etc/cron.d/job": "* * * * * root /opt/tool\n" });
    await Deno.symlink(join(folder, "host-secret"), join(root, "opt/tool")).catch(async () => {
      await Deno.mkdir(join(root, "opt"));
      await Deno.symlink(join(folder, "host-secret"), join(root, "opt/tool"));
    });
    const run = await collect([linuxTaskSource({ root })], ["Name", "md5sum"]);
    strictEqual(run.items.length, 1);
    strictEqual(run.items[0]!.fields.md5sum, undefined);
    ok(run.items[0]!.lazy!.unevaluated!()?.md5sum?.includes("/opt/tool"));
  });
});

Deno.test("task collector: each Exec action's digests when asked; one that cannot be opened is unknown, not absent", async () => {
  await withTemp(async (root) => {
    await writeTree(root, {
      "etc/systemd/system/two.timer": "[Timer]\nOnCalendar=daily\n",
      "etc/systemd/system/two.service":
        "[Service]\nExecStart=/opt/first --a\nExecStart=relative-tool\nExecStart=/opt/second\n",
      "opt/first": "first",
      "opt/second": "second",
    });
    const run: Run = { items: [], skipped: [], warnings: [] };
    const collector = createTaskCollector({
      sources: [linuxTaskSource({ root })],
      observe: () => observation,
      hashWorkers: 0,
      actionDigests: true,
    });
    const reporter = { skipped() {}, warning() {}, progress() {} };
    const needs = new Map([["TaskItem", new Set(["ActionList"])]]);
    for await (const item of collector.collect({ needs, reporter })) run.items.push(item);
    const item = run.items[0]!;
    strictEqual(item.fields.ActionList, undefined, "ActionList waits for its digests");
    const loaded = await item.lazy!.load(["ActionList"]);
    const md5 = (text: string) => createHash("md5").update(text).digest("hex");
    deepStrictEqual(
      (loaded.ActionList as { Action: Record<string, unknown>[] }).Action.map((action) => [
        action.ExecProgramPath,
        action.ExecProgramMd5sum,
      ]),
      [["/opt/first", md5("first")], ["relative-tool", undefined], ["/opt/second", md5("second")]],
    );
    ok(
      item.lazy!.unevaluated!()?.["ActionList/Action/ExecProgramMd5sum"]?.includes("relative-tool"),
    );
  });
});

Deno.test("task collector: a crontab that cannot be read (over 1 MiB, a FIFO, a link out of the root) leaves TaskItem unread", async () => {
  await withTemp(async (folder) => {
    const root = join(folder, "image");
    // cron runs a padded crontab's job; the collector does not read past 1 MiB.
    const padded = "#".repeat(80) + "\n";
    await writeTree(root, {
      "etc/cron.d/huge": padded.repeat(14_000) + "* * * * * root /tmp/.x/beacon\n",
    });
    await writeTree(folder, { "outside": "* * * * * root /secret\n" });
    await Deno.symlink(join(folder, "outside"), join(root, "etc/crontab"));
    const fifo = new Deno.Command("mkfifo", { args: [join(root, "etc/cron.d/pipe")] });
    strictEqual((await fifo.output()).code, 0);
    const run = await collect([linuxTaskSource({ root })]);
    deepStrictEqual(
      run.skipped.map((skip) => [skip.reason, skip.unreadDocuments]).sort(),
      [["special-file", ["TaskItem"]], ["symlink", ["TaskItem"]], ["too-large", ["TaskItem"]]],
    );
  });
});

Deno.test("windows task source: a task file that cannot be read, and TaskCache unread, leave TaskItem unread; a file that is no task does not", async () => {
  await withTemp(async (root) => {
    await writeTree(root, {
      "Tasks/Broken": "<Task><Actions><Exec><Command>x</Command></Exec>",
      "Tasks/Huge": new Uint8Array(2 * 1024 * 1024).fill(0x20),
      "Tasks/NotATask": "<Service><Actions/></Service>",
      "Tasks/Fine": utf16WithBom(taskXml()),
    });
    const source = windowsTaskSource({
      name: "test",
      tasksFolder: join(root, "Tasks"),
      displayFolder: "C:\\Windows\\System32\\Tasks",
      software: () => Promise.resolve("no hive in this test"),
      expand: (text) => text,
      openImage: () => undefined,
    });
    const run = await collect([source]);
    deepStrictEqual(run.items.map((item) => item.key), ["\\Fine"]);
    const unread = (name: string) =>
      run.skipped.find((skip) => skip.object.endsWith(name))?.unreadDocuments;
    deepStrictEqual(unread("Broken"), ["TaskItem"]);
    deepStrictEqual(unread("Huge"), ["TaskItem"]);
    strictEqual(unread("NotATask"), undefined);
    // A task whose XML was deleted runs from TaskCache alone: without TaskCache it is not seen.
    deepStrictEqual(
      run.skipped.find((skip) => skip.object === "TaskCache")?.unreadDocuments,
      ["TaskItem"],
    );
  });
});
