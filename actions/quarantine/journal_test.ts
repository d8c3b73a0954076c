import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { JOURNAL_FILE, parseJournal } from "./journal.ts";
import { openQuarantineStore } from "./quarantine_store.ts";
import { seededBytes, target, tempTree, testPolicy } from "./_quarantine_fixtures.ts";

const encode = (text: string) => new TextEncoder().encode(text);

Deno.test("journal: a torn last line is tolerated and reported, a bad middle line by number", () => {
  const good = JSON.stringify({ id: "a", op: "opened", at: "t" });
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
