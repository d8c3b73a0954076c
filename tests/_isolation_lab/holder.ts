/**
 * A long-lived, idle connection from the lab's "host" namespace (test-only): connects to the
 * address and port given, prints `connected`, and prints `closed CODE` when the connection is cut.
 *
 * @module
 */
import { Socket } from "node:net";

const [host = "", port = ""] = Deno.args;
const socket = new Socket();
socket.on("connect", () => console.log("connected"));
socket.on("error", (error: Error & { code?: string }) => {
  console.log(`closed ${error.code ?? error.message}`);
  Deno.exit(0);
});
socket.on("close", () => {
  console.log("closed close");
  Deno.exit(0);
});
socket.connect({ host, port: Number(port) });
// Idle: nothing is sent, so only a cut of the socket itself (ss -K) can close it.
setInterval(() => {}, 60_000);
