/**
 * The port collector's live Windows source: iphlpapi's `GetExtendedTcpTable`
 * (`TCP_TABLE_OWNER_MODULE_ALL`) and `GetExtendedUdpTable`
 * (`UDP_TABLE_OWNER_MODULE`), for IPv4 and IPv6, over FFI: the size is asked
 * first, then the table is read into a buffer of that size, again while
 * Windows answers `ERROR_INSUFFICIENT_BUFFER` (the table grew), a bounded
 * number of times and up to a byte cap. The bytes are decoded by
 * windows/layouts/tcp_table_rows.ts; owners are named by windows_image.ts.
 * When iphlpapi cannot be loaded, the collector falls back on
 * `Get-NetTCPConnection` (cim_source.ts).
 *
 * Not yet run on Windows: it cannot run on the Linux machines that test
 * iocscan; the decoders it feeds are tested on tables built with code
 * (docs/port.md).
 *
 * @module
 */
import {
  afInet,
  afInet6,
  errorInsufficientBuffer,
  noError,
  tcpTableOwnerModuleAll,
  udpTableOwnerModule,
} from "../../windows/layouts/tcp_tables.ts";
import {
  type DecodedTable,
  decodeTcpTable,
  decodeUdpTable,
  type TableFamily,
} from "../../windows/layouts/tcp_table_rows.ts";
import type { SkippedObject } from "../collector.ts";
import type { PortRecord } from "./port_record.ts";
import { errorText, type PortSource, type PortTableRead, portTableSkip } from "./source.ts";
import { openWindowsImageLookup } from "./windows_image.ts";
import { windowsRowsToRecords } from "./windows_records.ts";

/** The largest table read, in bytes. */
export const maxWindowsTableBytes = 64 * 1024 * 1024;
/** How many times the size is asked again when the table grows between calls. */
export const tableReadAttempts = 5;

const iphlpapiSymbols = {
  GetExtendedTcpTable: {
    parameters: ["buffer", "buffer", "i32", "u32", "u32", "u32"],
    result: "u32",
  },
  GetExtendedUdpTable: {
    parameters: ["buffer", "buffer", "i32", "u32", "u32", "u32"],
    result: "u32",
  },
} as const;

/** The four tables read, each with its call and decoder. */
const windowsTables = [
  { name: "TCP IPv4", symbol: "GetExtendedTcpTable", family: "ipv4", af: afInet },
  { name: "TCP IPv6", symbol: "GetExtendedTcpTable", family: "ipv6", af: afInet6 },
  { name: "UDP IPv4", symbol: "GetExtendedUdpTable", family: "ipv4", af: afInet },
  { name: "UDP IPv6", symbol: "GetExtendedUdpTable", family: "ipv6", af: afInet6 },
] as const;

/** Whether iphlpapi can be loaded here (false off Windows or without FFI). */
export function iphlpapiAvailable(): boolean {
  try {
    Deno.dlopen("iphlpapi.dll", iphlpapiSymbols).close();
    return true;
  } catch {
    return false;
  }
}

/** The FFI source of the port collector on a live Windows host. */
export function windowsPortSource(now: () => Date = () => new Date()): PortSource {
  return {
    name: "iphlpapi",
    read() {
      const library = Deno.dlopen("iphlpapi.dll", iphlpapiSymbols);
      const images = openWindowsImageLookup();
      const observedAt = now().toISOString();
      const ports: PortRecord[] = [];
      const skips: SkippedObject[] = [];
      const warnings: PortTableRead["warnings"] = [];
      try {
        for (const table of windowsTables) {
          const call = (buffer: Uint8Array | null, size: Uint32Array) =>
            library.symbols[table.symbol](
              buffer,
              size,
              0,
              table.af,
              table.symbol === "GetExtendedTcpTable" ? tcpTableOwnerModuleAll : udpTableOwnerModule,
              0,
            );
          const bytes = readTable(call);
          if ("error" in bytes) {
            skips.push(portTableSkip(`${table.name} table`, "unreadable", bytes.error));
            continue;
          }
          const decoded: DecodedTable = table.symbol === "GetExtendedTcpTable"
            ? decodeTcpTable(bytes.data, table.family as TableFamily)
            : decodeUdpTable(bytes.data, table.family as TableFamily);
          if (decoded.truncated) {
            skips.push(portTableSkip(`${table.name} table`, "corrupt", decoded.truncated));
          }
          ports.push(...windowsRowsToRecords(decoded.rows, images.lookup, observedAt));
        }
      } catch (error) {
        skips.push(portTableSkip("ports:iphlpapi", "error", errorText(error)));
      } finally {
        images.close();
        library.close();
      }
      return Promise.resolve({ ports, skips, warnings, stats: { sockets: ports.length } });
    },
  };
}

/**
 * Reads one table: size first, then the table, again while it grows.
 * `call(buffer, size)` is the API with the rest of its arguments bound.
 */
export function readTable(
  call: (buffer: Uint8Array | null, size: Uint32Array) => number,
): { data: Uint8Array } | { error: string } {
  const size = new Uint32Array(1);
  let result = call(null, size);
  for (let attempt = 0; attempt < tableReadAttempts; attempt++) {
    if (result !== errorInsufficientBuffer && result !== noError) {
      return { error: `Windows error ${result}` };
    }
    if (size[0]! > maxWindowsTableBytes) {
      return { error: `the table needs ${size[0]} bytes, more than ${maxWindowsTableBytes}` };
    }
    // Room for rows added between the size query and the read.
    const buffer = new Uint8Array(size[0]! + 4096);
    size[0] = buffer.byteLength;
    result = call(buffer, size);
    if (result === noError) return { data: buffer.subarray(0, size[0]) };
  }
  return { error: `the table kept growing after ${tableReadAttempts} attempts` };
}
