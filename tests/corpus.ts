/**
 * Locating the shared corpus of real files. Tests and benchmarks read the
 * corpus in place and skip loudly when it is not there.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const repoRoot = resolve(dirname(new URL(import.meta.url).pathname), "..");

/** The folder holding `corpus/` and `research/`, or undefined when absent. */
export const sharedDir: string | undefined = [
  Deno.env.get("IOCSCAN_SHARED"),
  join(repoRoot, "..", "shared"),
].find((dir): dir is string => dir !== undefined && existsSync(join(dir, "corpus")));

/**
 * The path of a corpus sub-folder (`openioc`, `evtx`, `registry`), or undefined
 * after printing a loud notice that tests depending on it are skipped.
 */
export function corpusDir(kind: "openioc" | "evtx" | "registry"): string | undefined {
  if (sharedDir === undefined) {
    console.error(
      `\n*** SKIPPING ${kind} corpus tests: ../shared/corpus not found ` +
        `(set IOCSCAN_SHARED to the folder holding corpus/) ***\n`,
    );
    return undefined;
  }
  return join(sharedDir, "corpus", kind);
}

/** Absolute path of the repository root. */
export const repositoryRoot: string = repoRoot;
