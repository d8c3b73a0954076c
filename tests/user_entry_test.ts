/**
 * The ways a person starts iocscan, run as a person would: the README's
 * `deno install` line (into a temporary --root), `deno task iocscan` from
 * another folder with relative paths, and no noise on stderr that nobody asked
 * for. Also pins the places that must spell the engine's permission set
 * (deno.json's `engine`) the same way.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import denoConfig from "../deno.json" with { type: "json" };
import { runProgram } from "./_cli.ts";

const repositoryRoot = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const demoIoc = join(repositoryRoot, "demo", "iocs", "linux_miner.ioc");

async function run(command: string, args: string[], cwd: string) {
  // As from a user's shell: deno task keeps an INIT_CWD it inherits (as npm does), and this test
  // may itself run under `deno task test`, whose INIT_CWD names another folder.
  const output = await runProgram(command, args, { cwd, withoutEnv: ["INIT_CWD"] });
  return { code: output.code, stdout: output.stdout, stderr: output.stderr };
}

/** A folder as a user has it: ./iocs with one IOC file and ./tree to scan. */
async function userFolder(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-user-" });
  await Deno.mkdir(join(dir, "iocs"));
  await Deno.copyFile(demoIoc, join(dir, "iocs", "m.ioc"));
  await Deno.mkdir(join(dir, "tree"));
  await Deno.writeTextFile(join(dir, "tree", "notes.txt"), "nothing to see");
  return dir;
}

/** The `deno install` line of the README's first sh block that has one. */
async function readmeInstallCommand(): Promise<string[]> {
  const readme = await Deno.readTextFile(join(repositoryRoot, "README.md"));
  const line = readme.split("\n").find((text) => text.startsWith("deno install "));
  ok(line, "the README documents a deno install command");
  return line.split(/\s+/).slice(1);
}

Deno.test("deno task iocscan prints no 'experimental feature' warning; with -q, nothing at all on stderr", async () => {
  const plain = await run(Deno.execPath(), ["task", "iocscan", "--help"], repositoryRoot);
  strictEqual(plain.code, 0, plain.stderr);
  ok(!/experimental|warning/i.test(plain.stderr), plain.stderr);
  const quiet = await run(Deno.execPath(), ["task", "-q", "iocscan", "--version"], repositoryRoot);
  deepStrictEqual([quiet.code, quiet.stderr, quiet.stdout.trim()], [0, "", denoConfig.version]);
});

Deno.test("deno task iocscan reads relative paths against the folder it was typed in", async () => {
  const dir = await userFolder();
  try {
    const config = join(repositoryRoot, "deno.json");
    const task = ["task", "-q", "--config", config, "iocscan"];
    const listed = await run(Deno.execPath(), [...task, "indicators", "./iocs"], dir);
    strictEqual(listed.code, 0, listed.stderr);
    ok(listed.stdout.includes("DEMO: cryptominer"), listed.stdout);
    const scanned = await run(
      Deno.execPath(),
      [...task, "scan", "--ioc", "./iocs", "--scope", "./tree", "--db", "./results.db", "--json"],
      dir,
    );
    strictEqual(scanned.code, 0, scanned.stderr);
    ok(existsSync(join(dir, "results.db")), "the database is where the user said");
    ok(!existsSync(join(repositoryRoot, "results.db")), "not in the checkout");
    const shown = await run(Deno.execPath(), [...task, "results", "--db", "results.db"], dir);
    strictEqual(shown.code, 0, shown.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the README's deno install command gives an iocscan that works from any folder", async () => {
  const root = await Deno.makeTempDir({ prefix: "iocscan-install-" });
  const dir = await userFolder();
  try {
    const args = await readmeInstallCommand();
    const installed = await run(Deno.execPath(), [...args, "--root", root], repositoryRoot);
    strictEqual(installed.code, 0, installed.stderr);
    const iocscan = join(root, "bin", "iocscan");
    const listed = await run(iocscan, ["indicators", "./iocs"], dir);
    deepStrictEqual([listed.code, listed.stderr], [0, ""]);
    ok(listed.stdout.includes("DEMO: cryptominer"), listed.stdout);
    const scanned = await run(
      iocscan,
      ["scan", "--ioc", "./iocs", "--scope", "./tree", "--db", "results.db"],
      dir,
    );
    deepStrictEqual([scanned.code, scanned.stderr], [0, ""]);
    ok(existsSync(join(dir, "results.db")));
    const help = await run(iocscan, ["help", "scan"], dir);
    deepStrictEqual([help.code, help.stderr], [0, ""]);
  } finally {
    await Deno.remove(root, { recursive: true });
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("every launcher spells the engine's permission set (deno.json's engine: all) the same way", async () => {
  const engineFlags = "--v8-flags=--max-semi-space-size=4";
  deepStrictEqual(denoConfig.permissions.engine, { all: true });
  for (const name of ["iocscan", "demo"] as const) {
    ok(denoConfig.tasks[name].command.includes(`-q -P=engine ${engineFlags} `), name);
  }
  const install = (await readmeInstallCommand()).join(" ");
  ok(install.includes(`--allow-all ${engineFlags}`), install);
  const private_ = join(repositoryRoot, "powershell", "IocScan", "Private");
  const launcher = await Deno.readTextFile(join(private_, "Resolve-IocEngine.ps1"));
  ok(launcher.includes(`$script:EngineV8Flags = @('${engineFlags}')`));
  const permissionSets = await Deno.readTextFile(join(private_, "Get-IocEnginePermission.ps1"));
  ok(/^\s+Live\s+= @\('--allow-all'\)$/m.test(permissionSets), "the module's Live set");
});
