/**
 * How a scheduled task starts this same engine again (`iocscan isolation release|boot`): a
 * compiled engine is its own executable; an engine run by deno (the PowerShell module's bundle,
 * or a checkout's cli/main.ts) is deno with the script, the engine's permission set spelled out
 * (`--allow-all`, deno.json's `engine`: a task has no config at hand) and its V8 flags, plus the
 * checkout's deno.json for a TypeScript entry (its import map).
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TaskCommand } from "./windows_release_tasks.ts";

/** The engine's permission set as flags (deno.json `engine`: every permission). */
export const enginePermissionFlags: readonly string[] = ["--allow-all"];
/** The engine's V8 flags (docs/architecture.md, "How the engine runs"). */
export const engineV8Flags: readonly string[] = ["--v8-flags=--max-semi-space-size=4"];

/**
 * The command that runs this engine: `execPath` alone when it is a compiled iocscan, else deno
 * running `mainModule`.
 *
 * @example
 * ```ts
 * import { engineSelfCommand } from "./engine_command.ts";
 * engineSelfCommand("C:\\iocscan\\iocscan.exe", "file:///C:/iocscan/iocscan.exe");
 * // { program: "C:\\iocscan\\iocscan.exe", arguments: [] }
 * ```
 */
export function engineSelfCommand(
  execPath: string = Deno.execPath(),
  mainModule: string = Deno.mainModule,
): TaskCommand {
  if (!/^deno(\.exe)?$/i.test(basename(execPath))) return { program: execPath, arguments: [] };
  const script = mainModule.startsWith("file:") ? fileURLToPath(mainModule) : mainModule;
  const config = /\.ts$/.test(script)
    ? ["--config", join(dirname(dirname(script)), "deno.json")]
    : [];
  return {
    program: execPath,
    arguments: ["run", "-q", ...enginePermissionFlags, ...engineV8Flags, ...config, script],
  };
}
