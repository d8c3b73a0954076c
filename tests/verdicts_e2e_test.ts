/**
 * End-to-end: a scan never says "clean" when it was blind. Each case runs the
 * real CLI (`iocscan scan … --json`) and checks the exit code (docs/events.md:
 * 0 clean, 1 detections, 2 could not run, 3 incomplete) and the summary's
 * `complete` and `incomplete` fields.
 */
import { resolveTerm } from "../openioc/term_catalogue.ts";
import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { buildEvtx, element } from "../formats/evtx/_fixtures.ts";
import { runCli } from "./_cli.ts";

type Json = Record<string, unknown>;

interface Summary extends Json {
  status: string;
  complete: boolean;
  incomplete: { kind: string; what: string; why: string }[];
  objects: number;
}

function ioc10(id: string, items: string, operator = "OR"): string {
  return `<?xml version="1.0" encoding="us-ascii"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="${id}" last-modified="2026-11-28T00:00:00">
  <short_description>${id}</short_description>
  <definition><Indicator operator="${operator}" id="${id}-top">${items}</Indicator></definition>
</ioc>`;
}

function item(id: string, search: string, condition: string, value: string, negate = false) {
  const document = search.split("/")[0];
  return `<IndicatorItem id="${id}" condition="${condition}" negate="${negate}" preserve-case="false">` +
    `<Context document="${document}" search="${search}" type="mir"/>` +
    `<Content type="string">${value}</Content></IndicatorItem>`;
}

const unknownMd5 = "0123456789abcdef0123456789abcdef";

async function iocscan(args: string[]): Promise<{ code: number; events: Json[]; stderr: string }> {
  const output = await runCli<Json>(args);
  return { code: output.code, events: output.events, stderr: output.stderr };
}

function summaryOf(events: Json[]): Summary {
  const summary = events.find((event) => event.type === "summary");
  ok(summary !== undefined, "no summary event");
  return summary as Summary;
}

/** A temporary folder with one IOC file, an empty scope folder and a database path. */
async function withCase(
  iocXml: string,
  body: (paths: { root: string; ioc: string; scope: string; db: string }) => Promise<void>,
): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "iocscan-verdicts-" });
  try {
    const ioc = join(root, "case.ioc");
    const scope = join(root, "scope");
    await Deno.writeTextFile(ioc, iocXml);
    await Deno.mkdir(scope);
    await Deno.writeTextFile(join(scope, "plain.txt"), "nothing to see\n");
    await body({ root, ioc, scope, db: join(root, "results.db") });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

const fileIoc = ioc10("file-only", item("m", "FileItem/Md5sum", "is", unknownMd5));

Deno.test("iocscan scan: a complete scan with nothing found is clean (exit 0, complete)", async () => {
  await withCase(fileIoc, async ({ ioc, scope, db }) => {
    const { code, events } = await iocscan([
      "scan",
      "--ioc",
      ioc,
      "--scope",
      scope,
      "--db",
      db,
      "--json",
    ]);
    const summary = summaryOf(events);
    deepStrictEqual(code, 0);
    deepStrictEqual([summary.status, summary.complete, summary.incomplete], [
      "completed",
      true,
      [],
    ]);
    deepStrictEqual(summary.objects, 1);
  });
});

Deno.test("iocscan scan: a missing --scope is incomplete (exit 3), not clean", async () => {
  await withCase(fileIoc, async ({ root, ioc, db }) => {
    const missing = join(root, "no-such-folder");
    const { code, events } = await iocscan([
      "scan",
      "--ioc",
      ioc,
      "--scope",
      missing,
      "--db",
      db,
      "--json",
    ]);
    const summary = summaryOf(events);
    deepStrictEqual(code, 3);
    deepStrictEqual([summary.status, summary.complete], ["incomplete", false]);
    deepStrictEqual(summary.incomplete.map((entry) => [entry.kind, entry.what]), [[
      "input",
      missing,
    ]]);
    ok(summary.incomplete[0]!.why.startsWith("--scope: "), summary.incomplete[0]!.why);

    // The run is stored as incomplete, with the reason kept as a warning.
    const stored = await iocscan(["results", "--db", db, "--run", String(summary.runId), "--json"]);
    const run = stored.events.find((event) => event.type === "run");
    deepStrictEqual(run?.status, "incomplete");
    const output = await runCli(["results", "--db", db, "--run", String(summary.runId)]);
    const text = output.stdout;
    ok(
      text.includes(`incomplete: not read or not evaluated: ${missing}: --scope: not found`),
      text,
    );
  });
});

Deno.test("iocscan scan: a missing scope among readable ones is incomplete; its siblings are read", async () => {
  await withCase(fileIoc, async ({ root, ioc, scope, db }) => {
    const missing = join(root, "typo");
    const { code, events } = await iocscan([
      "scan",
      "--ioc",
      ioc,
      "--scope",
      scope,
      missing,
      "--db",
      db,
      "--json",
    ]);
    const summary = summaryOf(events);
    deepStrictEqual(code, 3);
    deepStrictEqual(summary.objects, 1);
    deepStrictEqual(summary.incomplete.map((entry) => entry.what), [missing]);
  });
});

Deno.test("iocscan scan: a missing --evtx is incomplete (exit 3)", async () => {
  const xml = ioc10("events", item("e", "EventLogItem/EID", "is", "4242"));
  await withCase(xml, async ({ root, ioc, db }) => {
    const missing = join(root, "Security.evtx");
    const { code, events } = await iocscan([
      "scan",
      "--ioc",
      ioc,
      "--evtx",
      missing,
      "--db",
      db,
      "--json",
    ]);
    deepStrictEqual(code, 3);
    deepStrictEqual(summaryOf(events).incomplete.map((entry) => entry.what), [missing]);
  });
});

Deno.test("iocscan scan: an --evtx file that is no EVTX log is incomplete (exit 3)", async () => {
  const xml = ioc10("events", item("e", "EventLogItem/EID", "is", "4242"));
  await withCase(xml, async ({ root, ioc, db }) => {
    const junk = join(root, "Security.evtx");
    await Deno.writeTextFile(junk, "this is no event log");
    const { code, events } = await iocscan([
      "scan",
      "--ioc",
      ioc,
      "--evtx",
      junk,
      "--db",
      db,
      "--json",
    ]);
    deepStrictEqual(code, 3);
    deepStrictEqual(summaryOf(events).incomplete.map((entry) => entry.what), [junk]);
  });
});

Deno.test("iocscan scan: a missing --hive and an .xz-compressed hive are incomplete (exit 3)", async () => {
  const xml = ioc10("registry", item("r", "RegistryItem/ValueName", "is", "EvilRun"));
  await withCase(xml, async ({ root, ioc, db }) => {
    const missing = join(root, "NTUSER.DAT");
    const first = await iocscan(["scan", "--ioc", ioc, "--hive", missing, "--db", db, "--json"]);
    deepStrictEqual(first.code, 3);
    deepStrictEqual(summaryOf(first.events).incomplete.map((entry) => entry.what), [missing]);

    // The xz magic, as a compressed hive starts: readable, but no hive.
    const xz = join(root, "NTUSER.DAT.xz");
    await Deno.writeFile(xz, Uint8Array.of(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 0, 0, 0));
    const second = await iocscan(["scan", "--ioc", ioc, "--hive", xz, "--db", db, "--json"]);
    deepStrictEqual(second.code, 3);
    const [entry] = summaryOf(second.events).incomplete;
    deepStrictEqual(entry?.what, xz);
    ok(entry.why.startsWith("--hive: skipped by the registry collector"), entry.why);
  });
});

Deno.test("iocscan scan: a missing --root is incomplete (exit 3) and never falls back to live files", async () => {
  await withCase(fileIoc, async ({ root, ioc, db }) => {
    const missing = join(root, "mnt", "case-0042");
    const { code, events } = await iocscan([
      "scan",
      "--ioc",
      ioc,
      "--root",
      missing,
      "--db",
      db,
      "--json",
    ]);
    const summary = summaryOf(events);
    deepStrictEqual(code, 3);
    deepStrictEqual(summary.objects, 0);
    deepStrictEqual(summary.incomplete.map((entry) => entry.what), [missing]);
  });
});

Deno.test("iocscan scan: an unknown --preset is a usage error (exit 2), nothing is scanned", async () => {
  await withCase(fileIoc, async ({ ioc, db }) => {
    const { code, events, stderr } = await iocscan([
      "scan",
      "--ioc",
      ioc,
      "--preset",
      "important-area",
      "--db",
      db,
      "--json",
    ]);
    deepStrictEqual(code, 2);
    deepStrictEqual(events, []);
    ok(stderr.includes("unknown preset(s): important-area"), stderr);
  });
});

Deno.test("iocscan scan: a mistyped --evidence never turns into a live scan of this machine (exit 2)", async () => {
  await withCase(fileIoc, async ({ root, ioc, db }) => {
    const { code, events, stderr } = await iocscan([
      "scan",
      "--ioc",
      ioc,
      "--evidence",
      join(root, "case-0042"),
      "--db",
      db,
      "--json",
    ]);
    deepStrictEqual(code, 2);
    deepStrictEqual(events.filter((event) => event.type === "summary"), []);
    ok(stderr.includes("never falls back"), stderr);
  });
});

Deno.test("iocscan scan: one unreadable evidence path among readable evidence is incomplete (exit 3)", async () => {
  await withCase(
    ioc10("events", item("e", "EventLogItem/EID", "is", "4242")),
    async ({ root, ioc, scope, db }) => {
      // A folder without Windows/System32 is searched for .evtx files: readable evidence (one
      // without a .evtx file would not be read either, tests/evtx_inputs_completeness_test.ts).
      await Deno.writeFile(
        join(scope, "System.evtx"),
        buildEvtx({ template: element("Event", [], []), records: [] }),
      );
      const missing = join(root, "typo");
      const { code, events } = await iocscan([
        "scan",
        "--ioc",
        ioc,
        "--evidence",
        scope,
        missing,
        "--db",
        db,
        "--json",
      ]);
      deepStrictEqual(code, 3);
      deepStrictEqual(summaryOf(events).incomplete.map((entry) => entry.what), [missing]);
    },
  );
});

Deno.test("iocscan scan: an IOC of HookItem terms only (never produced) cannot fire: exit 3, not 0", async () => {
  const xml = ioc10(
    "zeus-like",
    item("p", "HookItem/HookedFunction", "is", "NtCreateFile") +
      item("q", "HookItem/HookingModule", "is", "evil.sys"),
  );
  await withCase(xml, async ({ ioc, scope, db }) => {
    const { code, events } = await iocscan([
      "scan",
      "--ioc",
      ioc,
      "--scope",
      scope,
      "--db",
      db,
      "--json",
    ]);
    deepStrictEqual(code, 3);
    const summary = summaryOf(events);
    deepStrictEqual(summary.incomplete.map((entry) => [entry.kind, entry.what]), [
      ["ioc", `zeus-like (${ioc})`],
    ]);
    ok(summary.incomplete[0]!.why.startsWith("cannot fire"), summary.incomplete[0]!.why);
    const reasons = events.filter((event) => event.type === "not-evaluated").map((
      event,
    ) => [event.itemId, event.reason]);
    // No collector fills HookItem: `no-collector` while no collector is assigned to it, else
    // `not-produced` (the catalogue says which).
    const why = resolveTerm("HookItem/HookedFunction")!.coverage;
    ok(why === "no-collector" || why === "not-produced", why);
    deepStrictEqual(reasons, [["p", why], ["q", why]]);
  });
});

Deno.test("iocscan scan: a negated term the collector does not produce never fires", async () => {
  const xml = ioc10(
    "negated-strings",
    item("s", "FileItem/StringList/string", "is", "only-in-malware", true),
  );
  await withCase(xml, async ({ ioc, scope, db }) => {
    const { code, events } = await iocscan([
      "scan",
      "--ioc",
      ioc,
      "--scope",
      scope,
      "--db",
      db,
      "--json",
    ]);
    deepStrictEqual(events.filter((event) => event.type === "detection"), []);
    deepStrictEqual(code, 3);
    const notEvaluated = events.filter((event) => event.type === "not-evaluated");
    deepStrictEqual(notEvaluated.map((event) => [event.itemId, event.reason]), [[
      "s",
      "not-produced",
    ]]);
  });
});

Deno.test("iocscan scan: an item is reported not evaluated once, with one reason", async () => {
  const xml = ioc10(
    "two-reasons",
    item("empty", "PrefetchItem/ApplicationFileName", "is", "") +
      item("m", "FileItem/Md5sum", "is", unknownMd5),
  );
  await withCase(xml, async ({ ioc, scope, db }) => {
    const { events } = await iocscan([
      "scan",
      "--ioc",
      ioc,
      "--scope",
      scope,
      "--db",
      db,
      "--json",
    ]);
    const notEvaluated = events.filter((event) => event.type === "not-evaluated");
    deepStrictEqual(notEvaluated.map((event) => [event.itemId, event.reason]), [[
      "empty",
      "no-collector",
    ]]);
    deepStrictEqual(summaryOf(events).notEvaluated, 1);
  });
});

Deno.test("iocscan scan: an IOC that could fire only through items not evaluated is incomplete; a hit is a detection", async () => {
  await withCase(fileIoc, async ({ root, scope, db }) => {
    const planted = new TextEncoder().encode("planted\n");
    const digest = Array.from(
      new Uint8Array(await crypto.subtle.digest("SHA-256", planted)),
      (byte) => byte.toString(16).padStart(2, "0"),
    ).join("");
    const mixed = (sha256: string) =>
      ioc10(
        "mixed",
        item("h", "FileItem/Sha256sum", "is", sha256) +
          item("p", "PrefetchItem/ApplicationFileName", "is", "evil.exe"),
      );
    const ioc = join(root, "mixed.ioc");
    await Deno.writeTextFile(ioc, mixed(digest.replace(/^./, (c) => c === "0" ? "1" : "0")));
    await Deno.writeFile(join(scope, "planted.bin"), planted);
    const missed = await iocscan(["scan", "--ioc", ioc, "--scope", scope, "--db", db, "--json"]);
    deepStrictEqual(missed.code, 3);
    ok(summaryOf(missed.events).incomplete[0]!.why.startsWith("could have fired only through"));

    await Deno.writeTextFile(ioc, mixed(digest));
    const hit = await iocscan(["scan", "--ioc", ioc, "--scope", scope, "--db", db, "--json"]);
    deepStrictEqual(hit.code, 1);
    const summary = summaryOf(hit.events);
    deepStrictEqual([summary.detections, summary.complete, summary.incomplete], [1, true, []]);
  });
});

Deno.test("iocscan scan: the human output says INCOMPLETE, never 'No detections.', when blind", async () => {
  await withCase(fileIoc, async ({ root, ioc, db }) => {
    const missing = join(root, "no-such-folder");
    const output = await runCli(["scan", "--ioc", ioc, "--scope", missing, "--db", db]);
    const stdout = output.stdout;
    deepStrictEqual(output.code, 3);
    ok(!stdout.includes("No detections."), stdout);
    ok(stdout.includes("INCOMPLETE: nothing detected in what was read; not evaluated"), stdout);
    ok(stdout.includes(`${missing}: --scope: not found`), stdout);
  });
});
