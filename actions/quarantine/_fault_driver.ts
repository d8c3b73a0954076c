/**
 * Test helper run as a child process by the fault-injection tests: quarantines the files listed
 * (one path a line) in a file into a store, in order, optionally dying by SIGKILL right after
 * step N of the first one (`faultAfterStep`, as the CLI's `IOCSCAN_TEST_ABORT_AFTER_STEP`).
 * Prints one JSON outcome a line, then the store's entries (`{"entries":[…]}`).
 *
 * Run: `deno run -P=engine actions/quarantine/_fault_driver.ts STORE LIST [STEP]`
 *
 * @module
 */
import { defaultQuarantinePolicy } from "./quarantine_defaults.ts";
import { openQuarantineStore } from "./quarantine_store.ts";

const [dir, list, step] = Deno.args;
if (dir === undefined || list === undefined) {
  console.error("usage: _fault_driver.ts STORE LIST [STEP]");
  Deno.exit(2);
}
const paths = (await Deno.readTextFile(list)).split("\n").filter((line) => line !== "");
const store = await openQuarantineStore({
  dir,
  ...(step === undefined ? {} : { faultAfterStep: Number(step) }),
});
console.log(JSON.stringify({ recovery: store.recovery }));
for (const path of paths) {
  const outcome = await store.quarantine(
    { path, iocs: [{ id: "fault", sha256: "0".repeat(64), name: "fault" }], pids: [] },
    defaultQuarantinePolicy,
  );
  console.log(JSON.stringify(outcome));
}
console.log(JSON.stringify({ entries: await store.list() }));
await store.close();
