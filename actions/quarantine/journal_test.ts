import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { JOURNAL_FILE, JournalWriter, parseJournal } from "./journal.ts";
import { openQuarantineStore } from "./quarantine_store.ts";
import { seededBytes, target, tempTree, testPolicy } from "./_quarantine_fixtures.ts";

const encode = (text: string) => new TextEncoder().encode(text);

Deno.test("journal: a torn last line is tolerated and reported, a bad middle line by number", () => {
  const good = JSON.stringify({ id: "20261207T000000Z-0000000a", op: "opened", at: "t" });
  const parsed = parseJournal(encode(`${good}\nnot json\n${good}\n{"id":"b","op":"cop`));
  strictEqual(parsed.records.length, 2);
  deepStrictEqual(parsed.unreadable, [2]);
  strictEqual(parsed.tornLine, `{"id":"b","op":"cop`);
  strictEqual(parsed.completeBytes, encode(`${good}\nnot json\n${good}\n`).length);
  deepStrictEqual(parseJournal(encode("")), { records: [], unreadable: [], completeBytes: 0 });
});

Deno.test("journal: opening a store with a torn line reports it, cuts it off, and appends after it", async () => {
  const { root, cleanup } = await tempTree("iocscan-qjournal-");
  try {
    const dir = join(root, "store");
    const first = await openQuarantineStore({ dir });
    const file = join(root, "a");
    await Deno.writeFile(file, seededBytes(1, 10));
    strictEqual((await first.quarantine(target(file), testPolicy())).outcome, "quarantined");
    await first.close();
    const journal = join(dir, JOURNAL_FILE);
    const before = await Deno.readTextFile(journal);
    await Deno.writeTextFile(journal, `{"id":"20261207T000000Z-00000000","op":"cop`, {
      append: true,
    });
    const second = await openQuarantineStore({ dir });
    strictEqual(second.journalHealth.tornLine, `{"id":"20261207T000000Z-00000000","op":"cop`);
    deepStrictEqual(second.recovery, { finished: [], rolledBack: [] });
    strictEqual(await Deno.readTextFile(journal), before);
    const other = join(root, "b");
    await Deno.writeFile(other, seededBytes(2, 10));
    strictEqual((await second.quarantine(target(other), testPolicy())).outcome, "quarantined");
    await second.close();
    const lines = (await Deno.readTextFile(journal)).trimEnd().split("\n");
    for (const line of lines) JSON.parse(line);
    const third = await openQuarantineStore({ dir });
    strictEqual(third.journalHealth.tornLine, undefined);
    await third.close();
  } finally {
    await cleanup();
  }
});

/** A journal file in memory whose writes fail (after writing part of the bytes) while `full`. */
class FillingFile {
  bytes = new Uint8Array(0);
  full = false;
  write(p: Uint8Array): Promise<number> {
    if (this.full) {
      if (p.length > 1) {
        // A short write first (the disk filled up part way), then the error on the rest.
        const part = p.subarray(0, Math.floor(p.length / 2));
        this.bytes = new Uint8Array([...this.bytes, ...part]);
        return Promise.resolve(part.length);
      }
      return Promise.reject(new Error("No space left on device (os error 28)"));
    }
    this.bytes = new Uint8Array([...this.bytes, ...p]);
    return Promise.resolve(p.length);
  }
  syncData(): Promise<void> {
    return Promise.resolve();
  }
  truncate(length = 0): Promise<void> {
    this.bytes = this.bytes.slice(0, length);
    return Promise.resolve();
  }
  stat(): Promise<{ size: number }> {
    return Promise.resolve({ size: this.bytes.length });
  }
  close(): void {}
}

Deno.test("journal: a line that could not be written whole (disk full) is cut off, so the next line is whole", async () => {
  const file = new FillingFile();
  const writer = JournalWriter.over(file);
  await writer.append({ id: "20261207T000000Z-0000000a", op: "verified", at: "t" });
  file.full = true;
  await rejects(() => writer.append({ id: "20261207T000000Z-0000000a", op: "recorded", at: "t" }));
  file.full = false;
  // The rollback that follows freed space: its line lands whole, on a line of its own.
  await writer.append({ id: "20261207T000000Z-0000000a", op: "rolled-back", at: "t" });
  const parsed = parseJournal(file.bytes);
  deepStrictEqual(parsed.unreadable, []);
  strictEqual(parsed.tornLine, undefined);
  deepStrictEqual(parsed.records.map((record) => record.op), ["verified", "rolled-back"]);
});
