/**
 * The two probes of the self-test, each bounded: a TCP connect (answered, refused or silent) and a
 * DNS question over UDP (any answer with our query id counts: the server is reachable).
 *
 * @module
 */
import { createSocket } from "node:dgram";
import { Socket } from "node:net";
import { isIP } from "node:net";

/** What a probe saw. */
export interface ProbeResult {
  /** `answered`: a connection or a DNS reply; `refused`: a reset or an ICMP error; `silent`: nothing in time. */
  readonly outcome: "answered" | "refused" | "silent";
  readonly ms: number;
  readonly detail: string;
}

/** Connects to `address:port` over TCP and closes at once. */
export function probeTcp(address: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    const socket = new Socket();
    let settled = false;
    const settle = (outcome: ProbeResult["outcome"], detail: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ outcome, ms: elapsed(), detail });
    };
    const timer = setTimeout(
      () => settle("silent", `no answer within ${timeoutMs} ms`),
      timeoutMs,
    );
    socket.once("connect", () => settle("answered", "connected"));
    socket.once(
      "error",
      (error: Error & { code?: string }) => settle("refused", error.code ?? error.message),
    );
    socket.connect({ host: address, port, family: isIP(address) === 6 ? 6 : 4 });
  });
}

/** Asks `address:53` (UDP) for the root's NS records; any reply with our id is an answer. */
export function probeDns(address: string, timeoutMs: number, port = 53): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const id = Math.floor(Math.random() * 0x10000);
  // Header: id, RD flag, one question; question: the root name, type NS (2), class IN (1).
  const query = new Uint8Array([id >> 8, id & 0xff, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1]);
  return new Promise((resolve) => {
    const socket = createSocket(isIP(address) === 6 ? "udp6" : "udp4");
    let settled = false;
    const settle = (outcome: ProbeResult["outcome"], detail: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      resolve({ outcome, ms: elapsed(), detail });
    };
    const timer = setTimeout(
      () => settle("silent", `no DNS reply within ${timeoutMs} ms`),
      timeoutMs,
    );
    socket.on("message", (message: Uint8Array) => {
      const isReply = message.length >= 4 && message[0] === id >> 8 &&
        message[1] === (id & 0xff) && ((message[2] ?? 0) & 0x80) !== 0;
      if (isReply) settle("answered", "DNS reply");
    });
    socket.on(
      "error",
      (error: Error & { code?: string }) => settle("refused", error.code ?? error.message),
    );
    socket.send(query, port, address);
  });
}
