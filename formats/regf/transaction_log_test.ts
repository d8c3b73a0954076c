import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { corpusDir } from "../../tests/corpus.ts";
import { RegistryHive } from "./hive.ts";
import type { TransactionLog } from "./transaction_log.ts";
import { toHex } from "./value_data.ts";

const registry = corpusDir("registry");
const yarp = registry ? join(registry, "yarp") : undefined;

async function logsFor(dir: string, base: string): Promise<TransactionLog[]> {
  const logs: TransactionLog[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.toLowerCase().startsWith(base.toLowerCase() + ".log")) {
      logs.push({ name: entry.name, bytes: await Deno.readFile(join(dir, entry.name)) });
    }
  }
  return logs;
}

/** Every key path, value name, type and data, for comparing two hives' content. */
function dump(hive: RegistryHive): string[] {
  const lines: string[] = [];
  hive.walk((key, path) => {
    lines.push(`K ${path.join("\\")}`);
    for (const value of hive.values(key)) {
      lines.push(
        `V ${path.join("\\")}:${value.name}:${value.type}:${toHex(hive.valueData(value))}`,
      );
    }
  });
  return lines.sort();
}

async function openDirty(folder: string, base: string) {
  const dir = join(yarp!, folder);
  const primary = await Deno.readFile(join(dir, base));
  const copy = primary.slice();
  const hive = RegistryHive.open(primary, { logs: await logsFor(dir, base) });
  deepStrictEqual(primary, copy, "the primary's bytes must not change");
  return hive;
}

Deno.test({
  name: "recoverHive: new-format logs give the hive Windows 10 recovered",
  ignore: !yarp,
  fn: async () => {
    const hive = await openDirty("NewDirtyHive1", "NewDirtyHive");
    deepStrictEqual(hive.recovery?.recovered, true);
    deepStrictEqual(hive.recovery?.applied, ["NewDirtyHive.LOG1", "NewDirtyHive.LOG2"]);
    const windows = RegistryHive.open(
      await Deno.readFile(join(yarp!, "NewDirtyHive1", "RecoveredHive_Windows10")),
    );
    deepStrictEqual(dump(hive), dump(windows));
    deepStrictEqual(hive.countTree(), { keys: 5, values: 1 });
  },
});

Deno.test({
  name: "recoverHive: an old-format log gives the hive Windows 7 recovered",
  ignore: !yarp,
  fn: async () => {
    const hive = await openDirty("OldDirtyHive", "OldDirtyHive");
    deepStrictEqual(hive.recovery?.recovered, true);
    deepStrictEqual(hive.recovery?.applied, ["OldDirtyHive.LOG1"]);
    const windows = RegistryHive.open(
      await Deno.readFile(join(yarp!, "OldDirtyHive", "RecoveredHive_Windows7")),
    );
    deepStrictEqual(dump(hive), dump(windows));
  },
});

Deno.test({
  name: "recoverHive: a hive with a bad base block is rebuilt from its old-format log",
  ignore: !yarp,
  fn: async () => {
    const hive = await openDirty("BadBaseBlockHive", "BadBaseBlockHive");
    deepStrictEqual(hive.recovery?.recovered, true);
    ok(hive.baseBlock.checksumValid);
    deepStrictEqual(hive.countTree(), { keys: 5003, values: 1 });
  },
});

Deno.test({
  name: "recoverHive: an old log without DIRT fails and the primary is parsed as is",
  ignore: !yarp,
  fn: async () => {
    const hive = await openDirty("BadLogHive2", "BadLogHive");
    deepStrictEqual(hive.recovery?.recovered, false);
    ok(hive.recovery?.failure?.includes("DIRT"));
    ok(hive.warnings.some((w) => w.code === "not-recovered"));
    deepStrictEqual(hive.countTree(), { keys: 5003, values: 0 });
  },
});

Deno.test({
  name: "recoverHive: new-format logs with bad checksums fail and the primary is parsed as is",
  ignore: !yarp,
  fn: async () => {
    const hive = await openDirty("BadLogHive3", "BadLogHive");
    deepStrictEqual(hive.recovery?.recovered, false);
    ok(hive.recovery?.failure?.includes("bad base block checksum"));
    deepStrictEqual(hive.countTree(), { keys: 5, values: 2 });
  },
});

Deno.test({
  name: "recoverHive: logs are ignored when the hive is clean",
  ignore: !yarp,
  fn: async () => {
    const dir = join(yarp!, "NewDirtyHive1");
    const hive = RegistryHive.open(await Deno.readFile(join(dir, "RecoveredHive_Windows10")), {
      logs: await logsFor(dir, "NewDirtyHive"),
    });
    deepStrictEqual(hive.recovery, undefined);
    deepStrictEqual(hive.countTree(), { keys: 5, values: 1 });
  },
});

Deno.test({
  name: "recoverHive: a .LOG1 without its .LOG2 is no valid scheme (as in yarp)",
  ignore: !yarp,
  fn: async () => {
    const dir = join(yarp!, "NewDirtyHive1");
    const logs = (await logsFor(dir, "NewDirtyHive")).filter((l) => l.name.endsWith("LOG1"));
    const hive = RegistryHive.open(await Deno.readFile(join(dir, "NewDirtyHive")), { logs });
    deepStrictEqual(hive.recovery?.recovered, false);
    ok(hive.recovery?.failure?.includes("without its .LOG2"));
    deepStrictEqual(hive.countTree(), { keys: 5, values: 2 });
  },
});

Deno.test({
  name: "recoverHive: damaged or truncated logs never throw",
  ignore: !yarp,
  fn: async () => {
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
    const cases: [string, string][] = [
      ["NewDirtyHive1", "NewDirtyHive"],
      ["OldDirtyHive", "OldDirtyHive"],
    ];
    for (const [folder, base] of cases) {
      const dir = join(yarp!, folder);
      const primary = await Deno.readFile(join(dir, base));
      const logs = await logsFor(dir, base);
      for (let round = 0; round < 40; round++) {
        const damaged = logs.map((log) => {
          const bytes = log.bytes.slice(
            0,
            round % 2 ? Math.floor(random() * log.bytes.length) : log.bytes.length,
          );
          for (let i = 0; i < 20 && bytes.length > 0; i++) {
            bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
          }
          return { name: log.name, bytes };
        });
        const hive = RegistryHive.open(primary, { logs: damaged });
        hive.countTree();
        ok(hive.recovery !== undefined);
      }
    }
  },
});
