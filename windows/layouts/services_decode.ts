/**
 * Pure decoders of the Service Control Manager buffers (layouts in
 * services.ts): the rows of `EnumServicesStatusExW` and one
 * `QUERY_SERVICE_CONFIGW`. A string pointer that does not lead into the
 * buffer (or is null) gives no string; nothing is read past the buffer.
 *
 * @module
 */
import { enumServiceStatusProcess, queryServiceConfig } from "./services.ts";

/** One row of `EnumServicesStatusExW(SC_ENUM_PROCESS_INFO)`. */
export interface ServiceStatusRow {
  name?: string;
  displayName?: string;
  serviceType: number;
  currentState: number;
  processId: number;
}

/** What `QueryServiceConfigW` gives. */
export interface ServiceConfig {
  serviceType: number;
  startType: number;
  binaryPathName?: string;
  serviceStartName?: string;
  displayName?: string;
}

/**
 * The `count` rows at the start of `bytes`, whose address in memory is
 * `base` (string pointers are resolved against it). Rows past the buffer are
 * left out.
 */
export function decodeServiceStatusRows(
  bytes: Uint8Array,
  base: bigint,
  count: number,
): ServiceStatusRow[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const layout = enumServiceStatusProcess;
  const rows: ServiceStatusRow[] = [];
  for (let index = 0; index < count; index++) {
    const at = index * layout.size;
    if (at + layout.size > bytes.byteLength) break;
    const row: ServiceStatusRow = {
      serviceType: view.getUint32(at + layout.serviceType, true),
      currentState: view.getUint32(at + layout.currentState, true),
      processId: view.getUint32(at + layout.processId, true),
    };
    const name = stringAt(bytes, view, base, at + layout.serviceName);
    const display = stringAt(bytes, view, base, at + layout.displayName);
    if (name !== undefined) row.name = name;
    if (display !== undefined) row.displayName = display;
    rows.push(row);
  }
  return rows;
}

/** The configuration at the start of `bytes` (address `base`), or undefined when too short. */
export function decodeServiceConfig(bytes: Uint8Array, base: bigint): ServiceConfig | undefined {
  const layout = queryServiceConfig;
  if (bytes.byteLength < layout.size) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const config: ServiceConfig = {
    serviceType: view.getUint32(layout.serviceType, true),
    startType: view.getUint32(layout.startType, true),
  };
  const path = stringAt(bytes, view, base, layout.binaryPathName);
  const account = stringAt(bytes, view, base, layout.serviceStartName);
  const display = stringAt(bytes, view, base, layout.displayName);
  if (path !== undefined) config.binaryPathName = path;
  if (account !== undefined) config.serviceStartName = account;
  if (display !== undefined) config.displayName = display;
  return config;
}

/** The NUL-terminated UTF-16LE string a pointer at `at` leads to, inside the buffer only. */
function stringAt(bytes: Uint8Array, view: DataView, base: bigint, at: number): string | undefined {
  const pointer = view.getBigUint64(at, true);
  if (pointer === 0n || pointer < base) return undefined;
  const offset = pointer - base;
  if (offset >= BigInt(bytes.byteLength)) return undefined;
  const start = Number(offset);
  let end = start;
  while (end + 1 < bytes.byteLength && (bytes[end] !== 0 || bytes[end + 1] !== 0)) end += 2;
  if (end + 1 >= bytes.byteLength) return undefined; // no terminator inside the buffer
  return new TextDecoder("utf-16le").decode(bytes.subarray(start, end));
}
