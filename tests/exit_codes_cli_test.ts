/**
 * One exit-code rule for every command (docs/events.md, "Exit codes";
 * cli/exit_rule.ts), checked through the real CLI: each command in each
 * situation, a usage error naming the option, and EPIPE (`iocscan … | true`)
 * giving the same code as a run whose reader stayed.
 */
import { ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { buildEvtx, element } from "../formats/evtx/_fixtures.ts";
import { buildHive } from "../formats/regf/hive_builder.ts";
import { cliArgs, runCli, runProgram } from "./_cli.ts";

const demoIoc = new URL("../demo/iocs/invoice_dropper.ioc", import.meta.url).pathname;

interface Fixture {
  dir: string;
  goodIoc: string;
  badIoc: string;
  evtx: string;
  notEvtx: string;
  hive: string;
  notHive: string;
  items: string;
  emptyDir: string;
  scope: string;
  task: (extra: Record<string, unknown>) => string;
}

async function makeFixture(): Promise<Fixture> {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-exit-" });
  const path = (name: string) => join(dir, name);
  await Deno.copyFile(demoIoc, path("good.ioc"));
  await Deno.writeTextFile(path("bad.ioc"), "<ioc><unclosed>");
  await Deno.writeFile(
    path("empty.evtx"),
    buildEvtx({ template: element("Event", [], []), records: [] }),
  );
  await Deno.writeTextFile(path("junk.evtx"), "not an event log");
  await Deno.writeFile(path("NTUSER.DAT"), buildHive({ name: "ROOT" }).bytes);
  await Deno.writeTextFile(path("junk.DAT"), "not a hive");
  await Deno.writeTextFile(
    path("items.ndjson"),
    '{"document":"FileItem","key":"x","FileName":"nothing-to-see.txt"}\n',
  );
  await Deno.mkdir(path("empty"));
  await Deno.mkdir(path("scope"));
  await Deno.writeTextFile(path("scope/readme.txt"), "hello");
  return {
    dir,
    goodIoc: path("good.ioc"),
    badIoc: path("bad.ioc"),
    evtx: path("empty.evtx"),
    notEvtx: path("junk.evtx"),
    hive: path("NTUSER.DAT"),
    notHive: path("junk.DAT"),
    items: path("items.ndjson"),
    emptyDir: path("empty"),
    scope: path("scope"),
    task: (extra) => writeTask(dir, extra),
  };
}

let tasks = 0;

/** Writes a task file loading good.ioc, with `extra` keys. */
function writeTask(dir: string, extra: Record<string, unknown>): string {
  const file = join(dir, `task${++tasks}.json`);
  Deno.writeTextFileSync(
    file,
    JSON.stringify({ version: 1, iocPaths: [join(dir, "good.ioc")], ...extra }),
  );
  return file;
}

interface Result {
  code: number;
  stderr: string;
}

/** Runs the CLI; with `brokenPipe`, its stdout goes to a reader that exits at once (EPIPE). */
async function iocscan(args: string[], brokenPipe = false): Promise<Result> {
  const output = brokenPipe
    ? await runProgram("bash", [
      "-c",
      '"$0" "$@" | true; exit "${PIPESTATUS[0]}"',
      Deno.execPath(),
      ...cliArgs(args),
    ])
    : await runCli(args);
  return { code: output.code, stderr: output.stderr };
}

/** One row: a command line, the code it must exit with, and words its stderr must hold. */
interface Row {
  situation: string;
  args: (f: Fixture) => string[];
  code: number;
  stderr?: string[];
}

const rows: Row[] = [
  // Help asked for is not an error; a bare group is a usage error.
  { situation: "help scan", args: () => ["help", "scan"], code: 0 },
  { situation: "scan --help", args: () => ["scan", "--help"], code: 0 },
  { situation: "collect registry --help", args: () => ["collect", "registry", "--help"], code: 0 },
  { situation: "no command", args: () => [], code: 2 },
  // Usage errors name the option or key.
  ...["scan", "results", "collect eventlog"].map((command): Row => ({
    situation: `${command} --since 2026-02-30`,
    args: (f) => [...command.split(" "), "--since", "2026-02-30", ...sourceOf(command, f)],
    code: 2,
    stderr: ["--since", "February 2026 has no day 30"],
  })),
  ...["scan", "collect eventlog"].map((command): Row => ({
    situation: `${command} --since after --until`,
    args: (f) => [
      ...command.split(" "),
      "--since",
      "2026-11-02",
      "--until",
      "2026-11-01T10:00",
      ...sourceOf(command, f),
    ],
    code: 2,
    stderr: [`iocscan ${command}: --since`, "is later than --until"],
  })),
  {
    situation: "scan --types ,",
    args: (f) => ["scan", "--ioc", f.goodIoc, "--types", ","],
    code: 2,
    stderr: ["--types"],
  },
  {
    situation: "scan task file: unknown key in a scope",
    args: (f) => ["scan", "--task", f.task({ scopes: [{ path: f.scope, dpeth: 1 }] })],
    code: 2,
    stderr: ["scopes[0].dpeth", "unknown key"],
  },
  {
    situation: 'scan task file: databasePath ""',
    args: (f) => ["scan", "--task", f.task({ databasePath: "" })],
    code: 2,
    stderr: ["databasePath"],
  },
  // An empty list of evidence names no evidence: it must not turn a case scan into a live one.
  ...["evidence", "evtx", "hives", "roots", "scopes"].map((key): Row => ({
    situation: `scan task file: ${key} []`,
    args: (f) => ["scan", "--task", f.task({ [key]: [], types: ["registry"] })],
    code: 2,
    stderr: [key, "at least one path"],
  })),
  {
    situation: "scan task file: since 2026-02-30",
    args: (f) => ["scan", "--task", f.task({ since: "2026-02-30" })],
    code: 2,
    stderr: ["since", "no day 30"],
  },
  {
    situation: "collect registry --view 16",
    args: (f) => ["collect", "registry", "--hive", f.hive, "--view", "16"],
    code: 2,
    stderr: ["--view"],
  },
  // Nothing loadable or readable: 2.
  {
    situation: "scan: no IOC loadable",
    args: (f) => ["scan", "--ioc", f.badIoc, "--scope", f.scope, "--db", join(f.dir, "a.db")],
    code: 2,
  },
  { situation: "indicators: every file rejected", args: (f) => ["indicators", f.badIoc], code: 2 },
  { situation: "indicators: empty folder", args: (f) => ["indicators", f.emptyDir], code: 2 },
  {
    situation: "match: every IOC rejected",
    args: (f) => ["match", "--ioc", f.badIoc, "--items", f.items],
    code: 2,
  },
  {
    situation: "match: items file missing",
    args: (f) => ["match", "--ioc", f.goodIoc, "--items", join(f.dir, "none.ndjson")],
    code: 2,
  },
  {
    situation: "collect eventlog: only a non-EVTX file",
    args: (f) => ["collect", "eventlog", "--evtx", f.notEvtx],
    code: 2,
  },
  {
    situation: "collect eventlog: a folder without EVTX files",
    args: (f) => ["collect", "eventlog", "--evtx", f.emptyDir],
    code: 2,
  },
  {
    situation: "collect registry: only a non-hive",
    args: (f) => ["collect", "registry", "--hive", f.notHive],
    code: 2,
  },
  {
    situation: "results: no such database",
    args: (f) => ["results", "--db", join(f.dir, "none.db")],
    code: 2,
  },
  // Some inputs unreadable, nothing detected: 3.
  {
    situation: "indicators: one file of two rejected",
    args: (f) => ["indicators", f.goodIoc, f.badIoc],
    code: 3,
  },
  {
    situation: "match: one IOC file of two rejected",
    args: (f) => ["match", "--ioc", f.goodIoc, f.badIoc, "--items", f.items],
    code: 3,
  },
  {
    situation: "collect eventlog: one non-EVTX file of two",
    args: (f) => ["collect", "eventlog", "--evtx", f.evtx, f.notEvtx],
    code: 3,
  },
  {
    situation: "collect registry: one non-hive of two",
    args: (f) => ["collect", "registry", "--hive", f.hive, f.notHive],
    code: 3,
  },
  // Everything read: 0.
  { situation: "indicators: all loaded", args: (f) => ["indicators", f.goodIoc], code: 0 },
  {
    situation: "match: all read, nothing detected",
    args: (f) => ["match", "--ioc", f.goodIoc, "--items", f.items],
    code: 0,
  },
  {
    situation: "collect eventlog: all read",
    args: (f) => ["collect", "eventlog", "--evtx", f.evtx],
    code: 0,
  },
  {
    situation: "collect registry: all read",
    args: (f) => ["collect", "registry", "--hive", f.hive],
    code: 0,
  },
];

/** The smallest source a command needs to get past "nothing to read". */
function sourceOf(command: string, f: Fixture): string[] {
  if (command === "scan") return ["--ioc", f.goodIoc, "--scope", f.scope];
  if (command === "results") return ["--db", join(f.dir, "none.db")];
  return ["--evtx", f.evtx];
}

/** Command lines whose output a reader abandons; each must exit as it does with a reader. */
const epipeRows: { situation: string; args: (f: Fixture) => string[] }[] = [
  {
    situation: "scan --json",
    args: (f) => [
      "scan",
      "--ioc",
      f.goodIoc,
      "--scope",
      f.scope,
      "--db",
      join(f.dir, "e.db"),
      "--json",
    ],
  },
  { situation: "scan (text)", args: (f) => ["scan", "--ioc", f.goodIoc, "--scope", f.scope] },
  { situation: "indicators --json (incomplete)", args: (f) => ["indicators", f.dir, "--json"] },
  { situation: "indicators (text)", args: (f) => ["indicators", f.goodIoc] },
  {
    situation: "match --json",
    args: (f) => ["match", "--ioc", f.goodIoc, "--items", f.items, "--json"],
  },
  {
    situation: "collect eventlog --json (incomplete)",
    args: (f) => ["collect", "eventlog", "--evtx", f.evtx, f.notEvtx, "--json"],
  },
  {
    situation: "collect registry --json",
    args: (f) => ["collect", "registry", "--hive", f.hive, "--json"],
  },
  {
    situation: "collect registry (text, incomplete)",
    args: (f) => ["collect", "registry", "--hive", f.hive, f.notHive],
  },
  { situation: "results --json", args: (f) => ["results", "--db", join(f.dir, "e.db"), "--json"] },
];

Deno.test("every command exits by one rule: 0 all read, 3 some inputs unread, 2 nothing read or a usage error", async (t) => {
  const fixture = await makeFixture();
  try {
    for (const row of rows) {
      await t.step(row.situation, async () => {
        const { code, stderr } = await iocscan(row.args(fixture));
        strictEqual(code, row.code, `${row.situation}: stderr: ${stderr}`);
        for (const words of row.stderr ?? []) {
          ok(stderr.includes(words), `${row.situation}: stderr lacks "${words}": ${stderr}`);
        }
      });
    }
  } finally {
    await Deno.remove(fixture.dir, { recursive: true });
  }
});

Deno.test("EPIPE on stdout gives every command the exit code it has with a reader", async (t) => {
  const fixture = await makeFixture();
  try {
    for (const row of epipeRows) {
      await t.step(row.situation, async () => {
        const args = row.args(fixture);
        const withReader = await iocscan(args);
        const withoutReader = await iocscan(args, true);
        strictEqual(
          withoutReader.code,
          withReader.code,
          `${row.situation}: stderr: ${withoutReader.stderr}`,
        );
        ok(!/broken pipe/i.test(withoutReader.stderr), withoutReader.stderr);
      });
    }
  } finally {
    await Deno.remove(fixture.dir, { recursive: true });
  }
});
