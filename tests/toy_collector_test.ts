/**
 * A collector added from outside the repository, through the public API
 * (mod.ts) only: a program in a temp folder registers a toy `prefetch`
 * collector and runs the CLI. Without any other edit, `indicators` counts
 * its terms as evaluable, `scan` selects and runs it (by its documents and
 * by `--types`), its flag and task-file key reach it, and `collect prefetch`
 * prints its objects.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { enginePermissions, runProgram } from "./_cli.ts";

const modUrl = new URL("../mod.ts", import.meta.url).href;
const config = new URL("../deno.json", import.meta.url).pathname;

/** The toy: PrefetchItem objects (prefetch files) named by `serviceNames` (`--service-name`), pid 1, 2… */
const toyProgram = `
import { registerCollector, runCli, scan } from ${JSON.stringify(modUrl)};

const toy: scan.CollectorDescriptor = {
  name: "prefetch",
  documents: ["PrefetchItem"],
  sources: ["live-windows", "live-linux"],
  options: [{
    key: "serviceNames",
    kind: "strings",
    flag: "--service-name",
    value: "names",
    help: "the services the toy pretends to see",
  }],
  build(task) {
    const names = (scan.taskOption(task, "serviceNames") as string[] | undefined) ?? ["init"];
    const stats = { processes: 0 };
    return Promise.resolve({
      collector: {
        name: "prefetch",
        documents: ["PrefetchItem"],
        stats,
        async *collect() {
          for (const [index, name] of names.entries()) {
            stats.processes++;
            yield { document: "PrefetchItem", key: name, fields: { ApplicationFileName: name, TimesExecuted: index + 1 } };
          }
        },
      },
    });
  },
};

registerCollector(toy);
Deno.exit(await runCli(Deno.args));
`;

const toyIoc = `<?xml version="1.0" encoding="UTF-8"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="toy-ioc" last-modified="2026-12-07T00:00:00">
  <short_description>TOY: a process named evil.exe</short_description>
  <definition>
    <Indicator operator="OR" id="toy-ind">
      <IndicatorItem id="toy-item" condition="is">
        <Context document="PrefetchItem" search="PrefetchItem/ApplicationFileName" type="mir" />
        <Content type="string">evil.exe</Content>
      </IndicatorItem>
    </Indicator>
  </definition>
</ioc>
`;

interface Run {
  code: number;
  lines: Record<string, unknown>[];
  stderr: string;
}

async function runToy(program: string, args: string[]): Promise<Run> {
  const output = await runProgram(Deno.execPath(), [
    "run",
    "-q",
    `--config=${config}`,
    ...enginePermissions,
    program,
    ...args,
  ]);
  return {
    code: output.code,
    lines: output.stdout.split("\n").filter((line) => line.startsWith("{")).map((line) =>
      JSON.parse(line)
    ),
    stderr: output.stderr,
  };
}

Deno.test("registerCollector(): a toy collector from a temp folder reaches scan, collect, the task file and indicators", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-toy-" });
  try {
    const program = join(dir, "toy_main.ts");
    const ioc = join(dir, "toy.ioc");
    const db = join(dir, "store", "results.db");
    await Deno.writeTextFile(program, toyProgram);
    await Deno.writeTextFile(ioc, toyIoc);

    // indicators: the toy's term is evaluable, so the IOC can fire.
    const indicators = await runToy(program, ["indicators", "--json", ioc]);
    const listed = indicators.lines.find((line) => line.type === "ioc");
    strictEqual(listed?.canFire, true, indicators.stderr);

    // scan, chosen by the documents the IOC uses; the toy's flag reaches its build().
    const hit = await runToy(program, [
      "scan",
      "--ioc",
      ioc,
      "--service-name",
      "init",
      "evil.exe",
      "--db",
      db,
      "--json",
    ]);
    strictEqual(hit.code, 1, hit.stderr);
    const detection = hit.lines.find((line) => line.type === "detection");
    ok(detection, hit.stderr);

    // The task file: its key reaches the toy, and --types names it.
    const task = join(dir, "task.json");
    await Deno.writeTextFile(
      task,
      JSON.stringify({
        version: 1,
        iocPaths: [ioc],
        types: ["prefetch"],
        serviceNames: ["bash"],
        databasePath: db,
      }),
    );
    const clean = await runToy(program, ["scan", "--task", task, "--json"]);
    strictEqual(clean.code, 0, clean.stderr);
    strictEqual(clean.lines.some((line) => line.type === "detection"), false);

    // Offline evidence: the toy names no offline source, so it is not run and the scan is
    // incomplete (its IOC could not be evaluated), never clean.
    const evidence = join(dir, "image");
    await Deno.mkdir(evidence);
    const offline = await runToy(program, [
      "scan",
      "--ioc",
      ioc,
      "--root",
      evidence,
      "--db",
      db,
      "--json",
    ]);
    strictEqual(offline.code, 3, offline.stderr);
    ok(
      offline.lines.some((line) => line.type === "not-evaluated" && line.reason === "no-source"),
      JSON.stringify(offline.lines),
    );

    // collect prefetch: its objects, then a summary with its stats.
    const collected = await runToy(program, [
      "collect",
      "prefetch",
      "--service-name",
      "a.exe",
      "b.exe",
      "--json",
    ]);
    strictEqual(collected.code, 0, collected.stderr);
    deepStrictEqual(
      collected.lines.filter((line) => line.type === "item").map((line) => line.key),
      ["a.exe", "b.exe"],
    );
    deepStrictEqual(collected.lines.at(-1)?.stats, { processes: 2 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
