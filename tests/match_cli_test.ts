/**
 * `iocscan match` end to end: the real CLI in a child process, IOC files and
 * items generated in a temporary folder.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { ioc10, ioc11, item10, item11 } from "../openioc/_ioc_fixtures.ts";
import { parseEvents, runCli } from "./_cli.ts";
import { corpusDir, repositoryRoot } from "./corpus.ts";

function iocscan(args: string[], stdin?: string) {
  return runCli(args, { cwd: repositoryRoot, ...(stdin === undefined ? {} : { stdin }) });
}

const md5 = "d41d8cd98f00b204e9800998ecf8427e";

/** A folder with a 1.0 hash/name IOC, a 1.1 HX event IOC and a broken file. */
async function fixtureFolder(): Promise<string> {
  const folder = await Deno.makeTempDir({ prefix: "iocscan-match-" });
  await Deno.writeTextFile(
    join(folder, "a.ioc"),
    ioc10(
      `<Indicator operator="OR" id="top">` +
        `<Indicator operator="AND" id="pair">` +
        item10("hash", "is", "FileItem/Md5sum", md5.toUpperCase(), { contentType: "md5" }) +
        item10("name", "isnot", "FileItem/FileName", "good.exe") +
        `</Indicator>` +
        item10("ip", "contains", "PortItem/remoteIP", "103.41.124.", { contentType: "IP" }) +
        item10("dns", "is", "Snort/Snort", "evil.example") +
        `</Indicator>`,
      { id: "ioc-a" },
    ),
  );
  await Deno.writeTextFile(
    join(folder, "b.ioc"),
    ioc11(
      `<Indicator operator="OR" id="top"><Indicator operator="AND" id="rundll">` +
        item11("p", "is", "eventItem/processEvent/process", "rundll32.exe") +
        item11("c", "contains", "processEvent/processCmdLine", "javascript:") +
        item11("x", "starts-with", "processEvent/parentProcess", "explorer", { negate: true }) +
        `</Indicator>` +
        item11("empty", "is", "processEvent/md5", "") +
        `</Indicator>`,
      { id: "ioc-b" },
    ),
  );
  await Deno.writeTextFile(join(folder, "broken.ioc"), "<ioc><unclosed>");
  return folder;
}

const items = [
  JSON.stringify({ document: "FileItem", key: "C:\\bad.exe", FileName: "bad.exe", Md5sum: md5 }),
  JSON.stringify({ document: "FileItem", key: "C:\\good.exe", FileName: "good.exe", Md5sum: md5 }),
  "this is not json",
  JSON.stringify({ FileName: "no document" }),
  "",
  JSON.stringify({
    type: "item",
    document: "processEvent",
    process: "RUNDLL32.EXE",
    processCmdLine: 'rundll32 javascript:"\\..\\mshtml"',
    parentProcess: "winword.exe",
  }),
].join("\r\n");

Deno.test("iocscan match --json writes warnings, rejections, not-evaluated, detections and a summary", async () => {
  const folder = await fixtureFolder();
  try {
    const itemsFile = join(folder, "items.ndjson");
    await Deno.writeTextFile(itemsFile, items);
    const { code, stdout } = await iocscan([
      "match",
      "--ioc",
      folder,
      "--items",
      itemsFile,
      "--json",
    ]);
    strictEqual(code, 1);
    const all = parseEvents(stdout);
    const types = all.map((event) => event.type);
    // Order: warnings and rejections, then not-evaluated, then detections, then the summary.
    deepStrictEqual(
      [...new Set(types)],
      ["warning", "rejected", "not-evaluated", "detection", "summary"],
    );
    const badLines = all.filter((e) => e.code === "bad-item-line").map((e) => e.line);
    deepStrictEqual(badLines, [3, 4]);
    deepStrictEqual(all.filter((e) => e.type === "rejected").map((e) => e.file), [
      join(folder, "broken.ioc"),
    ]);
    deepStrictEqual(
      all.filter((e) => e.type === "not-evaluated").map((e) => [e.itemId, e.reason]),
      [["dns", "unsupported-term"], ["empty", "empty-content"]],
    );
    const detections = all.filter((e) => e.type === "detection") as unknown as {
      ioc: { id: string; file: string };
      evidence: {
        object: string;
        document: string;
        indicator: string;
        items: { id: string; observed?: unknown }[];
      }[];
    }[];
    deepStrictEqual(detections.map((d) => d.ioc.id), ["ioc-a", "ioc-b"]);
    deepStrictEqual(
      detections[0]!.evidence.map((
        e,
      ) => [e.object, e.indicator, e.items.map((i) => [i.id, i.observed])]),
      [
        ["C:\\bad.exe", "pair", [["hash", md5], ["name", "bad.exe"]]],
      ],
    );
    deepStrictEqual(
      detections[1]!.evidence.map((e) => [e.object, e.document, e.items.map((i) => i.id)]),
      [
        [`${itemsFile}:6`, "processEvent", ["p", "c", "x"]],
      ],
    );
    deepStrictEqual(all.at(-1), {
      type: "summary",
      iocs: 2,
      objects: 3,
      detections: 2,
      warnings: all.filter((e) => e.type === "warning").length,
      rejected: 1,
      notEvaluated: 2,
      // Both IOCs fired: only the rejected file is missing from the verdict.
      complete: false,
      incomplete: [{
        kind: "input",
        what: join(folder, "broken.ioc"),
        why: `--ioc: rejected: ${all.find((e) => e.type === "rejected")!.error}`,
      }],
    });
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("iocscan match exits 0 with no detection and prints a table without --json", async () => {
  const folder = await fixtureFolder();
  try {
    const clean = JSON.stringify({ document: "PortItem", remoteIP: "10.1.2.3" });
    // a.ioc could still fire through its Snort/Snort item, which match cannot evaluate: not clean.
    const undecided = await iocscan(
      ["match", "--ioc", join(folder, "a.ioc"), "--items", "-"],
      clean,
    );
    strictEqual(undecided.code, 3, undecided.stdout);
    ok(undecided.stdout.includes("ioc-a"), undecided.stdout);
    ok(!undecided.stdout.includes("No detections."), undecided.stdout);
    // Without it, every item is evaluated and the object rules the IOC out.
    await Deno.writeTextFile(
      join(folder, "c.ioc"),
      (await Deno.readTextFile(join(folder, "a.ioc"))).replace(
        /<IndicatorItem id="dns".*?<\/IndicatorItem>/s,
        "",
      ),
    );
    const { code, stdout } = await iocscan([
      "match",
      "--ioc",
      join(folder, "c.ioc"),
      "--items",
      "-",
    ], clean);
    strictEqual(code, 0, stdout);
    ok(stdout.includes("No detections."), stdout);
    ok(stdout.includes("1 IOC(s), 1 object(s), 0 detection(s)"), stdout);

    const hit = JSON.stringify({
      document: "PortItem",
      key: "tcp 103.41.124.9:443",
      remoteIP: "103.41.124.9",
    });
    const table = await iocscan(["match", "--ioc", join(folder, "a.ioc"), "--items", "-"], hit);
    strictEqual(table.code, 1);
    ok(/IOC ID\s+NAME\s+FILE\s+EVIDENCE/.test(table.stdout), table.stdout);
    ok(/ioc-a\s+Test 1\.0\s+\S+a\.ioc\s+1/.test(table.stdout), table.stdout);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("iocscan match exits 2 when the items file is missing or no IOC loads", async () => {
  const folder = await fixtureFolder();
  try {
    const missingItems = await iocscan([
      "match",
      "--ioc",
      folder,
      "--items",
      join(folder, "nope.ndjson"),
    ]);
    strictEqual(missingItems.code, 2);
    ok(missingItems.stderr.includes("nope.ndjson"), missingItems.stderr);
    const itemsFile = join(folder, "items.ndjson");
    await Deno.writeTextFile(itemsFile, "");
    const noIoc = await iocscan([
      "match",
      "--ioc",
      join(folder, "broken.ioc"),
      "--items",
      itemsFile,
    ]);
    strictEqual(noIoc.code, 2);
    ok(noIoc.stderr.includes("no IOC could be loaded"), noIoc.stderr);
    const usage = await iocscan(["match", "--items", itemsFile]);
    strictEqual(usage.code, 2);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test({
  name:
    "iocscan match refuses an items file that leads into /proc (kmsg waits for ever, pagemap reads gigabytes) or to a FIFO",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const folder = await fixtureFolder();
    try {
      await Deno.symlink("/proc/kmsg", join(folder, "kmsg.ndjson"));
      await Deno.symlink("/proc/self/pagemap", join(folder, "pagemap.ndjson"));
      await new Deno.Command("mkfifo", { args: [join(folder, "fifo.ndjson")] }).output();
      for (const name of ["kmsg.ndjson", "pagemap.ndjson", "fifo.ndjson"]) {
        const started = Date.now();
        const run = iocscan([
          "match",
          "--ioc",
          join(folder, "a.ioc"),
          "--items",
          join(folder, name),
        ]);
        const timeout = new Promise<"hung">((done) => setTimeout(() => done("hung"), 15_000));
        const result = await Promise.race([run, timeout]);
        ok(result !== "hung", `${name}: still reading after 15 s`);
        strictEqual(result.code, 2, `${name}: ${result.stderr}`);
        ok(result.stderr.includes(name), result.stderr);
        ok(Date.now() - started < 15_000);
      }
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  },
});

Deno.test("iocscan match runs the whole OpenIOC corpus against sample objects without crashing", async () => {
  const corpus = corpusDir("openioc");
  if (corpus === undefined) return;
  const folder = await Deno.makeTempDir({ prefix: "iocscan-match-corpus-" });
  try {
    const itemsFile = join(folder, "items.ndjson");
    const objects = [
      {
        document: "FileItem",
        FileName: "svchost.exe",
        FullPath: "C:\\Windows\\Temp\\svchost.exe",
        Md5sum: md5,
      },
      {
        document: "processEvent",
        process: "rundll32.exe",
        processCmdLine: "rundll32.exe javascript:x",
        parentProcess: "cmd.exe",
      },
      {
        document: "ProcessItem",
        name: "x.exe",
        HandleList: { Handle: [{ Name: "a" }, { Name: "b" }] },
      },
      { document: "PortItem", remoteIP: "103.41.124.7", localPort: 445 },
      {
        document: "RegistryItem",
        Path: "HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\x",
        Text: "x",
      },
    ];
    await Deno.writeTextFile(itemsFile, objects.map((o) => JSON.stringify(o)).join("\n"));
    const { code, stdout, stderr } = await iocscan([
      "match",
      "--ioc",
      corpus,
      "--items",
      itemsFile,
      "--json",
    ]);
    ok(code === 0 || code === 1, stderr);
    const summary = parseEvents(stdout).at(-1)!;
    strictEqual(summary.type, "summary");
    strictEqual(summary.objects, objects.length);
    ok((summary.iocs as number) > 150, JSON.stringify(summary));
    ok((summary.notEvaluated as number) > 0, JSON.stringify(summary));
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("iocscan match is incomplete (exit 3, never 'No detections.') when an IOC could not be evaluated", async () => {
  const folder = await Deno.makeTempDir({ prefix: "iocscan-match-" });
  try {
    // A pattern past the regex program limit: the item is not evaluated, so the IOC cannot fire.
    const huge = "(?:(?:(?:a{1,1000}){1,1000}){1,1000})";
    await Deno.writeTextFile(
      join(folder, "r.ioc"),
      ioc11(
        `<Indicator operator="OR" id="top">` +
          item11("re", "matches", "FileItem/FileName", huge) + `</Indicator>`,
        { id: "ioc-re" },
      ),
    );
    const object = JSON.stringify({ document: "FileItem", FileName: "aaaa.exe" });
    const human = await iocscan(["match", "--ioc", join(folder, "r.ioc"), "--items", "-"], object);
    strictEqual(human.code, 3, human.stdout + human.stderr);
    ok(!human.stdout.includes("No detections."), human.stdout);
    ok(human.stdout.includes("INCOMPLETE: nothing detected in what was read"), human.stdout);
    ok(human.stdout.includes("ioc-re"), human.stdout);

    const json = await iocscan(
      ["match", "--ioc", join(folder, "r.ioc"), "--items", "-", "--json"],
      object,
    );
    strictEqual(json.code, 3, json.stderr);
    const summary = parseEvents(json.stdout).at(-1)!;
    strictEqual(summary.type, "summary");
    strictEqual(summary.complete, false);
    deepStrictEqual((summary.incomplete as { kind: string }[]).map((entry) => entry.kind), ["ioc"]);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
