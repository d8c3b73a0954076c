/**
 * Port benchmark: `iocscan collect port --json` (every namespace's tables,
 * socket owners from `/proc/<pid>/fd`, the owners' images) against `ss -tunap`
 * (netlink sock_diag, owners from `/proc` too) on this machine, in the same
 * script. The script first opens `--connections N` loopback connections of
 * its own (default 500) so that the table is not trivially small, then times
 * each tool, best of `--runs` (default 5), Deno startup included for iocscan,
 * and compares what each found (sockets, sockets with an owner).
 *
 *     deno run -P=test bench/port_bench.ts [--runs N] [--connections N]
 *
 * Linux only.
 *
 * @module
 */
import { cliArgs } from "../tests/_cli.ts";
import { bestOfAsync, ratio } from "./timing.ts";

const option = (name: string, fallback: number) => {
  const at = Deno.args.indexOf(name);
  return at >= 0 ? Number(Deno.args[at + 1]) || fallback : fallback;
};
const runs = option("--runs", 5);
const connections = option("--connections", 500);

if (Deno.build.os !== "linux") {
  console.error("*** port_bench: Linux only ***");
  Deno.exit(0);
}

const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
const held: Deno.Conn[] = [];
const accepting = (async () => {
  for await (const conn of listener) held.push(conn);
})();
for (let count = 0; count < connections; count++) {
  held.push(await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port }));
}

async function timed(command: string, args: string[]): Promise<[number, string]> {
  const started = performance.now();
  const output = await new Deno.Command(command, { args, stdout: "piped", stderr: "null" })
    .output();
  const ms = performance.now() - started;
  if (!output.success && output.code !== 3) {
    throw new Error(`${command} exited with ${output.code}`);
  }
  return [ms, new TextDecoder().decode(output.stdout)];
}

let oursText = "";
let ssText = "";
const oursMs = await bestOfAsync(runs, async () => {
  const [ms, text] = await timed(Deno.execPath(), cliArgs(["collect", "port", "--json"]));
  oursText = text;
  return ms;
});
const startupMs = await bestOfAsync(runs, async () => {
  const [ms] = await timed(Deno.execPath(), cliArgs(["--version"]));
  return ms;
});
const ssMs = await bestOfAsync(runs, async () => {
  const [ms, text] = await timed("ss", ["-tunapH"]);
  ssText = text;
  return ms;
});

const summary = oursText.split("\n").filter((line) => line.startsWith('{"type":"summary"'))
  .map((line) => JSON.parse(line) as { elapsedMs: number })[0];
const items = oursText.split("\n").filter((line) => line.startsWith('{"type":"item"'))
  .map((line) => JSON.parse(line).fields as { pid?: number });
const ssLines = ssText.split("\n").filter((line) => line.trim() !== "");
const ssOwned = ssLines.filter((line) => line.includes("users:(("));

console.log(`port_bench: ${connections} loopback connections held, best of ${runs}`);
console.log(
  `  iocscan collect port --json  ${oursMs.toFixed(1)} ms  ${items.length} sockets, ` +
    `${items.filter((item) => item.pid !== undefined).length} with an owner (every namespace)`,
);
console.log(
  `  ss -tunap                    ${ssMs.toFixed(1)} ms  ${ssLines.length} sockets, ` +
    `${ssOwned.length} with an owner (this namespace)`,
);
console.log(
  `  iocscan --version (startup)  ${startupMs.toFixed(1)} ms; the collection itself (summary's ` +
    `elapsedMs, last run): ${summary?.elapsedMs ?? "?"} ms`,
);
console.log(
  `  ratio (ss time / iocscan time): ${ratio(ssMs, oursMs)} end to end, ` +
    `${ratio(ssMs, Math.max(1, oursMs - startupMs))} without Deno's startup`,
);

for (const conn of held) conn.close();
listener.close();
await accepting.catch(() => {});
