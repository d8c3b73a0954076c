import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { ioc10, ioc11, item10, item11 } from "../../openioc/_ioc_fixtures.ts";
import { runCli } from "../../tests/_cli.ts";
import { repositoryRoot } from "../../tests/corpus.ts";

async function iocscan(...args: string[]) {
  const output = await runCli(args, { cwd: repositoryRoot });
  return { code: output.code, stdout: output.stdout, stderr: output.stderr };
}

async function fixtureFolder(): Promise<string> {
  const folder = await Deno.makeTempDir({ prefix: "iocscan-indicators-" });
  await Deno.writeTextFile(
    join(folder, "a.ioc"),
    ioc10(
      `<Indicator operator="OR" id="t">${
        item10("x", "is", "FileItem/Md5sum", "d41d8cd98f00b204e9800998ecf8427e")
      }` +
        `${item10("y", "is", "Network/UserAgentX", "")}</Indicator>`,
      { id: "same" },
    ),
  );
  await Deno.writeTextFile(
    join(folder, "b.xml"),
    ioc11(
      `<Indicator operator="OR" id="t">${
        item11("z", "is", "processEvent/process", "cmd.exe")
      }</Indicator>`,
      {
        id: "same",
      },
    ),
  );
  await Deno.writeTextFile(join(folder, "c.ioc"), "<ioc><unclosed>");
  // A byte-identical copy of b.xml: the same IOC, folded.
  await Deno.copyFile(join(folder, "b.xml"), join(folder, "d.ioc"));
  return folder;
}

async function sha256Of(file: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(file));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

Deno.test("iocscan indicators --json lists every document with its hash, copies, rejections, warnings and a summary", async () => {
  const folder = await fixtureFolder();
  try {
    const [hashA, hashB] = [
      await sha256Of(join(folder, "a.ioc")),
      await sha256Of(join(folder, "b.xml")),
    ];
    const { code, stdout } = await iocscan("indicators", folder, "--json");
    strictEqual(code, 3, "one file rejected: incomplete");
    const events = stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
    deepStrictEqual(events.filter((e) => e.type === "ioc"), [
      {
        type: "ioc",
        file: join(folder, "a.ioc"),
        id: "same",
        sha256: hashA,
        version: "1.0",
        name: "Test 1.0",
        items: 2,
        evaluable: 1,
        notEvaluated: { "unsupported-term": 1 },
        canFire: true,
        unsupported: ["Network/UserAgentX"],
        warnings: 1,
      },
      {
        type: "ioc",
        file: join(folder, "b.xml"),
        id: "same",
        sha256: hashB,
        version: "1.1",
        name: "Test 1.1",
        items: 1,
        evaluable: 1,
        notEvaluated: {},
        canFire: true,
        unsupported: [],
        warnings: 0,
      },
      {
        type: "ioc",
        file: join(folder, "d.ioc"),
        id: "same",
        sha256: hashB,
        version: "1.1",
        name: "Test 1.1",
        items: 1,
        evaluable: 1,
        notEvaluated: {},
        canFire: true,
        unsupported: [],
        warnings: 1,
        duplicate: true,
      },
    ]);
    const rejected = events.filter((e) => e.type === "rejected");
    strictEqual(rejected.length, 1);
    strictEqual(rejected[0].file, join(folder, "c.ioc"));
    ok(rejected[0].error.includes("not well-formed XML"));
    strictEqual(rejected[0].line, 1);
    deepStrictEqual(events.filter((e) => e.type === "warning").map((e) => e.code), [
      "empty-content",
      "identical-ioc-files",
    ]);
    deepStrictEqual(events.at(-1), {
      type: "summary",
      files: 4,
      documents: 3,
      duplicates: 1,
      rejected: 1,
      warnings: 2,
      byVersion: { "1.0": 1, "1.1": 2 },
      items: 4,
      evaluable: 3,
      notEvaluated: { "unsupported-term": 1 },
      cannotFire: 0,
    });
    deepStrictEqual(
      events.filter((e) => e.type === "not-evaluated").map((e) => [e.ioc.file, e.itemId, e.reason]),
      [[join(folder, "a.ioc"), "y", "unsupported-term"]],
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("iocscan indicators prints a table, the rejections and the unsupported terms", async () => {
  const folder = await fixtureFolder();
  try {
    const { code, stdout, stderr } = await iocscan("indicators", folder);
    strictEqual(code, 3, "one file rejected: incomplete");
    const [hashA, hashB] = [
      await sha256Of(join(folder, "a.ioc")),
      await sha256Of(join(folder, "b.xml")),
    ];
    const lines = stdout.split("\n");
    ok(
      /^IOC ID\s+SHA256\s+NAME\s+VER\s+ITEMS\s+EVALUABLE\s+CAN FIRE\s+WARN$/.test(lines[0]!),
      lines[0],
    );
    ok(
      new RegExp(`^same\\s+${hashA.slice(0, 12)}\\s+Test 1\\.0\\s+1\\.0\\s+2\\s+1/2\\s+yes\\s+1$`)
        .test(lines[1]!),
      lines[1],
    );
    ok(
      new RegExp(`^same\\s+${hashB.slice(0, 12)}\\s+Test 1\\.1\\s+1\\.1\\s+1\\s+1/1\\s+yes\\s+0$`)
        .test(lines[2]!),
      lines[2],
    );
    ok(
      new RegExp(`^same \\(copy\\)\\s+${hashB.slice(0, 12)}\\s+Test 1\\.1`).test(lines[3]!),
      lines[3],
    );
    ok(stdout.includes(`${join(folder, "c.ioc")}:1:`));
    ok(stdout.includes("Network/UserAgentX"));
    ok(
      stdout.includes(
        "4 files: 3 IOCs (1.0: 1, 1.1: 2, 1 identical copies), 1 rejected, 4 items (3 evaluable), 2 warnings",
      ),
    );
    ok(stderr.includes("empty-content ×1"));
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("iocscan indicators exits 2 when no path exists or an option is wrong", async () => {
  const missing = await iocscan("indicators", "/nonexistent/iocscan-none", "--json");
  strictEqual(missing.code, 2);
  strictEqual(missing.stdout, "");
  ok(missing.stderr.includes("/nonexistent/iocscan-none"));
  strictEqual((await iocscan("indicators", ".", "--max-file-size", "lots")).code, 2);
  strictEqual((await iocscan("indicators")).code, 2);
});

Deno.test("iocscan indicators --max-file-size rejects larger files; every file rejected exits 2", async () => {
  const folder = await fixtureFolder();
  try {
    const { code, stdout } = await iocscan(
      "indicators",
      folder,
      "--json",
      "--max-file-size",
      "100",
    );
    strictEqual(code, 2, "nothing loaded");
    const summary = JSON.parse(stdout.trimEnd().split("\n").at(-1)!);
    strictEqual(summary.documents, 0);
    strictEqual(summary.rejected, 4);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("iocscan indicators tells items with no collector, terms not produced, and IOCs that cannot fire", async () => {
  const folder = await Deno.makeTempDir({ prefix: "iocscan-indicators-" });
  try {
    await Deno.writeTextFile(
      join(folder, "process.ioc"),
      ioc10(
        `<Indicator operator="OR" id="t">${
          item10("p", "is", "PrefetchItem/ApplicationFileName", "evil.exe")
        }${item10("s", "contains", "FileItem/StringList/string", "evil")}</Indicator>`,
        { id: "blind" },
      ),
    );
    await Deno.writeTextFile(
      join(folder, "mixed.ioc"),
      ioc10(
        `<Indicator operator="OR" id="t">${
          item10("m", "is", "FileItem/Md5sum", "d41d8cd98f00b204e9800998ecf8427e")
        }${item10("a", "is", "PrefetchItem/ApplicationFileName", "evilsvc")}</Indicator>`,
        { id: "mixed" },
      ),
    );
    const { code, stdout } = await iocscan("indicators", folder, "--json");
    strictEqual(code, 0);
    const events = stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
    deepStrictEqual(
      events.filter((e) => e.type === "ioc").map((
        e,
      ) => [e.id, e.evaluable, e.notEvaluated, e.canFire]),
      [
        ["mixed", 1, { "no-collector": 1 }, true],
        ["blind", 0, { "no-collector": 1, "not-produced": 1 }, false],
      ],
    );
    const summary = events.at(-1);
    deepStrictEqual([summary.items, summary.evaluable, summary.notEvaluated, summary.cannotFire], [
      4,
      1,
      { "no-collector": 2, "not-produced": 1 },
      1,
    ]);
    const table = await iocscan("indicators", folder);
    ok(table.stdout.includes("Not evaluated, no collector"), table.stdout);
    ok(table.stdout.includes("Not evaluated, term not produced"), table.stdout);
    ok(/^blind\s.*\sNO\s+0$/m.test(table.stdout), table.stdout);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("iocscan indicators --explain shows a ProcessItem and PortItem AND bound to one process", async () => {
  const folder = await Deno.makeTempDir({ prefix: "iocscan-indicators-" });
  try {
    await Deno.writeTextFile(
      join(folder, "p.ioc"),
      ioc10(
        `<Indicator operator="AND" id="t">${item10("n", "is", "ProcessItem/name", "x.exe")}${
          item10("r", "is", "PortItem/remoteIP", "1.2.3.4", { contentType: "IP" })
        }</Indicator>`,
        { id: "p" },
      ),
    );
    const binding =
      'one ProcessItem (ProcessItem/name is "x.exe" AND one PortList/PortItem (PortItem/remoteIP is "1.2.3.4"))';
    const json = await iocscan("indicators", "--explain", "--json", folder);
    const event = json.stdout.split("\n").filter((line) => line !== "").map((line) =>
      JSON.parse(line)
    ).find((e) => e.type === "ioc");
    strictEqual(event?.binding, binding);
    const text = await iocscan("indicators", "--explain", folder);
    ok(text.stdout.includes(`p (${join(folder, "p.ioc")}): ${binding}`), text.stdout);
    // Without --explain the event has no binding.
    const plain = await iocscan("indicators", "--json", folder);
    ok(!plain.stdout.includes('"binding"'));
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
