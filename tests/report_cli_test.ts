/**
 * `iocscan report` and `scan --report` through the real CLI: every format from a stored run, the
 * format chosen by --format or the file's extension, an unknown run refused.
 */
import { ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "./_cli.ts";
import { ioc11, item11, param11 } from "../openioc/_ioc_fixtures.ts";

async function plant(folder: string): Promise<string[]> {
  const scope = join(folder, "scope");
  await Deno.mkdir(scope);
  await Deno.writeTextFile(join(scope, "=cmd.exe"), "MZ");
  const ioc = join(folder, "evil.ioc");
  await Deno.writeTextFile(
    ioc,
    ioc11(
      `<Indicator id="root" operator="OR">${
        item11("i1", "is", "FileItem/FileName", "=cmd.exe")
      }</Indicator>`,
      { id: "evil-ioc", parameters: param11("root", "severity", "low") },
    ),
  );
  return ["--ioc", ioc, "--scope", scope, "--db", join(folder, "results.db")];
}

Deno.test("scan --report writes the stored run's report; report --run renders every format", async () => {
  const folder = await Deno.makeTempDir({ prefix: "iocscan-report-cli-" });
  try {
    const scanArgs = await plant(folder);
    const page = join(folder, "run.html");
    const scanned = await runCli(["scan", ...scanArgs, "--report", page]);
    strictEqual(scanned.code, 1, scanned.stderr);
    const html = await Deno.readTextFile(page);
    ok(html.includes(`<span class="count" id="detection-count">1</span>`));
    ok(html.includes("Content-Security-Policy"));
    strictEqual((await Deno.stat(page)).mode! & 0o077, 0, "owner-only report file");

    const db = ["--db", join(folder, "results.db"), "--run", "1"];
    const csv = await runCli(["report", ...db, "--format", "csv"]);
    strictEqual(csv.code, 0, csv.stderr);
    strictEqual([...csv.stdoutBytes.slice(0, 3)].join(","), "239,187,191", "UTF-8 BOM");
    ok(csv.stdout.replace(/^\uFEFF/, "").startsWith(`"runId"`));
    ok(csv.stdout.includes(`"'=cmd.exe"`), "formula start defused");
    ok(csv.stdout.includes(`"low"`), "severity from the IOC's parameter");

    const ecsFile = join(folder, "run.ndjson");
    const ecs = await runCli(["report", ...db, "--out", ecsFile]);
    strictEqual(ecs.code, 0, ecs.stderr);
    const documents = (await Deno.readTextFile(ecsFile)).trim().split("\n").map((line) =>
      JSON.parse(line)
    );
    strictEqual(documents.map((document) => document.event.kind).join(","), "alert,event");

    const json = await runCli(["report", ...db, "--format", "json"]);
    strictEqual(JSON.parse(json.stdout).details.detections[0].severity, "low");

    const missing = await runCli(["report", "--db", join(folder, "results.db"), "--run", "99"]);
    strictEqual(missing.code, 2);
    ok(missing.stderr.includes("there is no run 99"));
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
