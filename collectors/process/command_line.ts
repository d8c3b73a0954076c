/**
 * A Linux command line as one string, from `/proc/<pid>/cmdline`'s
 * NUL-separated arguments: what `ps -o args` shows, but with an argument that
 * holds a space, a tab or a quote (or is empty) quoted, so that the string
 * says where each argument starts.
 *
 * @module
 */

const needsQuotes = /[\s"']|^$/;

/**
 * Joins arguments with spaces, quoting (`"…"`, inner `"` and `\` escaped)
 * those that would otherwise read as several or none.
 *
 * @example
 * ```ts
 * import { joinCommandLine } from "./command_line.ts";
 * joinCommandLine(["sh", "-c", "sleep 5"]); // 'sh -c "sleep 5"'
 * ```
 */
export function joinCommandLine(args: readonly string[]): string {
  return args.map((arg) => needsQuotes.test(arg) ? `"${arg.replace(/["\\]/g, "\\$&")}"` : arg)
    .join(" ");
}

/**
 * Splits `/proc/<pid>/cmdline` bytes into arguments: NUL-separated, the last
 * NUL optional (a process that rewrote its arguments may leave none, or
 * spaces instead: then it is one argument).
 */
export function splitCmdline(bytes: Uint8Array): string[] {
  if (bytes.byteLength === 0) return [];
  const text = new TextDecoder().decode(bytes);
  const trimmed = text.endsWith("\0") ? text.slice(0, -1) : text;
  return trimmed.split("\0");
}
