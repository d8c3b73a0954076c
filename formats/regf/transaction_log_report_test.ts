/**
 * What recovery reports about damaged logs: a real dirty hive of the corpus
 * (yarp's NewDirtyHive: .LOG1 with entry 2, .LOG2 with entries 3 to 5) whose
 * logs are mutated by code (a checksum flipped, an entry truncated, a header
 * or signature damaged). Each case asserts the exact replay and problems, and
 * a seeded run of 300 mutated pairs asserts that no partial or empty replay is
 * ever reported as recovered without a warning.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { corpusDir } from "../../tests/corpus.ts";
import { RegistryHive } from "./hive.ts";
import type { LogReplay, TransactionLog } from "./transaction_log.ts";

const registry = corpusDir("registry");
const dir = registry ? join(registry, "yarp", "NewDirtyHive1") : undefined;

interface Pair {
  primary: Uint8Array;
  log1: Uint8Array;
  log2: Uint8Array;
}

async function pair(): Promise<Pair> {
  return {
    primary: await Deno.readFile(join(dir!, "NewDirtyHive")),
    log1: await Deno.readFile(join(dir!, "NewDirtyHive.LOG1")),
    log2: await Deno.readFile(join(dir!, "NewDirtyHive.LOG2")),
  };
}

function open({ primary, log1, log2 }: Pair) {
  const logs: TransactionLog[] = [
    { name: "NewDirtyHive.LOG1", bytes: log1 },
    { name: "NewDirtyHive.LOG2", bytes: log2 },
  ];
  return RegistryHive.open(primary, { logs });
}

const log1Entry: LogReplay = {
  log: "NewDirtyHive.LOG1",
  format: "new",
  entries: 1,
  pages: 1,
  firstSequence: 2,
  lastSequence: 2,
};
const log2Entries = (entries: number): LogReplay => ({
  log: "NewDirtyHive.LOG2",
  format: "new",
  entries,
  pages: entries,
  firstSequence: 3,
  lastSequence: 2 + entries,
});

Deno.test({
  name: "recoverHive reports each log's entries, pages and sequence numbers",
  ignore: !dir,
  fn: async () => {
    const hive = open(await pair());
    deepStrictEqual(hive.recovery?.recovered, true);
    deepStrictEqual(hive.recovery?.replays, [log1Entry, log2Entries(3)]);
    deepStrictEqual(hive.recovery?.problems, []);
    deepStrictEqual(hive.warnings.map((w) => [w.code, w.message]), [[
      "recovered",
      "dirty hive (sequence 3/2) recovered in memory from NewDirtyHive.LOG1: 1 entry (1 dirty page), sequence 2 to 2; NewDirtyHive.LOG2: 3 entries (3 dirty pages), sequence 3 to 5",
    ]]);
  },
});

Deno.test({
  name: "recoverHive: a data checksum flipped in an entry stops the replay there, with a warning",
  ignore: !dir,
  fn: async () => {
    const logs = await pair();
    logs.log2[8192 + 600]! ^= 0x01; // inside entry 2 of .LOG2 (sequence 4)
    const hive = open(logs);
    deepStrictEqual(hive.recovery?.recovered, true);
    deepStrictEqual(hive.recovery?.replays, [log1Entry, log2Entries(1)]);
    deepStrictEqual(hive.recovery?.problems, [{
      log: "NewDirtyHive.LOG2",
      kind: "stopped",
      offset: 8192,
      message:
        "NewDirtyHive.LOG2: entry 2 at offset 0x2000: data checksum does not match; replay stopped there after 1 entry",
    }]);
    deepStrictEqual(hive.warnings.map((w) => w.code), ["recovered", "log-stopped"]);
  },
});

Deno.test({
  name: "recoverHive: a log truncated inside an entry stops the replay there, with a warning",
  ignore: !dir,
  fn: async () => {
    const logs = await pair();
    logs.log2 = logs.log2.slice(0, 40000); // entry 3 (sequence 5) runs from 32768 to 40960
    const hive = open(logs);
    deepStrictEqual(hive.recovery?.replays, [log1Entry, log2Entries(2)]);
    deepStrictEqual(hive.recovery?.problems.map((p) => [p.kind, p.offset, p.message]), [[
      "stopped",
      32768,
      "NewDirtyHive.LOG2: entry 3 at offset 0x8000: size 8192 is not a multiple of 512 within the file (40000 bytes); replay stopped there after 2 entries",
    ]]);
    // Cut inside the header of that entry: still named.
    const cut = await pair();
    cut.log2 = cut.log2.slice(0, 32768 + 20);
    const short = open(cut);
    deepStrictEqual(short.recovery?.replays, [log1Entry, log2Entries(2)]);
    deepStrictEqual(short.recovery?.problems.map((p) => p.message), [
      "NewDirtyHive.LOG2: entry 3 at offset 0x8000: the log ends 20 bytes into this entry's header; replay stopped there after 2 entries",
    ]);
  },
});

Deno.test({
  name: "recoverHive: nothing applied is recovered: false, naming both logs' problems",
  ignore: !dir,
  fn: async () => {
    const logs = await pair();
    logs.log1[512 + 12]! ^= 0x40; // the sequence number of .LOG1's only entry
    const hive = open(logs);
    deepStrictEqual(hive.recovery?.recovered, false);
    deepStrictEqual(hive.recovery?.units, 0);
    deepStrictEqual(hive.recovery?.problems.map((p) => [p.log, p.kind]), [
      ["NewDirtyHive.LOG1", "stopped"],
      ["NewDirtyHive.LOG2", "rejected"],
    ]);
    deepStrictEqual(hive.warnings.map((w) => w.code), ["not-recovered"]);
    deepStrictEqual(
      hive.warnings[0]!.message,
      "dirty hive (sequence 3/2) parsed as is: nothing applied: no valid log entry or dirty page in NewDirtyHive.LOG1; " +
        "NewDirtyHive.LOG1: entry 1 at offset 0x200: header checksum does not match; replay stopped there after 0 entries; " +
        "NewDirtyHive.LOG2: starts at sequence 3 but the replay of NewDirtyHive.LOG1 reached 2: not applied",
    );
  },
});

Deno.test({
  name:
    "recoverHive: a rejected .LOG1 leaves .LOG2 applied with a gap warning; a damaged signature is named",
  ignore: !dir,
  fn: async () => {
    const logs = await pair();
    logs.log1[100]! ^= 0xff; // inside the base block: its checksum no longer holds
    const hive = open(logs);
    deepStrictEqual(hive.recovery?.replays, [log2Entries(3)]);
    deepStrictEqual(hive.recovery?.problems.map((p) => [p.kind, p.message]), [
      ["rejected", "NewDirtyHive.LOG1: bad base block checksum"],
      [
        "gap",
        "NewDirtyHive.LOG2: starts at sequence 3 but the hive's last complete write is 2: the entries between are missing",
      ],
    ]);
    deepStrictEqual(hive.warnings.map((w) => w.code), ["recovered", "log-rejected", "log-gap"]);

    const signed = await pair();
    signed.log2[512]! = 0x58; // "XvLE"
    const damaged = open(signed);
    deepStrictEqual(damaged.recovery?.replays, [log1Entry]);
    deepStrictEqual(damaged.recovery?.problems.map((p) => p.message), [
      "NewDirtyHive.LOG2: entry 1 at offset 0x200: damaged HvLE signature; replay stopped there after 0 entries",
    ]);
  },
});

Deno.test({
  name:
    "recoverHive: of 300 mutated log pairs, none is a partial or empty replay without a warning",
  ignore: !dir,
  fn: async () => {
    const original = await pair();
    let seed = 0x5eed;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return Math.floor((seed / 4294967296) * n);
    };
    const full = 4; // entries 2 to 5
    let partial = 0;
    let whole = 0;
    for (let round = 0; round < 300; round++) {
      const logs = {
        primary: original.primary,
        log1: original.log1.slice(),
        log2: original.log2.slice(),
      };
      const which = random(2) === 0 ? "log1" : "log2";
      const target = logs[which];
      const kind = random(3);
      if (kind === 0) {
        // Bit flips in the part holding entries.
        const used = which === "log1" ? 24576 : 40960;
        for (let i = 1 + random(4); i > 0; i--) target[random(used)]! ^= 1 << random(8);
      } else if (kind === 1) {
        logs[which] = target.slice(0, random(target.length));
      } else {
        // A length field blasted: an entry's size, page count or a page's size.
        const entries = which === "log1" ? [512] : [512, 8192, 32768];
        const at = entries[random(entries.length)]! + [4, 16, 20, 44][random(4)]!;
        new DataView(target.buffer).setUint32(
          at,
          [0, 0xffffffff, 0x80000000, 513][random(4)]!,
          true,
        );
      }
      const hive = open(logs);
      hive.countTree();
      const recovery = hive.recovery!;
      const warned = recovery.problems.length > 0;
      if (recovery.recovered && recovery.units < full) {
        partial++;
        ok(
          warned,
          `round ${round}: ${recovery.units} of ${full} entries applied without a warning`,
        );
      }
      if (!recovery.recovered) {
        ok(hive.warnings.some((w) => w.code === "not-recovered"), `round ${round}`);
      }
      if (recovery.recovered && recovery.units === full) whole++;
    }
    console.error(`300 mutated pairs: ${whole} fully replayed, ${partial} partial (each warned)`);
    ok(partial > 0 && whole > 0);
  },
});
