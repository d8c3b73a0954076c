/**
 * Running an entry point as `nobody` in a test (through `setpriv`): Deno and its cache live under
 * /root here, so nobody runs a copy of the deno binary and a bundle of the entry point, both in a
 * fresh folder readable by all, with a home folder of its own. One way for every test that needs
 * an unprivileged run (the live process and disk tests, the quarantine's permission test).
 *
 * @module
 */
import { ok } from "node:assert/strict";
import { join } from "node:path";

/** What a test needs to start an entry point as nobody. */
export interface NobodyRun {
  /** The temporary folder holding everything; the caller removes it. */
  readonly folder: string;
  /** A copy of this deno binary nobody may run. */
  readonly deno: string;
  /** The bundled entry point nobody may read. */
  readonly bundle: string;
  /** A home folder owned by nobody. */
  readonly home: string;
}

/**
 * Why this machine cannot switch to nobody (not Linux, not root, no `setpriv`), or undefined when
 * it can. The caller skips loudly with the reason.
 */
export async function nobodyUnavailable(): Promise<string | undefined> {
  if (Deno.build.os !== "linux") return "not Linux";
  if (Deno.uid() !== 0) return "not root, cannot switch to nobody";
  const setpriv = await new Deno.Command("sh", { args: ["-c", "command -v setpriv"] }).output();
  return setpriv.success ? undefined : "setpriv is not installed";
}

/** Prints the loud skip line of a nobody run. */
export function skipNobodyRun(reason: string): void {
  console.error(`\n*** SKIPPING the nobody run: ${reason} ***\n`);
}

/**
 * Prepares a nobody run of `entry` (a module path): a temporary folder (0755) named by `prefix`
 * with a copy of deno, the bundle and nobody's home.
 */
export async function prepareNobodyRun(prefix: string, entry: string): Promise<NobodyRun> {
  const folder = await Deno.makeTempDir({ prefix });
  await Deno.chmod(folder, 0o755);
  const deno = join(folder, "deno");
  await Deno.copyFile(Deno.execPath(), deno);
  await Deno.chmod(deno, 0o755);
  const bundle = join(folder, "bundle.js");
  const bundled = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "-q", "--platform", "deno", "-o", bundle, entry],
  }).output();
  ok(bundled.success, new TextDecoder().decode(bundled.stderr));
  await Deno.chmod(bundle, 0o644);
  const home = join(folder, "home");
  await Deno.mkdir(home);
  await new Deno.Command("chown", { args: ["nobody:nogroup", home] }).output();
  return { folder, deno, bundle, home };
}
