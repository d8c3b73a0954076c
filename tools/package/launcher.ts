/**
 * The `iocscan` launchers a release package puts in the module folder: a POSIX shell script and
 * a Windows batch file that run the bundled engine with the Deno shipped beside it, with the
 * engine's permission set and V8 flags as deno.json defines them for `deno task iocscan`.
 *
 * @module
 */

/** The part of deno.json the launcher flags come from. */
export type DenoConfigForLauncher = {
  permissions?: { engine?: Record<string, unknown> };
  tasks?: Record<string, string | { command?: string }>;
};

/** The task whose V8 flags the launchers copy. */
const ENGINE_TASK = "iocscan";

/**
 * The deno flags of an engine run outside the checkout: no config, no prompt, the `engine`
 * permission set (which must be "all": live collection reads /proc, /sys and /dev) and the
 * `iocscan` task's V8 flags. Throws when deno.json no longer has that shape, so that the
 * launchers never drift from it silently.
 */
export function engineFlags(config: DenoConfigForLauncher): string[] {
  const engine = config.permissions?.engine;
  if (!engine || engine.all !== true || Object.keys(engine).length !== 1) {
    throw new Error(
      'deno.json: permissions.engine is no longer { "all": true }: update tools/package/launcher.ts',
    );
  }
  const task = config.tasks?.[ENGINE_TASK];
  const command = typeof task === "string" ? task : task?.command ?? "";
  const v8 = command.split(/\s+/).filter((word) => word.startsWith("--v8-flags="));
  if (v8.length !== 1) {
    throw new Error(`deno.json: the ${ENGINE_TASK} task has no single --v8-flags`);
  }
  return ["run", "--quiet", "--no-prompt", "--no-config", "--allow-all", ...v8];
}

/** The POSIX launcher (IocScan/iocscan): follows symbolic links to find its folder. */
export function shellLauncher(flags: readonly string[], version: string): string {
  return [
    "#!/bin/sh",
    `# iocscan ${version}: runs the bundled engine with the Deno shipped in bin/ beside this script.`,
    'self=$(readlink -f -- "$0")',
    'here=$(dirname -- "$self")',
    `exec "$here/bin/deno" ${flags.join(" ")} "$here/bin/iocscan.js" "$@"`,
    "",
  ].join("\n");
}

/** The Windows launcher (IocScan\iocscan.cmd), with CRLF line ends. */
export function cmdLauncher(flags: readonly string[], version: string): string {
  return [
    "@echo off",
    `rem iocscan ${version}: runs the bundled engine with the Deno shipped in bin\\ beside this file.`,
    `"%~dp0bin\\deno.exe" ${flags.join(" ")} "%~dp0bin\\iocscan.js" %*`,
    "exit /b %ERRORLEVEL%",
    "",
  ].join("\r\n");
}
