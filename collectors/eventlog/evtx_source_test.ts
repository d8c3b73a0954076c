import { deepStrictEqual } from "node:assert/strict";
import { join } from "node:path";
import type { SkippedObject } from "../collector.ts";
import { createEventLogCollector } from "./collector.ts";

Deno.test("evtx files: FIFOs are skipped, never opened, whether named or found in a folder", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const fifo = join(dir, "pipe.evtx");
    await new Deno.Command("mkfifo", { args: [fifo] }).output();
    await Deno.symlink(dir, join(dir, "loop"));
    await Deno.writeTextFile(join(dir, "junk.evtx"), "not an event log");
    const skipped: SkippedObject[] = [];
    const warnings: string[] = [];
    const collector = createEventLogCollector({ evtx: [dir, fifo] });
    const items = await Array.fromAsync(collector.collect({
      needs: new Map([["EventLogItem", new Set(["EID"])]]),
      reporter: {
        skipped: (entry) => skipped.push(entry),
        warning: (entry) => warnings.push(entry.code),
        progress: () => {},
      },
    }));
    deepStrictEqual(items, []);
    // A file that is no EVTX log is skipped as a whole (and warned about); folder order varies.
    deepStrictEqual(skipped.map((entry) => [entry.object, entry.reason]).sort(), [
      [join(dir, "junk.evtx"), "unsupported"],
      [join(dir, "loop"), "symlink"],
      [fifo, "special-file"],
      [fifo, "special-file"],
    ]);
    deepStrictEqual(warnings, ["evtx-not-evtx"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
