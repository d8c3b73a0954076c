import { deepStrictEqual, throws } from "node:assert/strict";
import { parseScanTask, readScanTask, TaskFileError } from "./task_file.ts";

Deno.test("parseScanTask() accepts a full task", () => {
  const task = parseScanTask({
    version: 1,
    taskName: "daily",
    iocPaths: ["a.ioc"],
    scopes: ["/srv", { path: "/home", depth: 3 }],
    presets: ["important-areas"],
    registryFull: true,
    maxFileSize: 1024,
    followIocLinks: true,
  }, "t.json");
  deepStrictEqual(task.followIocLinks, true);
  deepStrictEqual(task.scopes, [{ path: "/srv" }, { path: "/home", depth: 3 }]);
  deepStrictEqual(task.registryFull, true);
  deepStrictEqual(task.maxFileSize, 1024);
});

Deno.test("parseScanTask() names the offending key", () => {
  const cases: [unknown, string][] = [
    [[], "$"],
    [{ version: 2, iocPaths: ["a"] }, "version"],
    [{ version: 1 }, "iocPaths"],
    [{ version: 1, iocPaths: "a" }, "iocPaths"],
    [{ version: 1, iocPaths: ["a"], colour: "red" }, "colour"],
    [{ version: 1, iocPaths: ["a"], scopes: [{ path: "/x", depth: -1 }] }, "scopes[0].depth"],
    [{ version: 1, iocPaths: ["a"], maxFileSize: 1.5 }, "maxFileSize"],
    [{ version: 1, iocPaths: ["a"], registryFull: "yes" }, "registryFull"],
    [{ version: 1, iocPaths: ["a"], followIocLinks: 1 }, "followIocLinks"],
  ];
  for (const [input, place] of cases) {
    throws(
      () => parseScanTask(input, "t.json"),
      (error: unknown) => error instanceof TaskFileError && error.place === place,
    );
  }
});

Deno.test("readScanTask() reads a file with a BOM and reports bad JSON with the file name", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/ok.json`, '\uFEFF{"version":1,"iocPaths":["x"]}');
    deepStrictEqual((await readScanTask(`${dir}/ok.json`)).iocPaths, ["x"]);
    await Deno.writeTextFile(`${dir}/bad.json`, "{version:1");
    let message = "";
    try {
      await readScanTask(`${dir}/bad.json`);
    } catch (error) {
      message = (error as Error).message;
    }
    deepStrictEqual(message.startsWith(`${dir}/bad.json: $: not valid JSON`), true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseScanTask() refuses what it used to take silently, naming the key", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ scopes: [{ path: "/srv", depht: 2 }] }, "scopes[0].depht"],
    [{ scopes: ["/a", { path: "/b", exclude: ["x"] }] }, "scopes[1].exclude"],
    [{ databasePath: "" }, "databasePath"],
    [{ databasePath: "  " }, "databasePath"],
    [{ taskName: "" }, "taskName"],
    [{ since: "2026-02-30" }, "since"],
    [{ until: "yesterday" }, "until"],
    [{ since: "2026-11-02", until: "2026-11-01" }, "since"],
    [{ types: ["file", "evtlog"] }, "types[1]"],
  ];
  for (const [extra, place] of cases) {
    throws(
      () => parseScanTask({ version: 1, iocPaths: ["iocs"], ...extra }, "t.json"),
      (error: unknown) => error instanceof TaskFileError && error.place === place,
      JSON.stringify(extra),
    );
  }
  const task = parseScanTask(
    { version: 1, iocPaths: ["iocs"], since: "2026-11-01T10:00", until: "1.5d", types: ["File"] },
    "t.json",
  );
  deepStrictEqual([task.since, task.until, task.types], ["2026-11-01T10:00", "1.5d", ["File"]]);
});

Deno.test("parseScanTask: a collector's evidence option (diskImages) is a list of paths, never empty", () => {
  const task = parseScanTask({ version: 1, iocPaths: ["i"], diskImages: ["disk.img"] }, "t.json");
  deepStrictEqual((task as unknown as Record<string, unknown>).diskImages, ["disk.img"]);
  throws(
    () => parseScanTask({ version: 1, iocPaths: ["i"], diskImages: [] }, "t.json"),
    (error: unknown) =>
      error instanceof TaskFileError && error.place === "diskImages" &&
      error.message.includes("expected at least one path"),
  );
});

Deno.test("parseScanTask() reads the actions and their options", () => {
  const task = parseScanTask({
    version: 1,
    iocPaths: ["a.ioc"],
    actions: ["Quarantine"],
    quarantineDir: "/var/q",
    maxActions: 5,
    maxQuarantineFileSize: 1048576,
    force: true,
    terminate: false,
    whatIf: true,
  }, "t.json");
  deepStrictEqual(
    [task.actions, task.quarantineDir, task.maxActions, task.maxQuarantineFileSize],
    [["Quarantine"], "/var/q", 5, 1048576],
  );
  deepStrictEqual([task.force, task.terminate, task.whatIf], [true, false, true]);
});

Deno.test("parseScanTask() refuses an unknown action and bad action options, naming the place", () => {
  const cases: [unknown, string, RegExp][] = [
    [{ version: 1, iocPaths: ["a"], actions: ["quarantine", "nuke"] }, "actions[1]", /nuke/],
    [{ version: 1, iocPaths: ["a"], actions: "quarantine" }, "actions", /array/],
    [{ version: 1, iocPaths: ["a"], maxActions: 0 }, "maxActions", /positive/],
    [
      { version: 1, iocPaths: ["a"], maxQuarantineFileSize: "100MB" },
      "maxQuarantineFileSize",
      /whole/,
    ],
    [{ version: 1, iocPaths: ["a"], whatIf: "yes" }, "whatIf", /true or false/],
    [{ version: 1, iocPaths: ["a"], quarantineDir: "" }, "quarantineDir", /non-empty/],
  ];
  for (const [input, place, message] of cases) {
    throws(
      () => parseScanTask(input, "t.json"),
      (error: unknown) =>
        error instanceof TaskFileError && error.place === place && message.test(error.message),
      place,
    );
  }
});
