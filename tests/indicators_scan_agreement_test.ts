/**
 * On the real IOC corpus, `iocscan indicators` and `iocscan scan` agree item
 * for item on what is not evaluated and why, and on which IOCs cannot fire:
 * what `indicators` promises is what a scan does. The scan reads an empty
 * mounted root (with `--endpoint-network`) and a blank disk image
 * (`--disk-image`), so every collector that reads
 * offline evidence has a source and no run-dependent reason (`no-source`,
 * `type-not-selected`) appears for them; the collectors of live host state
 * only (processes, ports, the host tables) have none in a scan of evidence,
 * and their items are `no-source` there, which the test checks apart.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "./_cli.ts";
import { corpusDir } from "./corpus.ts";
import { collectorDescriptors } from "../scan/collector_list.ts";

type Json = Record<string, unknown>;
interface NotEvaluated {
  ioc: { id: string; file: string };
  itemId: string;
  search: string;
  reason: string;
}

async function iocscanJson(args: string[]): Promise<{ code: number; events: Json[] }> {
  const output = await runCli<Json>([...args, "--json"]);
  return { code: output.code, events: output.events };
}

const iocKey = (ioc: { id: string; file: string }) => `${ioc.file}\n${ioc.id}`;
const itemLine = (event: NotEvaluated) =>
  [event.ioc.file, event.ioc.id, event.itemId, event.search, event.reason].join(" | ");

Deno.test("indicators and scan agree, item for item, on the real corpus", async () => {
  const corpus = corpusDir("openioc");
  if (corpus === undefined) return;
  const root = await Deno.makeTempDir({ prefix: "iocscan-agreement-" });
  try {
    const indicators = await iocscanJson(["indicators", corpus]);
    deepStrictEqual(indicators.code, 0);
    const image = join(root, "image");
    await Deno.mkdir(image);
    const db = join(root, "results.db");
    // The disk collector reads disk images: a blank one gives it a source.
    const disk = join(root, "blank.img");
    await Deno.writeFile(disk, new Uint8Array(4096));
    // The endpoint-network mode is opt-in: with it, the Network collector has a source too.
    const scan = await iocscanJson([
      "scan",
      "--ioc",
      corpus,
      "--root",
      image,
      "--disk-image",
      disk,
      "--endpoint-network",
      "--db",
      db,
    ]);

    // A scan skips IOCs whose id another file already used: compare the IOCs it evaluated.
    const iocEvents = indicators.events.filter((event) => event.type === "ioc") as (Json & {
      id: string;
      file: string;
      duplicate?: boolean;
      canFire: boolean;
      items: number;
      evaluable: number;
      notEvaluated: Record<string, number>;
    })[];
    const scanned = new Set(iocEvents.filter((event) => !event.duplicate).map(iocKey));
    const listed = (indicators.events.filter((event) =>
      event.type === "not-evaluated"
    ) as unknown[])
      .map((event) => event as NotEvaluated)
      .filter((event) => scanned.has(iocKey(event.ioc)));
    // Live host state is never read in a scan of evidence: what indicators counts evaluable on
    // those documents, the scan reports `no-source`.
    const liveOnly = new Set(
      collectorDescriptors.filter((descriptor) => !descriptor.sources.includes("offline"))
        .flatMap((descriptor) => descriptor.documents.map((document) => document.toLowerCase())),
    );
    const isLiveOnly = (event: NotEvaluated) =>
      liveOnly.has(event.search.split("/")[0]!.toLowerCase());
    const everyReported = scan.events.filter((event) =>
      event.type === "not-evaluated"
    ) as unknown[] as NotEvaluated[];
    const noSource = everyReported.filter((event) =>
      isLiveOnly(event) && event.reason === "no-source"
    );
    ok(noSource.length > 0, "the corpus has items on live host state");
    const reported = everyReported.filter((event) => !noSource.includes(event));
    const lines = (events: NotEvaluated[]) => events.map(itemLine).sort();
    const itemKey = (event: NotEvaluated) => `${iocKey(event.ioc)}\n${event.itemId}`;
    const unread = new Set(noSource.map(itemKey));
    deepStrictEqual(lines(reported), lines(listed.filter((event) => !unread.has(itemKey(event)))));
    ok(listed.length > 500, `${listed.length} items not evaluated`);

    // Per IOC, the counts by reason are the listed items', and those that cannot fire are the scan's.
    const allListed = (indicators.events.filter((event) =>
      event.type === "not-evaluated"
    ) as unknown[])
      .map((event) => event as NotEvaluated);
    for (const event of iocEvents) {
      const count = Object.values(event.notEvaluated).reduce((sum, n) => sum + n, 0);
      deepStrictEqual(event.evaluable, event.items - count, event.id);
      const byReason: Record<string, number> = {};
      for (const item of allListed.filter((item) => iocKey(item.ioc) === iocKey(event))) {
        byReason[item.reason] = (byReason[item.reason] ?? 0) + 1;
      }
      deepStrictEqual(byReason, event.notEvaluated, `${event.id} (${event.file})`);
    }
    const summary = scan.events.find((event) => event.type === "summary") as Json & {
      incomplete: { kind: string; what: string; why: string }[];
    };
    const cannotFire = summary.incomplete
      .filter((entry) => entry.kind === "ioc" && entry.why.startsWith("cannot fire"))
      .map((entry) => entry.what).sort();
    deepStrictEqual(
      cannotFire,
      iocEvents.filter((event) => !event.duplicate && !event.canFire)
        .map((event) => `${event.id} (${event.file})`).sort(),
    );
    ok(cannotFire.length > 0);
    deepStrictEqual(scan.code, 3);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
