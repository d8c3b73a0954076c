/**
 * End-to-end scans through the CLI (`iocscan scan … --json`) over a generated
 * tree that holds every trap the file collector must survive, then
 * `iocscan results` reading the run back.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { buildPe } from "../formats/pe/_testing/pe_builder.ts";
import { runCli } from "./_cli.ts";
import { repositoryRoot } from "./corpus.ts";

const encoder = new TextEncoder();

function md5(bytes: Uint8Array | string): string {
  return createHash("md5").update(bytes).digest("hex");
}

function ioc10(id: string, name: string, items: string): string {
  return `<?xml version="1.0" encoding="us-ascii"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="${id}" last-modified="2026-11-28T00:00:00">
  <short_description>${name}</short_description>
  <authored_date>2026-11-28T00:00:00</authored_date>
  <definition>
    <Indicator operator="OR" id="${id}-top">${items}</Indicator>
  </definition>
</ioc>`;
}

function ioc11(id: string, name: string, items: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="${id}" last-modified="2026-11-28T00:00:00" published-date="2026-11-28T00:00:00">
  <metadata><short_description>${name}</short_description><authored_date>2026-11-28T00:00:00</authored_date></metadata>
  <criteria><Indicator operator="OR" id="${id}-top">${items}</Indicator></criteria>
</OpenIOC>`;
}

function item(id: string, search: string, condition: string, value: string, negate = false) {
  const doc = search.split("/")[0];
  return `<IndicatorItem id="${id}" condition="${condition}" negate="${negate}" preserve-case="false">` +
    `<Context document="${doc}" search="${search}" type="mir"/>` +
    `<Content type="string">${value}</Content></IndicatorItem>`;
}

const and = (id: string, ...items: string[]) =>
  `<Indicator operator="AND" id="${id}">${items.join("")}</Indicator>`;

interface Planted {
  tree: string;
  iocs: string;
  db: string;
  deepPath: string;
}

async function plantTree(root: string): Promise<Planted> {
  const tree = join(root, "tree");
  const iocs = join(root, "iocs");
  await Deno.mkdir(join(tree, "Données", "日本語"), { recursive: true });
  await Deno.mkdir(iocs);

  // A hash hit under a unicode name, and one at the end of a very long path.
  const unicodeFile = join(tree, "Données", "日本語", "malwäre.exe");
  await Deno.writeTextFile(unicodeFile, "planted unicode\n");
  let deep = join(tree, "deep");
  for (let level = 1; level <= 40; level++) deep = join(deep, `segment_number_${level}`);
  await Deno.mkdir(deep, { recursive: true });
  const deepPath = join(deep, "deep.exe");
  await Deno.writeTextFile(deepPath, "planted deep\n");

  // PE files: the implant imports ws2_32 and calls itself evilsvc.dll; the decoy imports the
  // same module under another original name (half of the AND).
  const implant = buildPe({
    bits: 64,
    dll: true,
    imports: [{ name: "WS2_32.dll", functions: ["WSAStartup", "connect"] }],
    version: { "040904B0": { OriginalFilename: "evilsvc.dll", CompanyName: "Evil Corp" } },
  }).bytes;
  const decoy = buildPe({
    bits: 32,
    imports: [{ name: "WS2_32.dll", functions: ["WSAStartup"] }],
    version: { "040904B0": { OriginalFilename: "netclient.exe" } },
  }).bytes;
  await Deno.writeFile(join(tree, "Données", "svc_helper.dll"), implant);
  await Deno.writeFile(join(tree, "netclient.exe"), decoy);

  // Half-AND decoy: the dropper's name with another hash.
  await Deno.writeTextFile(join(tree, "invoice.pdf.exe"), "a real invoice\n");
  await Deno.mkdir(join(tree, "Users", "eve"), { recursive: true });
  await Deno.writeTextFile(join(tree, "Users", "eve", "invoice.pdf.exe"), "dropper body\n");

  // Traps: a symlink loop, a FIFO, a name that is not UTF-8.
  await Deno.symlink("..", join(tree, "loop"));
  await new Deno.Command("mkfifo", { args: [join(tree, "pipe")] }).output();
  await new Deno.Command("bash", {
    args: ["-c", `printf 'x\\n' > "$1"/$'bad\\xff\\xfename.bin'`, "-", tree],
  }).output();

  await Deno.writeTextFile(
    join(iocs, "hashes.ioc"),
    ioc10(
      "e2e-hashes",
      "E2E hashes",
      item("h1", "FileItem/Md5sum", "is", md5("planted unicode\n").toUpperCase()) +
        item("h2", "FileItem/Md5sum", "is", md5("planted deep\n")),
    ),
  );
  await Deno.writeTextFile(
    join(iocs, "dropper.ioc"),
    ioc10(
      "e2e-dropper",
      "E2E dropper",
      and(
        "d-and",
        item("d1", "FileItem/FileName", "is", "invoice.pdf.exe"),
        item("d2", "FileItem/Md5sum", "is", md5("dropper body\n")),
      ),
    ),
  );
  await Deno.writeTextFile(
    join(iocs, "implant.ioc"),
    ioc11(
      "e2e-implant",
      "E2E implant",
      and(
        "p-and",
        item("p1", "FileItem/PEInfo/ImportedModules/Module/Name", "is", "ws2_32.dll"),
        item(
          "p2",
          "FileItem/PEInfo/VersionInfoList/VersionInfoItem/OriginalFilename",
          "is",
          "EVILSVC.DLL",
        ),
        item("p3", "FileItem/FilePath", "contains", "System32", true),
      ),
    ),
  );
  await Deno.writeTextFile(
    join(iocs, "never.ioc"),
    ioc11("e2e-never", "E2E never", item("n1", "FileItem/Sha256sum", "is", "0".repeat(64))),
  );
  return { tree, iocs, db: join(root, "results.db"), deepPath };
}

async function iocscan(
  args: string[],
): Promise<{ code: number; events: Record<string, unknown>[]; stderr: string }> {
  const output = await runCli(args, { cwd: repositoryRoot });
  return { code: output.code, events: output.events, stderr: output.stderr };
}

/** `iocscan scan --json` of one scope with one IOC folder into one database. */
function scanJson(iocs: string, scope: string, db: string) {
  return iocscan(["scan", "--ioc", iocs, "--scope", scope, "--db", db, "--json"]);
}

Deno.test("iocscan scan finds exactly the planted detections and records every skip", async () => {
  const root = await Deno.makeTempDir({ prefix: "iocscan-e2e-" });
  try {
    const planted = await plantTree(root);
    const scan = await scanJson(planted.iocs, planted.tree, planted.db);
    deepStrictEqual(scan.code, 1);
    const detections = scan.events.filter((event) => event.type === "detection") as {
      ioc: { id: string };
      runId: number;
      evidence: { object: string; items: { id: string }[] }[];
    }[];
    const found = detections.map((detection) => ({
      id: detection.ioc.id,
      objects: detection.evidence.map((evidence) => evidence.object).sort(),
    }));
    deepStrictEqual(found, [
      { id: "e2e-dropper", objects: [join(planted.tree, "Users", "eve", "invoice.pdf.exe")] },
      {
        id: "e2e-hashes",
        objects: [planted.deepPath, join(planted.tree, "Données", "日本語", "malwäre.exe")].sort(),
      },
      { id: "e2e-implant", objects: [join(planted.tree, "Données", "svc_helper.dll")] },
    ]);
    const implant = detections.find((detection) => detection.ioc.id === "e2e-implant")!;
    deepStrictEqual(implant.evidence[0]!.items.map((entry) => entry.id).sort(), ["p1", "p2", "p3"]);

    const skipped = scan.events.filter((event) => event.type === "skipped");
    const reasons = new Map(skipped.map((event) => [event.object as string, event.reason]));
    deepStrictEqual(reasons.get(join(planted.tree, "loop")), "symlink");
    deepStrictEqual(reasons.get(join(planted.tree, "pipe")), "special-file");
    ok(
      [...reasons.entries()].some(([path, reason]) =>
        path.includes("bad\\xff\\xfename.bin") && reason === "invalid-name"
      ),
    );

    const summary = scan.events.at(-1)!;
    deepStrictEqual(summary.type, "summary");
    deepStrictEqual(summary.detections, 3);
    deepStrictEqual(summary.skippedByReason, { "invalid-name": 1, "special-file": 1, symlink: 1 });

    const results = await iocscan(["results", "--db", planted.db, "--json"]);
    deepStrictEqual(results.code, 0);
    const runs = results.events.filter((event) => event.type === "run");
    deepStrictEqual(runs.length, 1);
    deepStrictEqual(runs[0]!.id, detections[0]!.runId);
    deepStrictEqual((runs[0]!.counts as Record<string, number>).detections, 3);

    const one = await iocscan([
      "results",
      "--db",
      planted.db,
      "--run",
      String(runs[0]!.id),
      "--json",
    ]);
    const stored = one.events.filter((event) => event.type === "detection");
    deepStrictEqual(
      stored.map((event) => (event.ioc as { id: string }).id),
      found.map((f) => f.id),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("iocscan scan with hash-only IOCs (digests read ahead, MD5 in lanes) finds the same hash hits and skips", async () => {
  const root = await Deno.makeTempDir({ prefix: "iocscan-e2e-" });
  try {
    const planted = await plantTree(root);
    const hashOnly = join(root, "hash-only");
    await Deno.mkdir(hashOnly);
    for (const name of ["hashes.ioc", "never.ioc"]) {
      await Deno.copyFile(join(planted.iocs, name), join(hashOnly, name));
    }
    // Enough files of unequal sizes that the workers hash many at once.
    await Deno.mkdir(join(planted.tree, "bulk"));
    for (let index = 0; index < 300; index++) {
      await Deno.writeTextFile(join(planted.tree, "bulk", `${index}.bin`), "x".repeat(index * 97));
    }
    const scan = await scanJson(hashOnly, planted.tree, planted.db);
    deepStrictEqual(scan.code, 1);
    const detections = scan.events.filter((event) => event.type === "detection") as {
      ioc: { id: string };
      evidence: { object: string }[];
    }[];
    deepStrictEqual(
      detections.map((detection) => ({
        id: detection.ioc.id,
        objects: detection.evidence.map((evidence) => evidence.object).sort(),
      })),
      [{
        id: "e2e-hashes",
        objects: [planted.deepPath, join(planted.tree, "Données", "日本語", "malwäre.exe")].sort(),
      }],
    );
    const summary = scan.events.at(-1)!;
    deepStrictEqual(summary.objects, 306);
    deepStrictEqual(summary.skippedByReason, { "invalid-name": 1, "special-file": 1, symlink: 1 });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("iocscan scan --task reads its parameters from a task file", async () => {
  const root = await Deno.makeTempDir({ prefix: "iocscan-e2e-" });
  try {
    const planted = await plantTree(root);
    const taskFile = join(root, "task.json");
    await Deno.writeFile(
      taskFile,
      encoder.encode(JSON.stringify({
        version: 1,
        taskName: "nightly",
        iocPaths: [join(planted.iocs, "dropper.ioc")],
        scopes: [{ path: planted.tree, depth: 2 }],
        databasePath: planted.db,
      })),
    );
    const scan = await iocscan(["scan", "--task", taskFile, "--json"]);
    deepStrictEqual(scan.code, 1);
    deepStrictEqual(scan.events.filter((event) => event.type === "detection").length, 1);
    const results = await iocscan(["results", "--db", planted.db, "--task", "nightly", "--json"]);
    deepStrictEqual(results.events.filter((event) => event.type === "run").length, 1);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("iocscan scan exits 2 with a clear message when it cannot run", async () => {
  const missing = await iocscan([
    "scan",
    "--ioc",
    "/nonexistent/iocs",
    "--scope",
    "/tmp",
    "--json",
  ]);
  deepStrictEqual(missing.code, 2);
  const noIoc = await iocscan(["scan", "--scope", "/tmp"]);
  deepStrictEqual(noIoc.code, 2);
  const badTask = await iocscan(["scan", "--task", "/nonexistent/task.json"]);
  deepStrictEqual(badTask.code, 2);
});

Deno.test("iocscan scan stops with exit code 2 when the results database cannot open, and stores nothing", async () => {
  const root = await Deno.makeTempDir({ prefix: "iocscan-e2e-" });
  try {
    const { tree, iocs } = await plantTree(root);
    const junk = join(root, "junk.db");
    await Deno.writeTextFile(junk, "this is not SQLite ".repeat(100));
    const scan = await scanJson(iocs, tree, junk);
    deepStrictEqual(scan.code, 2);
    ok(/cannot open the results database .*junk\.db/.test(scan.stderr), scan.stderr);
    deepStrictEqual(scan.stderr.split("cannot open the results database").length, 2, scan.stderr);
    const types = scan.events.map((event) => event.type);
    deepStrictEqual(types.filter((type) => type === "detection" || type === "summary"), []);
    deepStrictEqual(await Deno.readTextFile(junk), "this is not SQLite ".repeat(100));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
