/**
 * A command runner for tests that answers each command line with recorded
 * output (`ip -j neigh show` → its JSON), and fails a command it has no
 * answer for as a missing tool would.
 *
 * @module
 */
import { type CommandRunner, recordedCommand } from "../live/mod.ts";

/** Recorded output per command line (`command args…` joined by spaces). */
export interface ScriptedAnswer {
  readonly stdout: string;
  readonly code?: number;
  readonly stderr?: string;
}

/** A runner that replays `answers`; an unknown command line throws NotFound. */
export function scriptedCommands(
  answers: Readonly<Record<string, string | ScriptedAnswer>>,
  calls: string[] = [],
): CommandRunner {
  return (command, args, signal) => {
    const line = [command, ...args].join(" ");
    calls.push(line);
    const answer = answers[line];
    if (answer === undefined) throw new Deno.errors.NotFound(`no such tool: ${line}`);
    const { stdout, code = 0, stderr = "" } = typeof answer === "string"
      ? { stdout: answer }
      : answer;
    return recordedCommand(stdout, code, stderr)(command, args, signal);
  };
}
