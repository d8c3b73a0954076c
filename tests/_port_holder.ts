/**
 * A program the live port tests start (with `deno run -A`): it listens on
 * 127.0.0.1 and [::1] (ports chosen by the system), connects to its own IPv4
 * listener, prints one JSON line saying what it holds (pid, ports, its network
 * namespace's link) and keeps everything open until its stdin closes.
 * Loopback only. Test helper: production code never imports it.
 *
 * @module
 */
const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
let listener6: Deno.Listener | undefined;
try {
  listener6 = Deno.listen({ hostname: "::1", port: 0 });
} catch {
  // No IPv6 on loopback here: the test says so.
}
const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
const server = await listener.accept();
console.log(JSON.stringify({
  pid: Deno.pid,
  listenPort: listener.addr.port,
  listenPort6: listener6 ? (listener6.addr as Deno.NetAddr).port : null,
  clientPort: (client.localAddr as Deno.NetAddr).port,
  namespace: await Deno.readLink("/proc/self/ns/net"),
  exe: await Deno.readLink("/proc/self/exe"),
}));
await Deno.stdin.readable.pipeTo(new WritableStream());
server.close();
client.close();
listener.close();
listener6?.close();
