import { deepStrictEqual } from "node:assert/strict";
import { join } from "node:path";
import { classifyEvidence } from "./classify_evidence.ts";

Deno.test("classifyEvidence() sorts hives, EVTX files, roots and folders by content", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const hive = join(dir, "NTUSER.DAT");
    await Deno.writeFile(hive, new TextEncoder().encode("regf\0\0\0\0rest"));
    const evtx = join(dir, "Security.bin");
    await Deno.writeFile(evtx, new TextEncoder().encode("ElfFile\0rest"));
    const root = join(dir, "image");
    await Deno.mkdir(join(root, "WINDOWS", "system32"), { recursive: true });
    const logs = join(dir, "logs");
    await Deno.mkdir(logs);
    const text = join(dir, "notes.txt");
    await Deno.writeTextFile(text, "hello");
    const fifo = join(dir, "pipe.evtx");
    await new Deno.Command("mkfifo", { args: [fifo] }).output();
    const result = await classifyEvidence([
      hive,
      evtx,
      root,
      logs,
      text,
      join(dir, "missing"),
      fifo,
    ]);
    deepStrictEqual(result.hives, [hive]);
    deepStrictEqual(result.evtx, [evtx, logs]);
    deepStrictEqual(result.roots, [root]);
    deepStrictEqual(result.unknown.map((entry) => entry.path), [text, join(dir, "missing"), fifo]);
    deepStrictEqual(result.unknown[2]!.reason, "not a regular file (never opened)");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
