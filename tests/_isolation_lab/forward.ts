/**
 * A TCP to Unix-socket forwarder (test-only): run inside the lab's "host" namespace it listens on
 * 127.0.0.1:PORT and forwards each connection to the Unix socket PATH, which the test serves from
 * the machine's namespace, so that the CLI in the lab reaches the test PostgreSQL. Prints `ready`.
 *
 * @module
 */
import { connect, createServer } from "node:net";

const [port = "", path = ""] = Deno.args;
const server = createServer((client) => {
  const upstream = connect({ path });
  client.pipe(upstream).pipe(client);
  client.on("error", () => upstream.destroy());
  upstream.on("error", () => client.destroy());
});
server.listen(Number(port), "127.0.0.1", () => console.log("ready"));
