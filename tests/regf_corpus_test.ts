/**
 * The REGF parser on every hive of the shared corpus: key/value counts equal
 * the reference (ground-truth-shared.md), dirty hives with logs reach yarp's
 * recovered counts, damaged hives end with warnings, and value decoding agrees
 * with hivexml on a sample. `.xz` hives are unpacked with `xz` into a temp
 * folder (never into the repository).
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { basename, join } from "node:path";
import { type LooseEvent, runCli } from "./_cli.ts";
import { corpusDir } from "./corpus.ts";
import { decodeValue, RegfError, RegistryHive, toHex } from "../formats/regf/mod.ts";
import { createRegistryCollector, openHiveFile } from "../collectors/registry/mod.ts";
import type { ObservedItem } from "../contracts/observed_item.ts";

const registry = corpusDir("registry");

/** Expected [keys, values]; "reject" for files that are not REGF hives. */
type Expected = [number, number] | "reject";

/**
 * Agreed counts from ground-truth-shared.md; for dirty hives with logs, yarp's
 * recovered counts. Disputed (corrupt) hives are listed with the range the
 * reference tools span, see `disputed` below.
 */
const expected: Record<string, Expected> = {
  "dfwinreg/SAM": [76, 84],
  "dfwinreg/SECURITY": [101, 110],
  "dfwinreg/SYSTEM.DAT": "reject",
  "dfwinreg/USER.DAT": "reject",
  "ericzimmerman-registry/NTUSER1.DAT": [595, 878],
  "ericzimmerman-registry/NotAHive": "reject",
  "ericzimmerman-registry/SAM_DUPENAME": [112, 128],
  "ericzimmerman-registry/SAM_RootValue": [65, 71],
  "ericzimmerman-registry/SAM_hasBigEndianDWord": [92, 103],
  "ericzimmerman-registry/SAN(OTHER)": [68, 73],
  "ericzimmerman-registry/SECURITYNoRoot": [8, 2],
  "ericzimmerman-registry/UsrClassDeletedBags.dat": [37, 231],
  "plaso/NTUSER-WIN7.DAT": [2288, 5470],
  "plaso/NTUSER.DAT": [1127, 5602],
  "plaso/regf/100_sub_keys.hiv": [101, 100],
  "plaso/winreg/win10-Amcache.hve": [207, 4188],
  "python-registry/REORGANIZED_VALUES_TESTS": [3, 22],
  "python-registry/UNICODE_TESTS": [3, 22],
  "regipy/NTUSER-WSL.DAT.xz": [3074, 4949],
  "regipy/NTUSER.DAT.xz": [1812, 4094],
  "regipy/NTUSER_with_winscp.DAT.xz": [5328, 12014],
  "regipy/SAM.xz": [65, 70],
  "regipy/SECURITY.xz": [100, 109],
  "regipy/SYSTEM.xz": [30756, 73456],
  "regipy/SYSTEM_2.xz": [20015, 49779],
  "regipy/SYSTEM_B.xz": [35595, 78901],
  "regipy/UsrClass.dat.xz": [6238, 12531],
  "regipy/amcache.hve.xz": [2105, 17539],
  "regipy/ntuser_software_partial.xz": [6396, 19990],
  "yarp/BadBaseBlockHive/BadBaseBlockHive": [5003, 1],
  "yarp/BadLogHive2/BadLogHive": [5003, 0],
  "yarp/BadLogHive3/BadLogHive": [5, 2],
  "yarp/DeletedDataHive": [2, 1],
  "yarp/DeletedTreeHive": [3, 0],
  "yarp/DeletedTreeNoRootFlagHive": [3, 0],
  "yarp/DeletedTreePartialPathHive": [3, 0],
  "yarp/DuplicateSubkeysHive": [5003, 0],
  "yarp/EmptyHive": [1, 0],
  "yarp/ExtendedASCIIHive": [2, 1],
  "yarp/GarbageHive": [1, 0],
  "yarp/HealedHive": [4, 1],
  "yarp/InvalidParentFragment": "reject",
  "yarp/InvalidParentHive": [5003, 0],
  "yarp/ManySubkeysHive": [5003, 0],
  "yarp/MultiSzHive": [2, 2],
  "yarp/NewDirtyHive1/NewDirtyHive": [5, 1],
  "yarp/NewDirtyHive1/RecoveredHive_Windows10": [5, 1],
  "yarp/NewFlagsHive": [3, 0],
  "yarp/OffHive": [1, 0],
  "yarp/OldDirtyHive/OldDirtyHive": [5003, 1],
  "yarp/OldDirtyHive/RecoveredHive_Windows7": [5003, 1],
  "yarp/OldLogWithRemnantData": "reject",
  "yarp/PairHive": [4, 0],
  "yarp/ReallocValueDataHive": [2, 1],
  "yarp/RemnantData": [2, 15],
  "yarp/RemnantsHive": [1, 0],
  "yarp/SqliteFragment": "reject",
  "yarp/SqliteHive": [4, 3],
  "yarp/System_Delta": [586, 820],
  "yarp/TruncatedDirtyHive": [2, 0],
  "yarp/TruncatedHiveBin": "reject",
  "yarp/TruncatedNameHive": [1, 0],
  "yarp/TruncatedPairHive": [4, 0],
  "yarp/WrongOrderHive": [11, 0],
};

/**
 * Corrupt hives on which the reference tools disagree: [min, max] keys and
 * values across regfinfo, reglookup, hivexml and yarp (0 for a refusal). A
 * robust parser lands in between and reports the damage.
 */
const disputed: Record<string, { keys: [number, number]; values: [number, number] }> = {
  "ericzimmerman-registry/SAMBadHBinHeader": { keys: [0, 2], values: [0, 0] },
  "plaso/regf/corrupt_sub_key_list.hiv": { keys: [0, 9], values: [0, 8] },
  "yarp/DeletedDataHiveTruncated": { keys: [0, 2], values: [0, 0] },
  "regipy/corrupted_system_hive.xz": { keys: [0, 1], values: [0, 0] },
};

/** Hives that are damaged: opening them must produce warnings. */
const damaged = new Set([
  "ericzimmerman-registry/SAMBadHBinHeader",
  "ericzimmerman-registry/SAN(OTHER)",
  "plaso/regf/corrupt_sub_key_list.hiv",
  "yarp/GarbageHive",
  "yarp/TruncatedDirtyHive",
  "yarp/TruncatedNameHive",
  "regipy/corrupted_system_hive.xz",
]);

let unpackedDir: string | undefined;

/** The readable path of a corpus file; `.xz` files (and their logs) are unpacked once. */
async function corpusPath(relative: string): Promise<string | undefined> {
  const source = join(registry!, relative);
  if (!relative.endsWith(".xz")) return source;
  if (unpackedDir === undefined) {
    try {
      new Deno.Command("xz", { args: ["--version"], stdout: "null" }).outputSync();
    } catch {
      console.error("\n*** SKIPPING .xz corpus hives: the xz tool is not installed ***\n");
      return undefined;
    }
    unpackedDir = await Deno.makeTempDir({ prefix: "iocscan-regf-" });
    for await (const entry of Deno.readDir(join(registry!, "regipy"))) {
      if (!entry.name.endsWith(".xz")) continue;
      const out = await new Deno.Command("xz", {
        args: ["-dc", join(registry!, "regipy", entry.name)],
        stdout: "piped",
      }).output();
      await Deno.writeFile(join(unpackedDir, entry.name.slice(0, -3)), out.stdout);
    }
  }
  return join(unpackedDir, basename(relative).slice(0, -3));
}

Deno.test({
  name: "RegistryHive on the corpus: counts equal the reference on every hive",
  ignore: registry === undefined,
  fn: async () => {
    const failures: string[] = [];
    const all = {
      ...expected,
      ...Object.fromEntries(Object.keys(disputed).map((k) => [k, [0, 0]])),
    };
    for (const relative of Object.keys(all)) {
      const path = await corpusPath(relative);
      if (path === undefined) continue;
      const opened = await openHiveFile(path);
      const want = expected[relative];
      if (!(opened instanceof RegistryHive)) {
        if (want !== "reject") failures.push(`${relative}: rejected (${opened.detail})`);
        continue;
      }
      if (want === "reject") {
        failures.push(`${relative}: opened, expected a rejection`);
        continue;
      }
      const counts = opened.countTree();
      const range = disputed[relative];
      if (range) {
        const ok = counts.keys >= range.keys[0] && counts.keys <= range.keys[1] &&
          counts.values >= range.values[0] && counts.values <= range.values[1];
        if (!ok) {
          failures.push(`${relative}: ${counts.keys}/${counts.values} outside the tools' range`);
        }
      } else if (counts.keys !== want![0] || counts.values !== want![1]) {
        failures.push(`${relative}: ${counts.keys}/${counts.values}, expected ${want!.join("/")}`);
      }
      if (damaged.has(relative) && opened.warningCount === 0) {
        failures.push(`${relative}: damaged but no warning`);
      }
    }
    deepStrictEqual(failures, []);
  },
});

Deno.test({
  name: "RegistryHive on the corpus: dirty hives with logs are recovered, failing logs say why",
  ignore: registry === undefined,
  fn: async () => {
    const recovered = [
      "regipy/SYSTEM_B.xz",
      "regipy/UsrClass.dat.xz",
      "yarp/NewDirtyHive1/NewDirtyHive",
      "yarp/OldDirtyHive/OldDirtyHive",
      "yarp/BadBaseBlockHive/BadBaseBlockHive",
    ];
    for (const relative of recovered) {
      const path = await corpusPath(relative);
      if (path === undefined) continue;
      const hive = await openHiveFile(path);
      ok(hive instanceof RegistryHive, relative);
      deepStrictEqual(hive.recovery?.recovered, true, relative);
    }
    for (const relative of ["yarp/BadLogHive2/BadLogHive", "yarp/BadLogHive3/BadLogHive"]) {
      const hive = await openHiveFile(join(registry!, relative));
      ok(hive instanceof RegistryHive);
      deepStrictEqual(hive.recovery?.recovered, false, relative);
      ok(hive.warnings.some((w) => w.code === "not-recovered"), relative);
    }
  },
});

Deno.test({
  name: "RegistryHive on the corpus: non-hives are rejected with a clear error",
  ignore: registry === undefined,
  fn: async () => {
    const creg = await Deno.readFile(join(registry!, "dfwinreg/USER.DAT"));
    try {
      RegistryHive.open(creg);
      ok(false, "CREG opened");
    } catch (error) {
      ok(error instanceof RegfError && error.code === "creg" && /9x/.test(error.message));
    }
  },
});

/** Decodes hivexml's XML entities. */
function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    if (e[0] === "#") {
      return String.fromCodePoint(
        e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10),
      );
    }
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[e.toLowerCase()]!;
  });
}

/** hivexml's values as `path:name` → `type=data`, data normalised like ours. */
function hivexValues(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  const path: string[] = [];
  let list: { id: string; items: string[] } | undefined;
  const tag = /<(\/?)(node|value|string)\b([^>]*?)(\/?)>|([^<]+)/g;
  let inString = false;
  for (const m of xml.matchAll(tag)) {
    const [, close, name, attrs = "", selfClose, text] = m;
    if (text !== undefined) {
      if (inString && list) list.items[list.items.length - 1] += unescapeXml(text);
      continue;
    }
    const attr = (key: string) => {
      const found = new RegExp(`\\b${key}="([^"]*)"`).exec(attrs);
      return found ? unescapeXml(found[1]!) : undefined;
    };
    if (name === "node") {
      if (close) path.pop();
      else path.push(attr("root") === "1" ? "" : attr("name")!);
    } else if (name === "value" && !close) {
      const id = `${path.slice(1).join("\\")}:${attr("default") === "1" ? "" : attr("key") ?? ""}`;
      const type = attr("type")!;
      if (type === "string-list") {
        list = { id, items: [] };
        if (selfClose) out.set(id, "7=[]");
      } else {
        const value = attr("value") ?? "";
        // Raw data (binary, none, resource lists, unknown types) is compared as bytes.
        if (attr("encoding") === "base64") {
          out.set(id, `raw=${toHex(Uint8Array.from(atob(value), (c) => c.charCodeAt(0)))}`);
        } else out.set(id, `${type}=${value}`);
      }
    } else if (name === "value" && close && list) {
      // hivex keeps the empty string after the last NUL; the list ends at the double NUL.
      while (list.items.at(-1) === "") list.items.pop();
      out.set(list.id, `7=${JSON.stringify(list.items)}`);
      list = undefined;
    } else if (name === "string") {
      inString = !close;
      if (!close && list) list.items.push("");
    }
  }
  return out;
}

/** Our values in hivexml's terms. */
function ourValues(hive: RegistryHive): Map<string, string> {
  const out = new Map<string, string>();
  const names: Record<number, string> = {
    0: "none",
    1: "string",
    2: "expand",
    4: "int32",
    5: "int32be",
    6: "link",
    11: "int64",
  };
  hive.walk((key, path) => {
    for (const value of hive.values(key)) {
      const data = hive.valueData(value);
      const decoded = decodeValue(value.type, data);
      const id = `${path.join("\\")}:${value.name}`;
      if (value.type === 7 && Array.isArray(decoded)) out.set(id, `7=${JSON.stringify(decoded)}`);
      else if (
        (value.type === 4 || value.type === 5) && typeof decoded === "number"
      ) {
        // hivex prints DWORDs signed; ours are unsigned as in regedit. Compare the bits.
        out.set(id, `${names[value.type]}=${decoded | 0}`);
      } else if (value.type === 11 && typeof decoded === "bigint") {
        out.set(id, `int64=${BigInt.asIntN(64, decoded)}`);
      } else if (typeof decoded === "string") out.set(id, `${names[value.type]}=${decoded}`);
      else out.set(id, `raw=${toHex(data)}`);
    }
  });
  return out;
}

function hivexmlAvailable(): boolean {
  try {
    new Deno.Command("hivexml", { args: ["--help"], stdout: "null", stderr: "null" }).outputSync();
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name: "decodeValue agrees with hivexml on a sample of corpus hives",
  ignore: registry === undefined,
  fn: async () => {
    if (!hivexmlAvailable()) {
      console.error(
        "\n*** SKIPPING the hivexml comparison: hivexml is not installed (apt-get install libhivex-bin) ***\n",
      );
      return;
    }
    const sample = [
      "plaso/NTUSER.DAT",
      "dfwinreg/SAM",
      "yarp/MultiSzHive",
      "ericzimmerman-registry/SAM_hasBigEndianDWord",
      "plaso/winreg/win10-Amcache.hve",
      "yarp/UnicodeHive",
      "yarp/ExtendedASCIIHive",
      "regipy/SYSTEM.xz", // resource lists and requirements, 73k values
    ];
    let compared = 0;
    const differences: string[] = [];
    for (const relative of sample) {
      const file = await corpusPath(relative);
      if (file === undefined) continue;
      const xml = new TextDecoder().decode(
        (await new Deno.Command("hivexml", { args: [file], stdout: "piped" }).output()).stdout,
      );
      const theirs = hivexValues(xml);
      const ours = ourValues(RegistryHive.open(await Deno.readFile(file)));
      deepStrictEqual(ours.size, theirs.size, `${relative}: value count`);
      for (const [id, mine] of ours) {
        const other = theirs.get(id);
        compared++;
        // hivex keeps string data past the first NUL; ours ends there (real hives carry junk).
        // hivex reports an empty DWORD as -1 (its error value); ours is the empty data.
        if (mine === "raw=" && other?.startsWith("int32")) continue;
        if (
          other !== mine &&
          !(other !== undefined && mine.startsWith("string=") && other.startsWith(mine))
        ) {
          differences.push(
            `${relative} ${id}: ours ${mine.slice(0, 80)} hivex ${other?.slice(0, 80)}`,
          );
        }
      }
    }
    ok(compared > 5000, `compared ${compared}`);
    deepStrictEqual(differences.slice(0, 20), []);
  },
});

Deno.test({
  name: "iocscan collect registry: summary counts and recovery for a dirty hive with logs",
  ignore: registry === undefined,
  fn: async () => {
    const path = await corpusPath("regipy/UsrClass.dat.xz");
    if (path === undefined) return;
    const run = await runCli<LooseEvent>(["collect", "registry", "--hive", path, "--json"]);
    deepStrictEqual(run.code, 0);
    const lines = run.events;
    const summary = lines.at(-1);
    deepStrictEqual([summary.type, summary.keys, summary.values, summary.recovered], [
      "summary",
      6238,
      12531,
      true,
    ]);
    const items = lines.filter((l) => l.type === "item");
    deepStrictEqual(items.length, summary.items);
    ok(items.every((i) => i.document === "RegistryItem" && i.Hive === "HKEY_USERS"));
  },
});

Deno.test({
  name: "iocscan collect registry: a Windows 9x hive is skipped with exit code 2, no crash",
  ignore: registry === undefined,
  fn: async () => {
    const run = await runCli<LooseEvent>([
      "collect",
      "registry",
      "--hive",
      join(registry!, "dfwinreg/SYSTEM.DAT"),
      "--json",
    ]);
    deepStrictEqual(run.code, 2);
    const lines = run.events;
    deepStrictEqual(lines[0].type, "skipped");
    ok(/CREG/.test(lines[0].detail));
    deepStrictEqual(lines.at(-1).type, "summary");
  },
});

globalThis.addEventListener("unload", () => {
  if (unpackedDir) Deno.removeSync(unpackedDir, { recursive: true });
});

Deno.test({
  name:
    "createRegistryCollector: the default key set on a corpus SYSTEM hive follows Select\\Current",
  ignore: registry === undefined,
  fn: async () => {
    const path = await corpusPath("regipy/SYSTEM.xz");
    if (path === undefined) return;
    const collector = createRegistryCollector({ hives: [path], live: false });
    const items: ObservedItem[] = [];
    const reporter = { skipped() {}, warning() {}, progress() {} };
    for await (const item of collector.collect({ needs: new Map(), reporter })) items.push(item);
    const dnscache = items.find((i) =>
      i.fields.Path === "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\services\\Dnscache\\ImagePath"
    );
    deepStrictEqual(dnscache?.fields.Text, "%SystemRoot%\\system32\\svchost.exe -k NetworkService");
    deepStrictEqual(dnscache?.fields.Value, "C:\\Windows\\system32\\svchost.exe -k NetworkService");
    deepStrictEqual(dnscache?.fields.Type, "REG_EXPAND_SZ");
    // Select\Current is 1: the LastKnownGood set (ControlSet002) is not in the key set.
    ok(!items.some((i) => String(i.fields.KeyPath).startsWith("SYSTEM\\ControlSet002")));
    ok(items.length > 1000);
    deepStrictEqual([collector.stats.keys, collector.stats.values], [30756, 73456]);
  },
});

Deno.test({
  name: "RegistryHive on the corpus: randomly damaged copies of a real hive never throw",
  ignore: registry === undefined,
  fn: async () => {
    const original = await Deno.readFile(join(registry!, "plaso/NTUSER.DAT"));
    let seed = 20261128;
    const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
    let walked = 0;
    for (let round = 0; round < 60; round++) {
      const bytes = original.slice(
        0,
        round % 3 === 0 ? 4096 + Math.floor(random() * (original.length - 4096)) : original.length,
      );
      // Flip bytes inside the hive bins (the base block stays valid, so the hive opens).
      for (let i = 0; i < 300; i++) {
        const at = 4096 + Math.floor(random() * (bytes.length - 4096));
        bytes[at] = Math.floor(random() * 256);
      }
      const hive = RegistryHive.open(bytes);
      hive.walk((key) => {
        walked++;
        hive.className(key);
        hive.securityDescriptor(key);
        for (const value of hive.values(key)) decodeValue(value.type, hive.valueData(value));
      });
      for (const _ of hive.iterateKeys()) walked++;
    }
    ok(walked > 1000);
  },
});
