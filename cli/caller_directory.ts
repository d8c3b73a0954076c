/**
 * Relative paths on the command line mean the caller's working directory.
 *
 * `deno task iocscan …` runs the CLI in the checkout's folder, not where the
 * user typed the command, so `--ioc ./iocs` would be looked for in the
 * checkout. deno task records the user's folder in `INIT_CWD`; when the CLI
 * finds itself started in its own checkout with `INIT_CWD` naming another
 * folder, it moves there before reading any argument. Every relative path
 * (`--ioc`, `--scope`, `--db`, `--task`, the paths inside a task file, `--items`,
 * `--evtx`, `--hive`, `--root`, `indicators PATH`) then means what the user
 * meant, in this one place. An installed `iocscan` (deno install) already runs
 * in the caller's folder and is left alone.
 *
 * @module
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { escapeTerminalText } from "../report/terminal_text.ts";

/** The checkout the CLI runs from: the folder holding cli/ and deno.json. */
const checkoutRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The folder relative paths should be read against when it is not the current
 * one, or undefined.
 *
 * @param cwd The current working directory.
 * @param initCwd The value of `INIT_CWD`, set by deno task (and npm) to the folder the user ran
 *   the task from.
 */
export function callerDirectory(cwd: string, initCwd: string | undefined): string | undefined {
  if (initCwd === undefined || initCwd === "" || !isAbsolute(initCwd)) return undefined;
  if (resolve(cwd) !== checkoutRoot || resolve(initCwd) === checkoutRoot) return undefined;
  return initCwd;
}

/** Moves to the caller's folder when deno task started the CLI elsewhere (see the module doc). */
export function enterCallerDirectory(): void {
  let initCwd: string | undefined;
  try {
    initCwd = Deno.env.get("INIT_CWD");
  } catch {
    return; // no env permission: nothing to go by
  }
  const target = callerDirectory(Deno.cwd(), initCwd);
  if (target === undefined) return;
  try {
    Deno.chdir(target);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(
      escapeTerminalText(`iocscan: warning: cannot enter the caller's folder ${target}: ${reason}`),
    );
  }
}
