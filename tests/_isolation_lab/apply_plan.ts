/**
 * Applies a plan with the nftables backend inside the lab's "host" namespace, as `isolate` does,
 * then waits to be killed (test-only): the dead-man test kills it and watches the kernel lift the
 * isolation at the deadline; a plan with a broken rule prints the refusal. Argument: the plan as
 * JSON. Prints `applied` or `refused MESSAGE`.
 *
 * @module
 */
import { nftablesBackend } from "../../actions/isolation/mod.ts";

const plan = JSON.parse(Deno.args[0] ?? "{}");
try {
  await nftablesBackend().apply(plan);
  console.log("applied");
  setInterval(() => {}, 60_000);
} catch (error) {
  console.log(`refused ${error instanceof Error ? error.message : String(error)}`);
}
