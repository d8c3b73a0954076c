/**
 * The lab's peers, run inside the "peers" namespace (test-only): a DNS server on 10.9.0.1:53 that
 * answers `mgmt.lab` (A 10.9.0.10, AAAA fd00:9::10) and any other question with an empty answer,
 * the management listener on 10.9.0.10 and fd00:9::10 port 8443, and the "C2" on 10.9.0.20 and
 * fd00:9::20 port 8080. Prints `ready` once every socket listens.
 *
 * @module
 */
import { createSocket } from "node:dgram";
import { createServer, type Socket } from "node:net";

const listeners = [
  ["10.9.0.10", 8443],
  ["fd00:9::10", 8443],
  ["10.9.0.20", 8080],
  ["fd00:9::20", 8080],
] as const;

const records: Record<string, Record<number, Uint8Array>> = {
  "mgmt.lab": {
    1: new Uint8Array([10, 9, 0, 10]),
    28: new Uint8Array([0xfd, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10]),
  },
};

const sockets: Socket[] = [];
await Promise.all(listeners.map(([host, port]) =>
  new Promise<void>((resolve, reject) => {
    const server = createServer((socket) => {
      sockets.push(socket);
      socket.on("error", () => {});
      socket.on("data", (data) => socket.write(data));
    });
    server.once("error", reject);
    server.listen({ host, port }, () => resolve());
  })
));

const dns = createSocket("udp4");
dns.on("message", (query: Uint8Array, peer: { address: string; port: number }) => {
  dns.send(answer(query), peer.port, peer.address);
});
await new Promise<void>((resolve) => dns.bind(53, "10.9.0.1", () => resolve()));
console.log("ready");

/** A reply to `query`: its header with QR set, the question, and an answer when we have one. */
function answer(query: Uint8Array): Uint8Array {
  let at = 12;
  const labels: string[] = [];
  while (at < query.length && query[at] !== 0) {
    const length = query[at] ?? 0;
    labels.push(new TextDecoder().decode(query.slice(at + 1, at + 1 + length)));
    at += length + 1;
  }
  const questionEnd = at + 5;
  const type = ((query[at + 1] ?? 0) << 8) | (query[at + 2] ?? 0);
  const data = records[labels.join(".").toLowerCase()]?.[type];
  const header = query.slice(0, 12);
  header[2] = 0x80 | ((query[2] ?? 0) & 0x01); // QR, RD copied
  header[3] = 0x80; // RA, NOERROR
  header[6] = 0;
  header[7] = data === undefined ? 0 : 1; // ANCOUNT
  header[8] =
    header[9] =
    header[10] =
    header[11] =
      0;
  const parts: Uint8Array[] = [header, query.slice(12, questionEnd)];
  if (data !== undefined) {
    parts.push(new Uint8Array([0xc0, 12, 0, type, 0, 1, 0, 0, 0, 60, 0, data.length]), data);
  }
  const whole = new Uint8Array(parts.reduce((size, part) => size + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.length;
  }
  return whole;
}
