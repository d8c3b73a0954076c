/**
 * The name of the machine a live collector reads, for the `computer` of
 * its objects' provenance. Without Deno's `sys` permission the name is not
 * known: it is then empty, not guessed (and objects name no computer).
 *
 * @example
 * ```ts ignore
 * import { thisComputerName } from "./computer_name.ts";
 * const computer = thisComputerName(); // "ws01", or "" without the sys permission
 * ```
 *
 * @module
 */

/** This machine's host name, or `""` when it cannot be read. */
export function thisComputerName(): string {
  try {
    return Deno.hostname();
  } catch {
    return "";
  }
}
