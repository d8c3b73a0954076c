/**
 * Running an external tool with streamed output (wevtutil, journalctl), behind
 * a function type so tests can replay recorded output.
 *
 * @module
 */

/** A started command: its stdout as a stream, and how it ended. */
export interface RunningCommand {
  /** The standard output, streamed. */
  stdout: ReadableStream<Uint8Array>;
  /** Exit code and the stderr text, once the command has ended. */
  finished: Promise<{ code: number; stderr: string }>;
}

/** Starts `command args…`. Throws when the command cannot be started. */
export type CommandRunner = (
  command: string,
  args: string[],
  signal?: AbortSignal,
) => RunningCommand;

/** Runs a real process with Deno.Command. */
export const spawnCommand: CommandRunner = (
  command: string,
  args: string[],
  signal?: AbortSignal,
): RunningCommand => {
  const child = new Deno.Command(command, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    ...(signal ? { signal } : {}),
  }).spawn();
  const stderr = new Response(child.stderr).text();
  return {
    stdout: child.stdout,
    finished: Promise.all([child.status, stderr]).then(([status, text]) => ({
      code: status.code,
      stderr: text,
    })),
  };
};

/** A runner that replays recorded output (for tests). */
export function recordedCommand(output: Uint8Array | string, code = 0, stderr = ""): CommandRunner {
  return () => ({
    stdout: new Blob([
      typeof output === "string" ? new TextEncoder().encode(output) : new Uint8Array(output),
    ]).stream(),
    finished: Promise.resolve({ code, stderr }),
  });
}
