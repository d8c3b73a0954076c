/**
 * Stopping a scan early on a signal, cleanly: the first signal (or the end of
 * stdin, when the caller asks for that) aborts collecting, so that the scan
 * evaluates and stores what it found and exits with the signal's exit code; a
 * second signal while it finishes exits at once.
 *
 * @example
 * ```ts ignore
 * import { watchInterrupts } from "./interrupt.ts";
 * const watch = watchInterrupts();
 * try {
 *   const outcome = await runScan(task, sink, { signal: watch.signal });
 *   // outcome.exitCode is 130 after Ctrl-C, 143 after SIGTERM, 129 after SIGHUP
 * } finally {
 *   watch.dispose();
 * }
 * ```
 *
 * @module
 */
import { type ExitCode, interruptExitCodes } from "../contracts/exit_codes.ts";
import type { WarningEvent } from "../contracts/events.ts";

/** One signal a scan stops on, and what it means. */
export interface HandledSignal {
  /** The signal's name, as `Deno.addSignalListener` takes it. */
  signal: Deno.Signal;
  /** The exit code of a scan it interrupts. */
  exitCode: ExitCode;
  /** Where Deno can listen for it. */
  platforms: "all" | "windows";
}

/**
 * The signals that interrupt a scan. Windows has no real signals: Deno turns
 * Ctrl-C into SIGINT, Ctrl-Break into SIGBREAK and the closing of the console
 * window into SIGHUP. Task Scheduler's stop (its execution time limit, or "End")
 * sends a windowless process nothing at all: it ends it with TerminateProcess,
 * and the run is later marked `abandoned` (docs/store.md).
 */
export const HANDLED_SIGNALS: readonly HandledSignal[] = [
  { signal: "SIGINT", exitCode: interruptExitCodes.SIGINT, platforms: "all" },
  { signal: "SIGTERM", exitCode: interruptExitCodes.SIGTERM, platforms: "all" },
  { signal: "SIGHUP", exitCode: interruptExitCodes.SIGHUP, platforms: "all" },
  // Ctrl-Break is the console's other interrupt key; it counts as Ctrl-C.
  { signal: "SIGBREAK", exitCode: interruptExitCodes.SIGINT, platforms: "windows" },
];

/**
 * How long after the first signal the same signal again is still the same stop. One Ctrl-C in
 * a terminal reaches the engine twice when it runs under `deno task` (the terminal signals the
 * whole foreground process group, and deno task relays the signal to its child too); taking
 * the copy for a second Ctrl-C would exit at once and lose the run.
 */
export const RELAYED_SIGNAL_WINDOW_MS = 1000;

/** The end of stdin, which the PowerShell module uses to relay Ctrl-C; it counts as SIGINT. */
export const STDIN_CLOSED_SIGNAL: Deno.Signal = "SIGINT";

/**
 * Why a scan was stopped early. It is the reason of the aborted signal that
 * runScan gets; the scan's outcome carries it back.
 */
export class ScanInterruption extends Error {
  override name = "ScanInterruption";

  /**
   * @param signal The signal that asked the scan to stop.
   * @param exitCode The exit code the scan ends with.
   * @param via `stdin` when the stop came as the end of stdin rather than as a signal.
   */
  constructor(
    readonly signal: Deno.Signal,
    readonly exitCode: ExitCode,
    readonly via?: "stdin",
  ) {
    super(
      via === "stdin"
        ? `interrupted: stdin was closed (taken as ${signal})`
        : `interrupted by ${signal}`,
    );
  }
}

/** The interruption an aborted signal carries, if that is why it was aborted. */
export function interruptionOf(signal: AbortSignal): ScanInterruption | undefined {
  return signal.aborted && signal.reason instanceof ScanInterruption ? signal.reason : undefined;
}

/** The `scan-interrupted` warning an interrupted run reports and stores. */
export function interruptionWarning(
  interruption: ScanInterruption,
  objects: number,
): WarningEvent {
  return {
    type: "warning",
    code: "scan-interrupted",
    message: `${interruption.message} after ${objects} objects: only what was collected until ` +
      "then was evaluated; the detections found are stored, and the run is not complete",
  };
}

/** The fields an interrupted scan's summary event adds: `signal`, and `via` for stdin. */
export function interruptionFields(
  interruption: ScanInterruption,
): { signal: Deno.Signal; via?: "stdin" } {
  return interruption.via
    ? { signal: interruption.signal, via: interruption.via }
    : { signal: interruption.signal };
}

/** How {@linkcode watchInterrupts} watches. */
export interface WatchInterruptsOptions {
  /**
   * Also stop when stdin reaches its end (`--stop-on-stdin-close`): the PowerShell module keeps
   * the engine's stdin open and closes it to stop the scan; a parent that dies closes it too.
   */
  stdin?: ReadableStream<Uint8Array>;
  /** Called on a second signal, to exit at once (default: `Deno.exit`). */
  exit?: (code: number) => void;
  /** Where notices go (default: stderr). */
  notice?: (text: string) => void;
  /** The platform (default: `Deno.build.os`). */
  os?: typeof Deno.build.os;
  /** A monotonic clock in milliseconds (default: `performance.now`). */
  now?: () => number;
}

/** A running watch; {@linkcode InterruptWatch.dispose} removes its listeners. */
export interface InterruptWatch {
  /** Aborted, with a {@linkcode ScanInterruption} as its reason, on the first signal. */
  readonly signal: AbortSignal;
  /** The signals listened for on this platform. */
  readonly signals: readonly Deno.Signal[];
  /** Removes the signal listeners and stops reading stdin. */
  dispose(): void;
}

/**
 * Listens for the {@linkcode HANDLED_SIGNALS} of this platform. The first one aborts
 * {@linkcode InterruptWatch.signal}; any later one while the scan finishes exits at once
 * with its own exit code, leaving the run `running` until the next command that opens the
 * store marks it `abandoned`, except the same signal again within
 * {@linkcode RELAYED_SIGNAL_WINDOW_MS} (the relayed copy of the first).
 */
export function watchInterrupts(options: WatchInterruptsOptions = {}): InterruptWatch {
  const os = options.os ?? Deno.build.os;
  const exit = options.exit ?? ((code: number) => Deno.exit(code));
  const now = options.now ?? (() => performance.now());
  const notice = options.notice ?? ((text: string) => console.error(text));
  const controller = new AbortController();
  const listeners: [Deno.Signal, () => void][] = [];

  let firstAt = 0;
  const interrupt = (interruption: ScanInterruption) => {
    if (!controller.signal.aborted) {
      notice(`iocscan: ${interruption.message}; storing what was found so far`);
      firstAt = now();
      controller.abort(interruption);
      return;
    }
    if (interruption.via === "stdin") return;
    const first = interruptionOf(controller.signal);
    if (
      first?.signal === interruption.signal && first.via === undefined &&
      now() - firstAt < RELAYED_SIGNAL_WINDOW_MS
    ) {
      return;
    }
    notice(`iocscan: ${interruption.signal} again: exiting at once, the run is not finished`);
    exit(interruption.exitCode);
  };

  for (const handled of HANDLED_SIGNALS) {
    if (handled.platforms === "windows" && os !== "windows") continue;
    const listener = () => interrupt(new ScanInterruption(handled.signal, handled.exitCode));
    try {
      Deno.addSignalListener(handled.signal, listener);
      listeners.push([handled.signal, listener]);
    } catch {
      // A signal this platform or runtime cannot deliver: nothing to listen for.
    }
  }

  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let disposed = false;
  if (options.stdin) {
    reader = options.stdin.getReader();
    const exitCode = HANDLED_SIGNALS.find((handled) => handled.signal === STDIN_CLOSED_SIGNAL)!
      .exitCode;
    void drainUntilClosed(reader).then((closed) => {
      if (closed && !disposed) {
        interrupt(new ScanInterruption(STDIN_CLOSED_SIGNAL, exitCode, "stdin"));
      }
    });
  }

  return {
    signal: controller.signal,
    signals: listeners.map(([signal]) => signal),
    dispose() {
      disposed = true;
      for (const [signal, listener] of listeners.splice(0)) {
        Deno.removeSignalListener(signal, listener);
      }
      reader?.cancel().catch(() => {});
      reader = undefined;
    },
  };
}

/** Reads and discards until the end; true when the stream ended, false when it was cancelled. */
async function drainUntilClosed(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<boolean> {
  try {
    while (true) {
      const { done } = await reader.read();
      if (done) return true;
    }
  } catch {
    // A stdin that fails to read (closed handle) is as closed as one that ended.
    return true;
  }
}
