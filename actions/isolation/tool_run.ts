/**
 * Runs one system tool the isolation needs (`nft`, `ss`, `ip`) with text on stdin, a deadline
 * and a cap on what it prints: a tool that hangs or floods ends as a failure that says why.
 *
 * @module
 */
import { TOOL_MAX_BYTES, TOOL_TIMEOUT_MS } from "./isolation_limits.ts";

/** What a tool run gave. */
export interface ToolResult {
  /** The exit code; -1 when it could not start, was killed at the deadline or printed too much. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Why it did not finish normally (not started, timed out, too much output). */
  readonly failure?: string;
}

/** Starts a tool; tests give a recorded one. */
export type ToolRunner = (command: string, args: readonly string[], stdin?: string) => Promise<
  ToolResult
>;

/** Runs `command args…` for real, bounded by {@linkcode TOOL_TIMEOUT_MS} and {@linkcode TOOL_MAX_BYTES}. */
export const runTool: ToolRunner = async (command, args, stdin) => {
  const signal = AbortSignal.timeout(TOOL_TIMEOUT_MS);
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(command, {
      args: [...args],
      stdin: stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
      signal,
    }).spawn();
  } catch (error) {
    return {
      code: -1,
      stdout: "",
      stderr: "",
      failure: `${command} could not start: ${messageOf(error)}`,
    };
  }
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin)).catch(() => undefined);
    await writer.close().catch(() => undefined);
  }
  const [stdout, stderr] = await Promise.all([capped(child.stdout), capped(child.stderr)]);
  const status = await child.status;
  const described = [command, ...args].join(" ");
  if (signal.aborted) {
    return {
      code: -1,
      stdout: "",
      stderr: stderr ?? "",
      failure: `${described} did not finish within ${TOOL_TIMEOUT_MS} ms`,
    };
  }
  if (stdout === undefined || stderr === undefined) {
    return {
      code: -1,
      stdout: "",
      stderr: "",
      failure: `${described} printed more than ${TOOL_MAX_BYTES} bytes`,
    };
  }
  return { code: status.code, stdout, stderr };
};

/** The text of a stream, or undefined past the cap (the rest is drained). */
async function capped(stream: ReadableStream<Uint8Array>): Promise<string | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.byteLength;
    if (size <= TOOL_MAX_BYTES) chunks.push(chunk);
  }
  if (size > TOOL_MAX_BYTES) return undefined;
  const whole = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    whole.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(whole);
}

/** The first line of what a tool said on stderr (or why it did not run), for an error message. */
export function toolComplaint(result: ToolResult): string {
  if (result.failure !== undefined) return result.failure;
  const said = result.stderr.trim().split("\n").slice(0, 3).join(" / ").slice(0, 400);
  return `exit code ${result.code}${said === "" ? "" : `: ${said}`}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
