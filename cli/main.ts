/**
 * The `iocscan` executable's entry point.
 *
 * @module
 */
import { enterCallerDirectory } from "./caller_directory.ts";
import { runCli } from "./program.ts";

if (import.meta.main) {
  enterCallerDirectory();
  Deno.exit(await runCli(Deno.args));
}
