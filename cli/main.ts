/**
 * The `iocscan` executable's entry point.
 *
 * @module
 */
import { runCli } from "./program.ts";

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args));
}
