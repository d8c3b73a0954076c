import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import type { CollectorFinding, SkippedObject } from "../collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { createProcessModulesCollector, maxRegionFindingsPerProcess } from "./collector.ts";
import type { ProcessModulesEvent, ProcessModulesSource } from "./source.ts";

function source(events: ProcessModulesEvent[]): ProcessModulesSource {
  return {
    name: "recorded",
    async *processes() {
      for (const event of events) yield event;
    },
  };
}

Deno.test("createProcessModulesCollector: one hashed FileItem per distinct file, deleted files keyed by pid, anonymous memory as findings, a cut listing as incomplete", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-modules-" });
  try {
    const lib = `${dir}/libx.so`;
    await Deno.writeTextFile(lib, "library bytes");
    const image = `${dir}/image`;
    await Deno.writeTextFile(image, "image bytes");
    const region = (start: string) => ({
      start,
      end: "ffff",
      size: 16,
      perms: "rwxp",
      backing: "anonymous" as const,
    });
    const collector = createProcessModulesCollector({
      hashWorkers: 0,
      now: () => new Date("2026-12-07T00:00:00.000Z"),
      source: source([
        {
          pid: 10,
          name: "a",
          files: [
            {
              kind: "image",
              path: `/gone/evil (deleted)`,
              openPath: image,
              deleted: true,
              identity: "pid 10",
            },
            { kind: "module", path: lib, openPath: lib, deleted: false, identity: `\0${lib}` },
          ],
          anonymous: Array.from(
            { length: maxRegionFindingsPerProcess + 2 },
            (_, i) => region(`${i}`),
          ),
        },
        {
          pid: 11,
          name: "b",
          files: [{
            kind: "module",
            path: lib,
            openPath: lib,
            deleted: false,
            identity: `\0${lib}`,
          }],
          anonymous: [],
        },
        {
          skip: true,
          object: "/proc",
          reason: "too-large",
          detail: "more than 100000",
          listing: true,
        },
      ]),
    });
    const findings: CollectorFinding[] = [];
    const skipped: SkippedObject[] = [];
    const items: ObservedItem[] = [];
    const needs = new Map([["FileItem", new Set(["Md5sum", "FullPath", "Username"])]]);
    const reporter = {
      skipped: (entry: SkippedObject) => skipped.push(entry),
      warning() {},
      progress() {},
      finding: (entry: CollectorFinding) => findings.push(entry),
    };
    for await (const item of collector.collect({ needs, reporter })) {
      Object.assign(item.fields, await item.lazy!.load(["Md5sum"]));
      items.push(item);
    }
    deepStrictEqual(items.map((item) => item.key), [`/gone/evil (deleted) [pid 10]`, lib]);
    strictEqual(items[0]!.fields["FullPath"], "/gone/evil (deleted)");
    strictEqual(items[0]!.provenance?.source, image);
    strictEqual(
      items[1]!.fields["Md5sum"],
      createHash("md5").update("library bytes").digest("hex"),
    );
    ok(items[1]!.unevaluated?.["Username"]);
    const memory = findings.filter((f) => f.kind === "anonymous-executable-memory");
    strictEqual(memory.length, maxRegionFindingsPerProcess + 1);
    ok(memory.at(-1)!.detail.startsWith("2 more"));
    deepStrictEqual(
      findings.filter((f) => f.kind === "area-not-read").map((f) => f.severity),
      ["incomplete"],
    );
    deepStrictEqual(collector.stats, {
      processes: 2,
      images: 1,
      modules: 1,
      anonymousRegions: maxRegionFindingsPerProcess + 2,
      skipped: 1,
    });
    strictEqual(skipped[0]!.object, "/proc");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createProcessModulesCollector: a process whose image or maps could not be read leaves FileItem unread and the area incomplete, never a clean sweep", async () => {
  const collector = createProcessModulesCollector({
    hashWorkers: 0,
    source: source([
      {
        pid: 1,
        name: "init",
        files: [],
        anonymous: [],
        unread: "/proc/1/exe: Permission denied; /proc/1/maps: Permission denied",
      },
      {
        skip: true,
        object: "pid 2",
        reason: "unreadable",
        detail: "/proc/2/comm: Permission denied",
      },
      {
        skip: true,
        object: "/proc",
        reason: "too-large",
        detail: "more than 100000",
        listing: true,
      },
    ]),
  });
  const findings: CollectorFinding[] = [];
  const skipped: SkippedObject[] = [];
  const reporter = {
    skipped: (entry: SkippedObject) => skipped.push(entry),
    warning() {},
    progress() {},
    finding: (entry: CollectorFinding) => findings.push(entry),
  };
  const needs = new Map([["FileItem", new Set(["Md5sum"])]]);
  for await (const _ of collector.collect({ needs, reporter })) {
    // no file
  }
  deepStrictEqual(
    skipped.map((skip) => [skip.object, skip.unreadDocuments]),
    [["pid 1 (init)", ["FileItem"]], ["pid 2", ["FileItem"]], ["/proc", ["FileItem"]]],
  );
  const notRead = findings.filter((f) => f.kind === "area-not-read");
  deepStrictEqual(notRead.map((f) => f.severity), ["incomplete", "incomplete"]);
  ok(notRead.some((f) => f.detail.includes("2 process(es)")), JSON.stringify(notRead));
});
