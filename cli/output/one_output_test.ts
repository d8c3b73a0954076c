/**
 * Guards of the output and options layer: every byte of a command's stdout
 * goes through cli/output/ (one writer, one EPIPE rule), and every count,
 * size, time, id or number of days a command takes is read by
 * cli/option_parsers.ts.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { join, relative } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { repositoryRoot } from "../../tests/corpus.ts";
import * as optionParsers from "../option_parsers.ts";
import { createProgram } from "../program.ts";

/** The TypeScript files below `folder` (not tests, not `_fixtures`), with their code lines (comments left out). */
async function sources(folder: string): Promise<{ path: string; code: string[] }[]> {
  const found: { path: string; code: string[] }[] = [];
  for await (const entry of Deno.readDir(folder)) {
    const path = join(folder, entry.name);
    if (entry.isDirectory) found.push(...await sources(path));
    else if (
      entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts") && !entry.name.startsWith("_")
    ) {
      const code = (await Deno.readTextFile(path)).split("\n")
        .filter((line) => !/^\s*(\*|\/\/|\/\*\*)/.test(line));
      found.push({ path: relative(repositoryRoot, path), code });
    }
  }
  return found;
}

/** Ways of writing stdout (or a buffer of it) other than cli/output/. */
const ownOutput = /console\.log\(|Deno\.stdout|new TextEncoder|\.writeSync\(/;

Deno.test("commands write stdout only through cli/output/", async () => {
  const offenders: string[] = [];
  for (const folder of ["cli", "report", "scan", "store", "collectors/registry"]) {
    for (const { path, code } of await sources(join(repositoryRoot, folder))) {
      if (path.startsWith(join("cli", "output"))) continue;
      // The progress bar draws on stderr.
      if (path === join("report", "progress_bar.ts")) continue;
      // Live forwarding encodes messages for sockets and child processes' stdin, never stdout.
      if (path.startsWith(join("cli", "forwarding"))) continue;
      for (const line of code) if (ownOutput.test(line)) offenders.push(`${path}: ${line.trim()}`);
    }
  }
  deepStrictEqual(offenders, []);
});

Deno.test("commands read numbers and times only through cli/option_parsers.ts", async () => {
  const parsing = /\bNumber\(|parseInt|parseFloat|Date\.parse|readTimeBound/;
  const offenders: string[] = [];
  for (const { path, code } of await sources(join(repositoryRoot, "cli", "commands"))) {
    for (const line of code) if (parsing.test(line)) offenders.push(`${path}: ${line.trim()}`);
  }
  deepStrictEqual(offenders, []);
});

/** Option values that are counts, sizes, times, ids, days, bits or drives. */
const parsedValue = /<(bytes|levels|time|days|id|bits|drive|names)>/;

Deno.test("every option taking a count, size, time or id has its parser from option_parsers.ts", async () => {
  const parsers = new Set<unknown>(Object.values(optionParsers));
  const checked: string[] = [];
  const unparsed: string[] = [];
  const visit = (command: Command, path: string) => {
    for (const option of command.options) {
      if (!parsedValue.test(option.flags)) continue;
      checked.push(`${path} ${option.long}`);
      if (!parsers.has(option.parseArg)) unparsed.push(`${path} ${option.flags}`);
    }
    for (const sub of command.commands as Command[]) visit(sub, `${path} ${sub.name()}`);
  };
  visit(await createProgram(), "iocscan");
  deepStrictEqual(unparsed, []);
  ok(checked.length >= 12, checked.join(", "));
});
