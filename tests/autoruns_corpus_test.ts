/**
 * The autoruns view on real user hives of the corpus, read in place: the
 * Run-style entries it lists are counted against `reglookup` in the same
 * test (string values of the same keys, empty ones left out).
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { mountHiveFiles } from "../collectors/registry/mod.ts";
import { readRegistryPlaces, registryPlaces } from "../collectors/autoruns/mod.ts";
import { corpusDir } from "./corpus.ts";

const registry = corpusDir("registry");
/** Real NTUSER hives with Run entries (uncompressed in the corpus). */
const hives = ["plaso/NTUSER.DAT", "plaso/NTUSER-WIN7.DAT", "ericzimmerman-registry/NTUSER1.DAT"];
/** The user places read value by value (the Windows key's Load/Run are cut into several). */
const userValuePlaces = registryPlaces.filter((place) =>
  place.hive === "NTUSER" && place.read.kind === "values"
).map((place) => place.path);

function reglookupAvailable(): boolean {
  try {
    new Deno.Command("reglookup", { args: ["-h"], stdout: "null", stderr: "null" }).outputSync();
    return true;
  } catch {
    return false;
  }
}

/** reglookup's count of non-empty string values directly under `path` (none when it is missing). */
function reglookupCount(file: string, path: string): number {
  const slash = `/${path.replaceAll("\\", "/")}`;
  const output = new Deno.Command("reglookup", {
    args: ["-H", "-t", "SZ", "-p", slash, file],
    stdout: "piped",
    stderr: "null",
  }).outputSync();
  const lines = new TextDecoder().decode(output.stdout).split("\n").filter((line) => line !== "");
  let count = 0;
  for (const line of lines) {
    const [name, , value] = line.split(",");
    if (name === undefined || value === undefined || value === "") continue;
    const parent = name.slice(0, name.lastIndexOf("/"));
    if (parent.toLowerCase() === slash.toLowerCase()) count++;
  }
  const expand = new Deno.Command("reglookup", {
    args: ["-H", "-t", "EXPAND_SZ", "-p", slash, file],
    stdout: "piped",
    stderr: "null",
  }).outputSync();
  for (const line of new TextDecoder().decode(expand.stdout).split("\n")) {
    const [name, , value] = line.split(",");
    if (name === undefined || value === undefined || value === "") continue;
    if (name.slice(0, name.lastIndexOf("/")).toLowerCase() === slash.toLowerCase()) count++;
  }
  return count;
}

Deno.test({
  name: "readRegistryPlaces: Run entries of real NTUSER hives, counted against reglookup",
  ignore: registry === undefined || !reglookupAvailable(),
  async fn() {
    let total = 0;
    for (const hive of hives) {
      const file = join(registry!, hive);
      const { mounts, failures } = await mountHiveFiles([{ file, profile: "corpus" }]);
      deepStrictEqual(failures, [], hive);
      const entries = readRegistryPlaces(mounts).entries;
      for (const path of userValuePlaces) {
        const ours = entries.filter((entry) =>
          entry.location.toLowerCase().endsWith(`\\${path.toLowerCase()}`)
        );
        deepStrictEqual(ours.length, reglookupCount(file, path), `${hive}: ${path}`);
        total += ours.length;
      }
    }
    // The corpus holds Run entries (ctfmon, Google Update, Skype): the comparison is not 0 = 0.
    ok(total >= 3, `only ${total} Run entries found`);
  },
});
