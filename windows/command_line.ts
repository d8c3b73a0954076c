/**
 * Windows command lines: joining arguments into the one string a Task Scheduler action's
 * `Arguments` holds, so that the program's `CommandLineToArgvW` / C runtime splits it back into
 * the same arguments, and the values a task may not hold at all. The same rules as the
 * PowerShell module's `ConvertTo-IocCommandLine` and `Assert-IocTaskValue -ForbidPercent`
 * (powershell/IocScan/Private/), which write the scan tasks.
 *
 * @module
 */

/**
 * One command line from arguments: an argument with a space, a tab or a double quote (or an
 * empty one) is wrapped in double quotes; a double quote becomes `\"`; a run of backslashes is
 * doubled only when a double quote follows it.
 *
 * @example
 * ```ts
 * import { windowsCommandLine } from "./command_line.ts";
 * windowsCommandLine(["isolation", "release", "--db", "C:\\Program Data\\r.db"]);
 * // 'isolation release --db "C:\\Program Data\\r.db"'
 * ```
 */
export function windowsCommandLine(args: readonly string[]): string {
  return args.map(quoteArgument).join(" ");
}

function quoteArgument(argument: string): string {
  if (argument.length > 0 && !/[\s"]/.test(argument)) return argument;
  let out = '"';
  let backslashes = 0;
  for (const character of argument) {
    if (character === "\\") {
      backslashes++;
      continue;
    }
    if (character === '"') out += "\\".repeat(2 * backslashes + 1);
    else out += "\\".repeat(backslashes);
    backslashes = 0;
    out += character;
  }
  return out + "\\".repeat(2 * backslashes) + '"';
}

/** C0 controls, DEL and C1 controls: never legitimate in a task's program or arguments. */
// deno-lint-ignore no-control-regex -- matching control characters is the point.
const controlCharacter = /[\x00-\x1f\x7f-\x9f]/;

/**
 * Throws when `value` cannot go into a Task Scheduler action: a control character, or `%`
 * (Task Scheduler expands `%VARIABLE%` in an action's program and arguments, with no escape).
 * The message names the value's role and the character's position, never the value.
 */
export function assertTaskValue(value: string, what: string): void {
  const control = controlCharacter.exec(value);
  if (control !== null) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
    throw new Error(
      `the ${what} contains a control character (U+${code} at position ${control.index}); it cannot go into a scheduled task`,
    );
  }
  if (value.includes("%")) {
    throw new Error(
      `the ${what} contains '%', which Task Scheduler would expand as an environment variable`,
    );
  }
}
