import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import type { ActionEvent, DetectionEvent } from "../../contracts/events.ts";
import { createQuarantineAction } from "./quarantine_action.ts";
import { defaultQuarantinePolicy } from "./quarantine_defaults.ts";
import { quarantineTargets } from "./quarantine_targets.ts";
import {
  fileDetection,
  fileSha256,
  seededBytes,
  sha256,
  tempTree,
} from "./_quarantine_fixtures.ts";

async function respond(
  action: ReturnType<typeof createQuarantineAction>,
  detections: DetectionEvent[],
  whatIf = false,
): Promise<ActionEvent[]> {
  const events: ActionEvent[] = [];
  await action.respond({
    runId: 7,
    detections,
    whatIf,
    signal: new AbortController().signal,
    report: (event) => events.push(event),
  });
  return events;
}

Deno.test("quarantine action: one event per real path, offline evidence refused, ids in events", async () => {
  const { root, cleanup } = await tempTree("iocscan-qaction-");
  try {
    const folder = join(root, "tree");
    await Deno.mkdir(folder);
    await Deno.symlink(folder, join(root, "alias"));
    const file = join(folder, "a.exe");
    await Deno.writeFile(file, seededBytes(1, 5000));
    const detections = [
      fileDetection([{ object: file }, { object: join(root, "alias", "a.exe") }]),
      fileDetection([{ object: file }], { id: "ioc-2", sha256: "b".repeat(64) }),
      fileDetection([{ object: "C:\\Windows\\x.exe", source: join(root, "image", "x.exe") }]),
    ];
    const dir = join(root, "store");
    const events = await respond(createQuarantineAction({ dir }), detections);
    strictEqual(events.length, 2, JSON.stringify(events));
    const offline = events.find((event) => event.reason === "offline-evidence");
    strictEqual(offline?.outcome, "refused");
    strictEqual(offline?.object, "C:\\Windows\\x.exe");
    const done = events.find((event) => event.outcome === "quarantined");
    strictEqual(done?.object, file);
    strictEqual(done?.runId, 7);
    strictEqual(done?.sha256, sha256(seededBytes(1, 5000)));
    ok(done?.entry !== undefined);
    deepStrictEqual(done?.iocs?.map((ioc) => ioc.id).sort(), ["ioc-1", "ioc-2"]);
    strictEqual(await fileSha256(file), undefined);
  } finally {
    await cleanup();
  }
});

Deno.test("quarantine action: what-if changes nothing and creates no store", async () => {
  const { root, cleanup } = await tempTree("iocscan-qaction-");
  try {
    const file = join(root, "a.exe");
    await Deno.writeFile(file, seededBytes(2, 1234));
    const dir = join(root, "store");
    const events = await respond(createQuarantineAction({ dir }), [
      fileDetection([{ object: file }]),
    ], true);
    deepStrictEqual(events.map((event) => [event.outcome, event.detail]), [
      ["what-if", `would quarantine ${file} (1234 bytes)`],
    ]);
    strictEqual(await Deno.stat(dir).catch(() => undefined), undefined);
    strictEqual(await fileSha256(file), sha256(seededBytes(2, 1234)));
  } finally {
    await cleanup();
  }
});

Deno.test("quarantine action: beyond maxActions files are refused and left alone", async () => {
  const { root, cleanup } = await tempTree("iocscan-qaction-");
  try {
    const files: string[] = [];
    for (let index = 0; index < 5; index++) {
      files.push(join(root, `f${index}`));
      await Deno.writeFile(files[index]!, seededBytes(index, 100));
    }
    const events = await respond(
      createQuarantineAction({ dir: join(root, "store"), maxActions: 3 }),
      [fileDetection(files.map((object) => ({ object })))],
    );
    deepStrictEqual(events.map((event) => event.outcome), [
      "quarantined",
      "quarantined",
      "quarantined",
      "refused",
      "refused",
    ]);
    strictEqual(events[3]?.reason, "max-actions");
    ok(events[3]?.detail?.includes("over the limit of 3 objects per run (2 refused)"));
    strictEqual(await fileSha256(files[4]!), sha256(seededBytes(4, 100)));
  } finally {
    await cleanup();
  }
});

Deno.test("quarantineTargets: one target per path; a ProcessItem whose image is unknown is left alone", () => {
  const detections = [
    fileDetection([{ object: "/a" }, { object: "/b" }, { object: "/a" }]),
    {
      ...fileDetection([]),
      evidence: [{ document: "ProcessItem", object: "1234", indicator: "i", items: [] }],
    },
  ];
  const { targets, untouched } = quarantineTargets(detections, 3);
  deepStrictEqual(targets.map((target) => [target.path, target.runId]), [["/a", 3], ["/b", 3]]);
  deepStrictEqual(untouched.map((entry) => [entry.object, entry.reason]), [[
    "1234",
    "image-unknown",
  ]]);
});

Deno.test("quarantine action --what-if: what the real run would refuse is said as refused, and nothing is created", async () => {
  const { root, cleanup } = await tempTree("iocscan-qaction-");
  try {
    const file = join(root, "a.exe");
    await Deno.writeFile(file, seededBytes(2, 300));
    const database = join(root, "results.db");
    await Deno.writeFile(database, seededBytes(3, 300));
    const link = join(root, "link.exe");
    await Deno.symlink(file, link);
    const big = join(root, "big.exe");
    await Deno.writeFile(big, seededBytes(4, 2000));
    const dir = join(root, "store");
    const action = createQuarantineAction({
      dir,
      policy: { ...defaultQuarantinePolicy, protectedPaths: [database], maxFileBytes: 1000 },
    });
    const events = await respond(
      action,
      [fileDetection([{ object: file }, { object: database }, { object: link }, { object: big }])],
      true,
    );
    const byObject = new Map(events.map((event) => [event.object, event]));
    strictEqual(byObject.get(file)?.outcome, "what-if");
    for (const [path, reason] of [[database, "protected"], [link, "symlink"], [big, "too-large"]]) {
      strictEqual(byObject.get(path!)?.outcome, "refused", JSON.stringify(byObject.get(path!)));
      strictEqual(byObject.get(path!)?.reason, reason, JSON.stringify(byObject.get(path!)));
    }
    strictEqual(await Deno.lstat(dir).then(() => true, () => false), false, "no store created");
    strictEqual(await fileSha256(file), sha256(seededBytes(2, 300)));
  } finally {
    await cleanup();
  }
});
