/**
 * Probes run inside the lab's "host" namespace (test-only): each argument is `tcp:ADDRESS:PORT`,
 * `dns:ADDRESS` or `loopback`; prints one JSON array of {@linkcode ProbeResult}s.
 *
 * @module
 */
import { createServer } from "node:net";
import { probeDns, probeTcp } from "../../actions/isolation/peer_probes.ts";

const TIMEOUT_MS = 1_500;
const results = [];
for (const spec of Deno.args) {
  if (spec === "loopback") {
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const port = (server.address() as { port: number }).port;
    results.push({ spec, ...await probeTcp("127.0.0.1", port, TIMEOUT_MS) });
    server.close();
  } else if (spec.startsWith("dns:")) {
    results.push({ spec, ...await probeDns(spec.slice(4), TIMEOUT_MS) });
  } else {
    const rest = spec.slice(4);
    const colon = rest.lastIndexOf(":");
    results.push({
      spec,
      ...await probeTcp(
        rest.slice(0, colon).replace(/^\[(.*)\]$/, "$1"),
        Number(rest.slice(colon + 1)),
        TIMEOUT_MS,
      ),
    });
  }
}
console.log(JSON.stringify(results));
