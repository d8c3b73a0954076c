import { deepStrictEqual, ok, rejects, strictEqual, throws } from "node:assert/strict";
import { localName, parseXml, textOf, type XmlElement } from "../../openioc/xml_tree.ts";
import { parseTaskXml } from "../../collectors/task/task_xml.ts";
import {
  bootTaskPath,
  bootTaskXml,
  releaseTaskPath,
  releaseTaskXml,
  schtasksScheduler,
  startBoundary,
  taskXmlBytes,
} from "./windows_release_tasks.ts";
import type { IsolationPlan } from "./contract.ts";

const command = { program: "C:\\Program Files\\IocScan\\bin\\iocscan.exe", arguments: [] };
const tail = ["--db", "C:\\ProgramData\\IocScan\\results store.db"];

/** The element tree as [name, text or children] pairs, attributes as `@name`. */
type Shape = [string, string | Shape[], Record<string, string>?];
function shape(element: XmlElement): Shape {
  const children = element.children.filter((n): n is XmlElement => n.kind === "element");
  const attributes = Object.fromEntries(element.attributes.map((a) => [a.name, a.value]));
  const content = children.length === 0 ? textOf(element) : children.map(shape);
  return Object.keys(attributes).length > 0
    ? [localName(element.name), content, attributes]
    : [localName(element.name), content];
}

const principals: Shape = ["Principals", [[
  "Principal",
  [["UserId", "S-1-5-18"], ["RunLevel", "HighestAvailable"]],
  { id: "Author" },
]]];

function settings(retry: boolean): Shape {
  return ["Settings", [
    ...(retry ? [["RestartOnFailure", [["Interval", "PT1M"], ["Count", "10"]]] as Shape] : []),
    ["MultipleInstancesPolicy", "IgnoreNew"],
    ["DisallowStartIfOnBatteries", "false"],
    ["StopIfGoingOnBatteries", "false"],
    ["StartWhenAvailable", "true"],
    ["RunOnlyIfNetworkAvailable", "false"],
    ["Enabled", "true"],
    ["ExecutionTimeLimit", "PT10M"],
  ]];
}

Deno.test("releaseTaskXml: a 1.2 task, TimeTrigger at the deadline, SYSTEM, highest, release with the store", () => {
  const xml = releaseTaskXml("2026-12-07T13:59:59.250Z", command, tail);
  ok(xml.startsWith('<?xml version="1.0" encoding="UTF-16"?>\n'));
  deepStrictEqual(shape(parseXml(xml).root), [
    "Task",
    [
      ["RegistrationInfo", [
        ["Author", "iocscan"],
        [
          "Description",
          "Lifts the iocscan network isolation at its deadline (2026-12-07T13:59:59.250Z). Removed by iocscan isolation release.",
        ],
        ["URI", "\\IocScan\\IsolationRelease"],
      ]],
      ["Triggers", [["TimeTrigger", [["StartBoundary", "2026-12-07T14:00:00Z"], [
        "Enabled",
        "true",
      ]]]]],
      principals,
      settings(true),
      ["Actions", [["Exec", [
        ["Command", "C:\\Program Files\\IocScan\\bin\\iocscan.exe"],
        ["Arguments", 'isolation release --db "C:\\ProgramData\\IocScan\\results store.db"'],
      ]]], { Context: "Author" }],
    ],
    { version: "1.2", xmlns: "http://schemas.microsoft.com/windows/2004/02/mit/task" },
  ]);
});

Deno.test("bootTaskXml: BootTrigger, isolation boot, no retry; the task collector reads both back", () => {
  const xml = bootTaskXml({
    program: "C:\\deno\\deno.exe",
    arguments: ["run", "-A", "C:\\a b\\iocscan.js"],
  }, tail);
  const root = shape(parseXml(xml).root);
  deepStrictEqual(root[1][1], ["Triggers", [["BootTrigger", [["Enabled", "true"]]]]]);
  deepStrictEqual(root[1][2], principals);
  deepStrictEqual(root[1][3], settings(false));
  deepStrictEqual(root[1][4], ["Actions", [["Exec", [
    ["Command", "C:\\deno\\deno.exe"],
    [
      "Arguments",
      'run -A "C:\\a b\\iocscan.js" isolation boot --db "C:\\ProgramData\\IocScan\\results store.db"',
    ],
  ]]], { Context: "Author" }]);
  const facts = parseTaskXml(xml, (text) => text);
  strictEqual(facts.account, "S-1-5-18");
  strictEqual(facts.runLevel, "HighestAvailable");
  strictEqual(facts.virtualPath, bootTaskPath);
  deepStrictEqual(facts.triggers.map((t) => t.type), ["BootTrigger"]);
  const release = parseTaskXml(releaseTaskXml("2026-12-07T14:00:00.000Z", command, []), (t) => t);
  deepStrictEqual(release.triggers.map((t) => [t.type, t.begin]), [[
    "TimeTrigger",
    "2026-12-07T14:00:00Z",
  ]]);
  strictEqual(release.virtualPath, releaseTaskPath);
});

Deno.test("releaseTaskXml: escapes XML, refuses % and control characters in the action", () => {
  const xml = releaseTaskXml("2026-12-07T14:00:00Z", {
    program: "C:\\a&b<c>\\iocscan.exe",
    arguments: [],
  }, []);
  ok(xml.includes("<Command>C:\\a&amp;b&lt;c&gt;\\iocscan.exe</Command>"));
  strictEqual(
    textOf(
      parseXml(xml).root.children.find((n): n is XmlElement =>
        n.kind === "element" && n.name === "Actions"
      )!.children.find((n): n is XmlElement => n.kind === "element")!.children.find((
        n,
      ): n is XmlElement => n.kind === "element")!,
    ),
    "C:\\a&b<c>\\iocscan.exe",
  );
  throws(
    () => releaseTaskXml("2026-12-07T14:00:00Z", command, ["--db", "%TEMP%\\x.db"]),
    /expand as an environment variable/,
  );
  throws(() => bootTaskXml(command, ["--db", "x\r\ny"]), /control character/);
  throws(() => startBoundary("tomorrow"), /not a time/);
  throws(
    () =>
      releaseTaskXml("2026-12-07T14:00:00Z", command, ["--db", "postgres://scan:s3cret@db/iocs"]),
    /a database password cannot go into a scheduled task/,
  );
  ok(
    releaseTaskXml("2026-12-07T14:00:00Z", command, ["--db", "postgres://scan@db/iocs"]).includes(
      "postgres://scan@db/iocs",
    ),
  );
});

const plan: IsolationPlan = { id: "iso-1", expiresAt: "2026-12-07T14:00:00.000Z", allow: [] };

function recorder(codes: Record<string, number> = {}) {
  const calls: string[][] = [];
  const files = new Map<string, Uint8Array>();
  const removed: string[] = [];
  return {
    calls,
    files,
    removed,
    options: {
      command,
      tail,
      folder: "C:\\ProgramData\\IocScan\\isolation",
      run: (program: string, args: readonly string[]) => {
        calls.push([program, ...args]);
        return {
          code: codes[`${program} ${args[0]} ${args[2] ?? ""}`.trim()] ?? 0,
          output: "ERROR: recorded",
        };
      },
      writeFile: (path: string, bytes: Uint8Array) => void files.set(path, bytes),
      removeFile: (path: string) => void removed.push(path),
      makeFolder: () => {},
    },
  };
}

Deno.test("schtasksScheduler.register: protects the folder, writes UTF-16 XML, /Create with an argument array, deletes the file", async () => {
  const record = recorder();
  await schtasksScheduler(record.options).register(plan);
  const releaseFile = "C:\\ProgramData\\IocScan\\isolation/IsolationRelease.xml";
  const bootFile = "C:\\ProgramData\\IocScan\\isolation/IsolationBoot.xml";
  deepStrictEqual(
    record.calls,
    [
      [
        "icacls",
        "C:\\ProgramData\\IocScan\\isolation",
        "/inheritance:r",
        "/grant:r",
        "*S-1-5-18:(OI)(CI)F",
        "*S-1-5-32-544:(OI)(CI)F",
      ],
      ["schtasks", "/Create", "/TN", releaseTaskPath, "/XML", releaseFile, "/F"],
      ["schtasks", "/Create", "/TN", bootTaskPath, "/XML", bootFile, "/F"],
    ].map((call) => call.map((part) => part.replaceAll("/", "/"))),
  );
  const bytes = record.files.get(releaseFile)!;
  deepStrictEqual(Array.from(bytes.subarray(0, 2)), [0xff, 0xfe]);
  strictEqual(
    new TextDecoder("utf-16le").decode(bytes.subarray(2)),
    releaseTaskXml(plan.expiresAt, command, tail),
  );
  deepStrictEqual(record.removed, [releaseFile, bootFile]);
  deepStrictEqual(taskXmlBytes("A").length, 4);
});

Deno.test("schtasksScheduler.register: a refusal throws and still deletes the file; a bad value runs nothing", async () => {
  const record = recorder({ "schtasks /Create \\IocScan\\IsolationRelease": 1 });
  await rejects(
    schtasksScheduler(record.options).register(plan),
    /Task Scheduler refused \\IocScan\\IsolationRelease \(schtasks exit 1\)/,
  );
  strictEqual(record.removed.length, 1);
  const half = recorder({ "schtasks /Create \\IocScan\\IsolationBoot": 1 });
  await rejects(schtasksScheduler(half.options).register(plan), /refused \\IocScan\\IsolationBoot/);
  deepStrictEqual(half.calls.at(-1), ["schtasks", "/Delete", "/TN", releaseTaskPath, "/F"]);
  const bad = recorder();
  await rejects(
    (async () =>
      await schtasksScheduler({ ...bad.options, tail: ["--db", "50%.db"] }).register(plan))(),
    /expand as an environment variable/,
  );
  deepStrictEqual(bad.calls, []);
});

Deno.test("schtasksScheduler.remove: deletes both; a task already gone is fine, one that stays is an error", async () => {
  const gone = recorder({
    "schtasks /Delete \\IocScan\\IsolationRelease": 1,
    "schtasks /Query \\IocScan\\IsolationRelease": 1,
  });
  await schtasksScheduler(gone.options).remove();
  deepStrictEqual(gone.calls, [
    ["schtasks", "/Delete", "/TN", releaseTaskPath, "/F"],
    ["schtasks", "/Query", "/TN", releaseTaskPath],
    ["schtasks", "/Delete", "/TN", bootTaskPath, "/F"],
  ]);
  const stuck = recorder({ "schtasks /Delete \\IocScan\\IsolationBoot": 5 });
  await rejects(
    schtasksScheduler(stuck.options).remove(),
    /did not remove \\IocScan\\IsolationBoot/,
  );
});
