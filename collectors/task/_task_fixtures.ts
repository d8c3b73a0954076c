/**
 * Test fixtures of the task collector, built with code: task XML files
 * (UTF-16 LE with a byte-order mark, as Windows writes them), SOFTWARE hives
 * holding TaskCache (Tree, Tasks, the binary Actions and DynamicInfo), and
 * Linux roots with crontabs, timers and `at` jobs.
 *
 * @module
 */
import { join } from "node:path";
import { buildHive, type BuildKey, utf16z, ValueType } from "../../formats/regf/mod.ts";

/** The Task Scheduler 2.0 namespace. */
const taskNamespace = "http://schemas.microsoft.com/windows/2004/02/mit/task";

/** Text as Windows writes a task file: UTF-16 LE after a byte-order mark. */
export function utf16WithBom(text: string): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < text.length; i++) {
    out[2 + i * 2] = text.charCodeAt(i) & 0xff;
    out[3 + i * 2] = text.charCodeAt(i) >> 8;
  }
  return out;
}

/** The parts of a task XML file the tests vary. */
export interface TaskXmlOptions {
  readonly uri?: string;
  readonly author?: string;
  readonly command?: string;
  readonly arguments?: string;
  readonly enabled?: boolean;
  readonly hidden?: boolean;
  readonly userId?: string;
  /** Extra action elements, as XML. */
  readonly moreActions?: string;
  /** Trigger elements, as XML (a daily calendar trigger by default). */
  readonly triggers?: string;
}

/** A task XML document as schtasks writes one. */
export function taskXml(options: TaskXmlOptions = {}): string {
  return `<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.4" xmlns="${taskNamespace}">
  <RegistrationInfo>
    <Date>2026-11-30T10:00:00</Date>
    <Author>${options.author ?? "CONTOSO\\admin"}</Author>
    <Description>Keeps things up to date</Description>
    <URI>${options.uri ?? "\\Updater"}</URI>
  </RegistrationInfo>
  <Triggers>${
    options.triggers ??
      `<CalendarTrigger><StartBoundary>2026-12-01T03:00:00</StartBoundary><Enabled>true</Enabled><ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay></CalendarTrigger>`
  }</Triggers>
  <Principals>
    <Principal id="Author">
      <UserId>${options.userId ?? "S-1-5-18"}</UserId>
      <LogonType>ServiceAccount</LogonType>
      <RunLevel>HighestAvailable</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <Enabled>${options.enabled ?? true}</Enabled>
    <Hidden>${options.hidden ?? false}</Hidden>
    <ExecutionTimeLimit>PT72H</ExecutionTimeLimit>
    <Priority>7</Priority>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>${options.command ?? "%windir%\\System32\\updater.exe"}</Command>
      <Arguments>${options.arguments ?? "/quiet"}</Arguments>
      <WorkingDirectory>C:\\Windows\\Temp</WorkingDirectory>
    </Exec>${options.moreActions ?? ""}
  </Actions>
</Task>
`;
}

/** A length-prefixed UTF-16 LE string of an Actions blob. */
function blobString(text: string): Uint8Array {
  const body = utf16z(text).subarray(0, text.length * 2);
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length, true);
  out.set(body, 4);
  return out;
}

function u16(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff, value >> 8);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** An action of a TaskCache Actions blob. */
export type BlobAction =
  | { readonly exec: string; readonly args?: string; readonly dir?: string }
  | { readonly clsid: Uint8Array; readonly data?: string };

/** A TaskCache `Actions` value (version 3). */
export function actionsBlob(actions: readonly BlobAction[]): Uint8Array {
  return concat([
    u16(3),
    blobString("Author"),
    ...actions.flatMap((action) =>
      "exec" in action
        ? [
          u16(0x6666),
          blobString(""),
          blobString(action.exec),
          blobString(action.args ?? ""),
          blobString(action.dir ?? ""),
          u16(0),
        ]
        : [u16(0x7777), blobString(""), action.clsid, blobString(action.data ?? "")]
    ),
  ]);
}

/** A TaskCache `DynamicInfo` value with a last run and its result. */
export function dynamicInfo(lastRun: Date, result: number): Uint8Array {
  const out = new Uint8Array(36);
  const view = new DataView(out.buffer);
  view.setUint32(0, 3, true);
  const ticks = BigInt(lastRun.getTime()) * 10000n + 116444736000000000n;
  view.setBigUint64(4, ticks, true);
  view.setBigUint64(12, ticks, true);
  view.setUint32(24, result, true);
  return out;
}

/** One task registered in TaskCache. */
export interface CachedTask {
  /** `\Folder\Task`. */
  readonly path: string;
  readonly guid: string;
  readonly actions?: readonly BlobAction[];
  readonly lastRun?: Date;
  readonly result?: number;
  /** Leave Tree's `SD` value out (a task hidden from listings). */
  readonly noSd?: boolean;
  readonly author?: string;
}

function sz(name: string, text: string) {
  return { name, type: ValueType.REG_SZ, data: utf16z(text) };
}

/** A SOFTWARE hive's bytes with these tasks in TaskCache (and CurrentVersion's SystemRoot). */
export function taskCacheHive(tasks: readonly CachedTask[]): Uint8Array {
  const tree: BuildKey = { name: "Tree", subkeys: [] };
  for (const task of tasks) {
    const parts = task.path.split("\\").filter((part) => part !== "");
    let folder = tree;
    for (const part of parts.slice(0, -1)) {
      let next = folder.subkeys!.find((key) => key.name === part);
      if (!next) {
        next = { name: part, subkeys: [] };
        folder.subkeys!.push(next);
      }
      folder = next;
    }
    folder.subkeys!.push({
      name: parts.at(-1)!,
      values: [
        sz("Id", task.guid),
        { name: "Index", type: ValueType.REG_DWORD, data: Uint8Array.of(3, 0, 0, 0) },
        ...(task.noSd
          ? []
          : [{ name: "SD", type: ValueType.REG_BINARY, data: Uint8Array.of(1, 0) }]),
      ],
    });
  }
  const tasksKey: BuildKey = {
    name: "Tasks",
    subkeys: tasks.map((task) => ({
      name: task.guid,
      values: [
        sz("Path", task.path),
        sz("Author", task.author ?? "CONTOSO\\admin"),
        sz("Date", "2026-11-30T10:00:00"),
        ...(task.actions
          ? [{ name: "Actions", type: ValueType.REG_BINARY, data: actionsBlob(task.actions) }]
          : []),
        ...(task.lastRun
          ? [{
            name: "DynamicInfo",
            type: ValueType.REG_BINARY,
            data: dynamicInfo(task.lastRun, task.result ?? 0),
          }]
          : []),
      ],
    })),
  };
  return buildHive({
    name: "ROOT",
    subkeys: [{
      name: "Microsoft",
      subkeys: [{
        name: "Windows NT",
        subkeys: [{
          name: "CurrentVersion",
          values: [sz("SystemRoot", "C:\\Windows"), sz("ProductName", "Windows 10 Pro")],
          subkeys: [{
            name: "Schedule",
            subkeys: [{ name: "TaskCache", subkeys: [tree, tasksKey] }],
          }],
        }],
      }],
    }],
  }).bytes;
}

/** Writes `files` (path below `root` → text or bytes), making folders. */
export async function writeTree(
  root: string,
  files: Readonly<Record<string, string | Uint8Array>>,
): Promise<void> {
  for (const [relative, content] of Object.entries(files)) {
    const path = join(root, relative);
    await Deno.mkdir(join(path, ".."), { recursive: true });
    if (typeof content === "string") await Deno.writeTextFile(path, content);
    else await Deno.writeFile(path, content);
  }
}

/** A Linux root with every kind of job the Linux source reads. */
export const linuxJobs: Readonly<Record<string, string>> = {
  "etc/passwd": "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n",
  "etc/crontab": "SHELL=/bin/sh\n# m h dom mon dow user command\n" +
    "17 * * * * root cd / && run-parts --report /etc/cron.hourly\n" +
    "*/5 1-3 * 1,6 mon-fri alice /opt/evil/beacon --c2 10.1.2.3 % stdin text\n",
  "etc/cron.d/backup": "@reboot root /usr/local/bin/backup.sh --now\n",
  "etc/anacrontab": "1\t5\tcron.daily\trun-parts --report /etc/cron.daily\n",
  "etc/cron.daily/logrotate": "#!/bin/sh\n/usr/sbin/logrotate /etc/logrotate.conf\n",
  "var/spool/cron/crontabs/alice": "0 4 * * * /home/alice/bin/sync.sh\n",
  "etc/systemd/system/sync.timer":
    "[Unit]\nDescription=Nightly sync\n[Timer]\nOnCalendar=*-*-* 02:00:00\nUnit=sync.service\n",
  "etc/systemd/system/sync.service":
    "[Service]\nUser=alice\nExecStart=-/usr/bin/rsync -a /home/alice /backup\n",
  "etc/systemd/system/timers.target.wants/sync.timer": "",
  "var/spool/cron/atjobs/a0000101c5d8a0":
    "#!/bin/sh\n# atrun uid=1000 gid=1000\n# mail alice 0\numask 22\ncd /home/alice || {\n\t echo 'Execution directory inaccessible' >&2\n\t exit 1\n}\n${SHELL:-/bin/sh} << 'marcinDELIMITER2f5c1a1b'\n/tmp/.x/dropper -q\nmarcinDELIMITER2f5c1a1b\n",
};
