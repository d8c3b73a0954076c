/**
 * Builds the `iocscan` command-line program.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { commands } from "./commands/mod.ts";
import { ExitCode } from "./exit_codes.ts";
import denoConfig from "../deno.json" with { type: "json" };
import { escapeTerminalText } from "../report/mod.ts";

/**
 * Creates the program. With `args`, only the command they name is loaded
 * (all of them when they name none, so that help lists every command).
 */
export async function createProgram(args: readonly string[] = []): Promise<Command> {
  const program = new Command()
    .name("iocscan")
    .description("Scan hosts and offline evidence for OpenIOC 1.0/1.1 indicators of compromise")
    .version(denoConfig.version)
    .showHelpAfterError()
    .exitOverride();
  const invoked = commands.find((entry) => entry.name === args[0]);
  for (const entry of invoked ? [invoked] : commands) (await entry.load())(program);
  applyToAllCommands(program);
  return program;
}

/**
 * Commands attached with `addCommand()` do not inherit `exitOverride()`, so a
 * usage error in a sub-command would exit with commander's own code 1, which
 * means "detections" here. Every command gets the program's settings instead.
 */
function applyToAllCommands(command: Command): void {
  for (const sub of command.commands as Command[]) {
    sub.exitOverride().showHelpAfterError();
    applyToAllCommands(sub);
  }
}

/**
 * Runs the program on `args` and returns the exit code. Usage errors give
 * {@linkcode ExitCode.Error}; commands set their own code through `process.exitCode`
 * semantics by returning it from {@linkcode runCli}.
 */
export async function runCli(args: string[]): Promise<number> {
  const program = await createProgram(args);
  try {
    await program.parseAsync(args, { from: "user" });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "commander.helpDisplayed" || code === "commander.version") return ExitCode.Clean;
    if (code?.startsWith("commander.")) return ExitCode.Error;
    console.error(
      escapeTerminalText(`iocscan: ${error instanceof Error ? error.message : String(error)}`),
    );
    return ExitCode.Error;
  }
  return exitCodeOf(program);
}

const exitCodes = new WeakMap<object, number>();

/** Records the exit code a command's action decided on. */
export function setExitCode(command: object, code: number): void {
  let root: { parent?: unknown } = command as { parent?: unknown };
  while (root.parent) root = root.parent as { parent?: unknown };
  exitCodes.set(root, code);
}

function exitCodeOf(program: object): number {
  return exitCodes.get(program) ?? ExitCode.Clean;
}
