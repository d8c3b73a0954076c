/**
 * The whole output of a short external tool (`ip -j neigh`, `resolvectl
 * show-cache`, `Get-CimInstance … | ConvertTo-Json`), read with a byte cap and
 * a deadline: a tool that floods or hangs (WMI at boot, a broken repository)
 * ends as a failure that names why, never as a scan that waits for ever or an
 * empty answer read as "nothing there".
 *
 * @example Read `ip -j route` as JSON, at most 4 MiB within 5 s
 * ```ts ignore
 * import { readCommandOutput } from "./command_output.ts";
 * const output = await readCommandOutput("ip", ["-j", "route"], { maxBytes: 4 << 20, timeoutMs: 5_000 });
 * if (output.ok) console.log(JSON.parse(output.text));
 * else console.log(output.reason);
 * ```
 *
 * @module
 */
import { type CommandRunner, spawnCommand } from "./command_runner.ts";

/** The bounds of one run. */
export interface CommandOutputLimits {
  /** Stop reading (and fail) past this many bytes of stdout. */
  readonly maxBytes: number;
  /** Kill the tool (and fail) after this many milliseconds. */
  readonly timeoutMs: number;
  /** The scan's own abort. */
  readonly signal?: AbortSignal;
  /** Starts the tool; tests replay recorded output with `recordedCommand`. */
  readonly runner?: CommandRunner;
  /**
   * Exit codes that are answers, not failures (`clamscan` exits 1 when it found something):
   * default 0 only. The code is in the result.
   */
  readonly okExitCodes?: readonly number[];
}

/** What the tool printed, or why there is nothing to read. */
export type CommandOutput =
  | { readonly ok: true; readonly text: string; readonly stderr: string; readonly code: number }
  | { readonly ok: false; readonly reason: string; readonly missing: boolean };

/**
 * Runs `command args…` and reads its stdout as UTF-8 text. Fails when the tool
 * cannot be started (`missing` when it is not installed), exits non-zero,
 * prints more than `maxBytes`, or outlives `timeoutMs`.
 */
export async function readCommandOutput(
  command: string,
  args: readonly string[],
  limits: CommandOutputLimits,
): Promise<CommandOutput> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), limits.timeoutMs);
  const signal = limits.signal
    ? AbortSignal.any([limits.signal, deadline.signal])
    : deadline.signal;
  const described = [command, ...args].join(" ");
  try {
    let running;
    try {
      running = (limits.runner ?? spawnCommand)(command, [...args], signal);
    } catch (error) {
      const missing = error instanceof Deno.errors.NotFound;
      return { ok: false, missing, reason: `${described} could not start: ${messageOf(error)}` };
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = running.stdout.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > limits.maxBytes) {
          await reader.cancel();
          deadline.abort();
          await running.finished.catch(() => undefined);
          return {
            ok: false,
            missing: false,
            reason: `${described} printed more than ${limits.maxBytes} bytes`,
          };
        }
        chunks.push(value);
      }
    } catch (error) {
      if (deadline.signal.aborted) return timedOut(described, limits.timeoutMs);
      return { ok: false, missing: false, reason: `${described}: ${messageOf(error)}` };
    }
    const { code, stderr } = await running.finished;
    if (deadline.signal.aborted && !limits.signal?.aborted) {
      return timedOut(described, limits.timeoutMs);
    }
    if (!(limits.okExitCodes ?? [0]).includes(code)) {
      const said = stderr.trim().split("\n")[0]?.slice(0, 300) ?? "";
      return {
        ok: false,
        missing: false,
        reason: `${described} exited with ${code}${said ? `: ${said}` : ""}`,
      };
    }
    const text = new TextDecoder().decode(concat(chunks, size));
    return { ok: true, text, stderr, code };
  } finally {
    clearTimeout(timer);
  }
}

function timedOut(described: string, timeoutMs: number): CommandOutput {
  return {
    ok: false,
    missing: false,
    reason: `${described} did not finish within ${timeoutMs} ms`,
  };
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const whole = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    whole.set(chunk, at);
    at += chunk.byteLength;
  }
  return whole;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
