/**
 * The one way tests run the real CLI (`deno run -q -P=engine cli/main.ts …`) or another program
 * a person would start (`deno task iocscan`, an installed `iocscan`): spawn it with the given
 * arguments, folder, environment and stdin, stream its stdout as NDJSON events while it runs (so
 * a test can send signals or close stdin at the right event), kill it at a deadline, and hand back
 * its code, signal, stdout, stderr and events.
 *
 * @example Run a command and read its events
 * ```ts ignore
 * import { runCli } from "./_cli.ts";
 * const run = await runCli(["indicators", "demo/iocs", "--json"]);
 * console.log(run.code, run.events.filter((event) => event.type === "indicator").length);
 * ```
 *
 * @example Interrupt a scan once it has read forty objects
 * ```ts ignore
 * const run = await runCli(["scan", "--ioc", iocs, "--scope", tree, "--db", db, "--json"], {
 *   deadlineMs: 60_000,
 *   onEvent: (event, control) => {
 *     if (event.type === "progress" && Number(event.objects) >= 40) control.kill("SIGINT");
 *   },
 * });
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { repositoryRoot } from "./corpus.ts";

/** The CLI's entry point in this checkout. */
export const cliMain: string = join(repositoryRoot, "cli", "main.ts");

/** The permission flags a run gets unless it names its own: deno.json's `engine` set. */
export const enginePermissions: readonly string[] = ["-P=engine"];

/** One NDJSON event as the CLI writes it (docs/events.md). */
export type CliEvent = { type: string; [key: string]: unknown };

/**
 * An event as `JSON.parse` types it (any), for tests that read its fields without declaring
 * them: `runCli<LooseEvent>(…)`.
 */
export type LooseEvent = ReturnType<typeof JSON.parse>;

/** What a test may do to the running process from {@linkcode RunOptions.onEvent} or `onStderr`. */
export interface RunControl {
  /** Sends `signal` to the process (no effect once it has exited). */
  kill(signal: Deno.Signal): void;
  /** Closes its stdin (with {@linkcode RunOptions.holdStdin}); again is harmless. */
  closeStdin(): Promise<void>;
}

/** How to run a program. */
export interface RunOptions {
  /** The working folder; the test's own when absent. */
  cwd?: string;
  /** Variables added to (or replacing those of) the test's environment. */
  env?: Record<string, string>;
  /** Names of the test's variables the program must not inherit (e.g. `INIT_CWD`). */
  withoutEnv?: readonly string[];
  /** Text written to stdin, which is then closed; stdin is empty (`null`) when absent. */
  stdin?: string;
  /** Keep stdin open until {@linkcode RunControl.closeStdin} or the end of the run. */
  holdStdin?: boolean;
  /** Kill the process with SIGKILL after this many milliseconds (`late` tells it happened). */
  deadlineMs?: number;
  /** Called with each NDJSON line of stdout as it arrives, parsed (a line that is not JSON throws). */
  onEvent?: (event: CliEvent, control: RunControl) => void | Promise<void>;
  /** Called with all of stderr read so far, each time more arrives. */
  onStderr?: (text: string, control: RunControl) => void;
}

/** How to run the CLI: {@linkcode RunOptions} and the deno flags that come before `cli/main.ts`. */
export interface CliOptions extends RunOptions {
  /** Permission and other flags for `deno run`; {@linkcode enginePermissions} when absent. */
  denoFlags?: readonly string[];
}

/** What a finished run gave; `E` is how its events are typed. */
export interface RunResult<E = CliEvent> {
  /** The exit code (128 + n when a signal ended it). */
  code: number;
  /** The signal that ended it, or null. */
  signal: Deno.Signal | null;
  /** stdout as bytes. */
  stdoutBytes: Uint8Array;
  /** stdout decoded as UTF-8. */
  stdout: string;
  /** stderr decoded as UTF-8. */
  stderr: string;
  /** The non-blank lines of stdout parsed as JSON (parsed on first read; a non-JSON line throws). */
  readonly events: E[];
  /** Whether the deadline killed it. */
  late: boolean;
}

/** The arguments of `deno` that run the CLI with `args`. */
export function cliArgs(args: readonly string[], denoFlags = enginePermissions): string[] {
  return ["run", "-q", ...denoFlags, cliMain, ...args];
}

/** Runs the CLI of this checkout with `args` (see the module's examples). */
export function runCli<E = CliEvent>(
  args: readonly string[],
  options: CliOptions = {},
): Promise<RunResult<E>> {
  const { denoFlags, ...rest } = options;
  return runProgram<E>(Deno.execPath(), cliArgs(args, denoFlags), rest);
}

/** Runs any program (`deno task …`, an installed launcher) the way {@linkcode runCli} runs the CLI. */
export async function runProgram<E = CliEvent>(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult<E>> {
  const piped = options.stdin !== undefined || options.holdStdin === true;
  const child = new Deno.Command(command, {
    args: [...args],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...environment(options),
    stdin: piped ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = piped ? child.stdin.getWriter() : undefined;
  let stdinClosed = false;
  const control: RunControl = {
    kill(signal) {
      try {
        child.kill(signal);
      } catch (error) {
        if (!(error instanceof TypeError)) throw error; // already exited
      }
    },
    async closeStdin() {
      if (writer === undefined || stdinClosed) return;
      stdinClosed = true;
      await writer.close().catch(() => {});
    },
  };
  let late = false;
  const deadline = options.deadlineMs === undefined ? undefined : setTimeout(() => {
    late = true;
    control.kill("SIGKILL");
  }, options.deadlineMs);
  try {
    if (writer !== undefined && options.stdin !== undefined) {
      await writer.write(new TextEncoder().encode(options.stdin)).catch(() => {});
      if (!options.holdStdin) await control.closeStdin();
    }
    const stderr = readStderr(child.stderr, control, options.onStderr);
    const stdoutBytes = await readStdout(child.stdout, control, options.onEvent);
    const status = await child.status;
    await control.closeStdin();
    const stdout = new TextDecoder().decode(stdoutBytes);
    let events: E[] | undefined;
    return {
      code: status.code,
      signal: status.signal,
      stdoutBytes,
      stdout,
      stderr: await stderr,
      get events() {
        events ??= parseEvents(stdout) as E[];
        return events;
      },
      late,
    };
  } finally {
    clearTimeout(deadline);
  }
}

/** The non-blank lines of `stdout` parsed as JSON. */
export function parseEvents(stdout: string): CliEvent[] {
  return stdout.split("\n").filter((line) => line.trim() !== "").map((line) =>
    JSON.parse(line) as CliEvent
  );
}

function environment(options: RunOptions): { env?: Record<string, string>; clearEnv?: boolean } {
  if (options.withoutEnv === undefined) {
    return options.env === undefined ? {} : { env: options.env };
  }
  const env = Deno.env.toObject();
  for (const name of options.withoutEnv) delete env[name];
  return { env: { ...env, ...options.env }, clearEnv: true };
}

async function readStdout(
  stream: ReadableStream<Uint8Array<ArrayBuffer>>,
  control: RunControl,
  onEvent: RunOptions["onEvent"],
): Promise<Uint8Array> {
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of stream) {
    chunks.push(chunk);
    if (onEvent === undefined) continue;
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines.filter((line) => line.trim() !== "")) {
      await onEvent(JSON.parse(line) as CliEvent, control);
    }
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}

async function readStderr(
  stream: ReadableStream<Uint8Array>,
  control: RunControl,
  onStderr: RunOptions["onStderr"],
): Promise<string> {
  let text = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    text += chunk;
    onStderr?.(text, control);
  }
  return text;
}
