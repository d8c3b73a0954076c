/**
 * Builds the `iocscan` command-line program.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { commands } from "./commands/mod.ts";
import { ExitCode } from "../contracts/exit_codes.ts";
import { exitCodeOf } from "./command_exit_code.ts";
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
    if (code !== undefined && informationCodes.has(code)) {
      // `iocscan help scan` and `--help` asked for help (0); a bare `iocscan`
      // or `iocscan collect` shows it on stderr as a usage error (commander's 1).
      return (error as { exitCode?: number }).exitCode === 0 ? ExitCode.Clean : ExitCode.Error;
    }
    if (code?.startsWith("commander.")) return ExitCode.Error;
    const message = error instanceof Error ? error.message : String(error);
    console.error(escapeTerminalText(`${commandPath(program, args).join(" ")}: ${message}`));
    return ExitCode.Error;
  }
  return exitCodeOf(program);
}

/** The names of the command `args` run: `["iocscan", "collect", "eventlog"]`. */
function commandPath(program: Command, args: readonly string[]): string[] {
  const path = [program.name()];
  let command: Command | undefined = program;
  for (const arg of args) {
    command = (command.commands as Command[]).find((sub) => sub.name() === arg);
    if (command === undefined) break;
    path.push(arg);
  }
  return path;
}

/** Commander's codes for help and version output, which are not errors when asked for. */
const informationCodes = new Set([
  "commander.help",
  "commander.helpDisplayed",
  "commander.version",
]);
