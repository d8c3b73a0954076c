/**
 * The program a shell command line starts, read without a shell: the first
 * word after leading `NAME=value` assignments, with quotes removed. Used for
 * crontab commands and systemd `ExecStart=` lines, which are attacker-written
 * text: they are never run, only read.
 *
 * @module
 */

/** A command line split into its program and the rest. */
export interface CommandParts {
  /** The program as written (quotes removed); undefined when the line has none. */
  readonly program?: string;
  /** Everything after the program, as written. */
  readonly arguments?: string;
}

/** A leading variable assignment (`LANG=C`). */
const assignment = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** Prefixes that run the next word (`exec /x`, `nice -n 5 /x` is read as `nice`). */
const passThrough: ReadonlySet<string> = new Set(["exec", "command"]);

/**
 * Splits a command line into its program and arguments.
 *
 * @example
 * ```ts
 * import { splitCommand } from "./command_image.ts";
 * splitCommand("LANG=C '/opt/my tool/run' -x"); // { program: "/opt/my tool/run", arguments: "-x" }
 * ```
 */
export function splitCommand(line: string): CommandParts {
  let rest = line.trim();
  for (;;) {
    const word = firstWord(rest);
    if (word === undefined) return {};
    if (assignment.test(word.raw) || passThrough.has(word.value)) {
      rest = rest.slice(word.raw.length).trimStart();
      continue;
    }
    const after = rest.slice(word.raw.length).trim();
    return { program: word.value, ...(after === "" ? {} : { arguments: after }) };
  }
}

/** The first shell word: its text as written and its value with quotes removed. */
function firstWord(text: string): { raw: string; value: string } | undefined {
  if (text === "") return undefined;
  let value = "";
  let index = 0;
  let quote: string | undefined;
  for (; index < text.length; index++) {
    const char = text[index]!;
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else if (char === "\\" && quote === '"' && index + 1 < text.length) value += text[++index];
      else value += char;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === "\\" && index + 1 < text.length) {
      value += text[++index];
    } else if (/\s/.test(char) || char === ";" || char === "|" || char === "&") {
      break;
    } else {
      value += char;
    }
  }
  if (index === 0) return undefined;
  return { raw: text.slice(0, index), value };
}
