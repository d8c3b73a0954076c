/**
 * Syslog over UDP (RFC 5426: one message a datagram), TCP (RFC 6587 octet counting) and TLS
 * (RFC 5425: octet counting over TLS, the server checked against `--syslog-ca` or the system's
 * roots), of the RFC 5424 messages of report/syslog_message.ts.
 *
 * @module
 */
import { createSocket, type Socket } from "node:dgram";
import { detectionMessage, runEndMessage } from "../../report/syslog_message.ts";
import type { ForwardRecord, LogSink } from "./log_sink.ts";

/** The transports and their default ports (514 for UDP and TCP, 6514 for TLS, RFC 5425). */
export const SYSLOG_TRANSPORTS = { udp: 514, tcp: 514, tls: 6514 } as const;

/** A transport's name. */
export type SyslogTransport = keyof typeof SYSLOG_TRANSPORTS;

/** Where syslog messages go. */
export interface SyslogTarget {
  transport: SyslogTransport;
  hostname: string;
  port: number;
}

/**
 * Reads `udp://host:port`, `tcp://host:port` or `tls://host:port` (IPv6 in brackets; the port may
 * be left out).
 *
 * @throws RangeError for any other form.
 */
export function parseSyslogUrl(text: string): SyslogTarget {
  const match = /^(udp|tcp|tls):\/\/(\[[0-9a-fA-F:.]+\]|[^\s:/\[\]]+)(?::(\d{1,5}))?\/?$/.exec(
    text.trim(),
  );
  if (match === null) {
    throw new RangeError(`expected udp://host:port, tcp://host:port or tls://host:port: ${text}`);
  }
  const transport = match[1] as SyslogTransport;
  const port = match[3] === undefined ? SYSLOG_TRANSPORTS[transport] : Number(match[3]);
  if (port < 1 || port > 65_535) throw new RangeError(`no such port: ${match[3]}`);
  return { transport, hostname: match[2]!.replace(/^\[|\]$/g, ""), port };
}

/** The RFC 5424 message of a record. */
export function syslogText(record: ForwardRecord): string {
  return record.kind === "detection"
    ? detectionMessage(record.detection)
    : runEndMessage(record.summary, record.host, record.time);
}

/** RFC 6587 3.4.1 octet counting: `MSG-LEN SP SYSLOG-MSG`. */
export function octetCounted(message: Uint8Array): Uint8Array {
  const prefix = new TextEncoder().encode(`${message.length} `);
  const framed = new Uint8Array(prefix.length + message.length);
  framed.set(prefix);
  framed.set(message, prefix.length);
  return framed;
}

/** Options of a syslog destination. */
export interface SyslogSinkOptions {
  /** PEM CA certificates the TLS server must chain to (default: the system's roots). */
  caCerts?: string[];
}

/** A syslog destination; connects on the first record. */
export class SyslogSink implements LogSink {
  readonly name: string;
  readonly #target: SyslogTarget;
  readonly #options: SyslogSinkOptions;
  #connection: Promise<Deno.Conn> | undefined;
  #socket: Socket | undefined;

  /** A destination at `target`. */
  constructor(target: SyslogTarget, options: SyslogSinkOptions = {}) {
    this.#target = target;
    this.#options = options;
    this.name = `syslog ${target.transport}://${target.hostname}:${target.port}`;
  }

  async write(record: ForwardRecord): Promise<void> {
    const message = new TextEncoder().encode(syslogText(record));
    if (this.#target.transport === "udp") return await this.#sendDatagram(message);
    this.#connection ??= this.#connect();
    const connection = await this.#connection;
    const framed = octetCounted(message);
    for (let written = 0; written < framed.length;) {
      written += await connection.write(framed.subarray(written));
    }
  }

  async close(): Promise<void> {
    this.#socket?.close();
    if (this.#connection === undefined) return;
    try {
      const connection = await this.#connection;
      // A TLS close_notify (or TCP FIN) first, so that the server reads every message to the end.
      await connection.closeWrite().catch(() => {});
      connection.close();
    } catch {
      // It never connected: the write already said so.
    }
  }

  #connect(): Promise<Deno.Conn> {
    const { hostname, port, transport } = this.#target;
    return transport === "tls"
      ? Deno.connectTls({
        hostname,
        port,
        ...(this.#options.caCerts === undefined ? {} : { caCerts: this.#options.caCerts }),
      })
      : Deno.connect({ hostname, port, transport: "tcp" });
  }

  #sendDatagram(message: Uint8Array): Promise<void> {
    const { hostname, port } = this.#target;
    this.#socket ??= createSocket(hostname.includes(":") ? "udp6" : "udp4");
    const socket = this.#socket;
    return new Promise((resolve, reject) => {
      socket.send(message, port, hostname, (error) => error ? reject(error) : resolve());
    });
  }
}
