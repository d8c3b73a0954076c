/**
 * Pure decoders from the bytes the Windows process calls return to records:
 * no FFI, so they are tested on Linux with bytes built by code
 * (`_process_encode.ts`). Pointers inside a returned buffer (a
 * `UNICODE_STRING`'s `Buffer`) are absolute addresses: the caller passes the
 * buffer's own address, and a pointer outside the buffer reads as no string.
 *
 * @module
 */
import {
  fileTimeEpochOffset,
  systemHandleInformationEx,
  systemHandleTableEntryInfoEx,
  systemProcessInformation,
  unicodeString,
} from "./process.ts";

/** One record of `SYSTEM_PROCESS_INFORMATION`. */
export interface SystemProcessRecord {
  readonly pid: number;
  readonly parentPid: number;
  /** The image's file name; empty for the idle process (pid 0). */
  readonly imageName: string;
  /** ISO 8601 UTC; undefined for a zero FILETIME (the idle and System processes). */
  readonly createTime?: string;
  readonly userSeconds: number;
  readonly kernelSeconds: number;
  readonly handleCount: number;
  readonly sessionId: number;
}

/** One entry of `SYSTEM_HANDLE_INFORMATION_EX`. */
export interface SystemHandleEntry {
  readonly pid: number;
  readonly handleValue: bigint;
  readonly grantedAccess: number;
  readonly objectTypeIndex: number;
}

/** A FILETIME (100 ns since 1601) as ISO 8601 UTC; undefined for 0 or out of range. */
export function fileTimeToIso(fileTime: bigint): string | undefined {
  if (fileTime <= 0n) return undefined;
  const ms = Number((fileTime - fileTimeEpochOffset) / 10_000n);
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * Reads a `UNICODE_STRING` at `offset` whose `Buffer` points into `bytes`
 * (which starts at address `base`). Undefined when it points elsewhere or
 * past the end.
 */
export function readUnicodeString(
  bytes: Uint8Array,
  offset: number,
  base: bigint,
): string | undefined {
  if (offset < 0 || offset + unicodeString.size > bytes.byteLength) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint16(offset + unicodeString.length, true);
  const pointer = view.getBigUint64(offset + unicodeString.buffer, true);
  if (length === 0) return "";
  const at = pointer - base;
  if (pointer < base || at + BigInt(length) > BigInt(bytes.byteLength) || length % 2 !== 0) {
    return undefined;
  }
  return new TextDecoder("utf-16le").decode(bytes.subarray(Number(at), Number(at) + length));
}

/**
 * Decodes the chain of `SYSTEM_PROCESS_INFORMATION` records. Stops (with
 * `damaged`) at a record that does not fit or an offset that loops.
 */
export function decodeSystemProcesses(
  bytes: Uint8Array,
  base: bigint,
): { records: SystemProcessRecord[]; damaged?: string } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const layout = systemProcessInformation;
  const records: SystemProcessRecord[] = [];
  let at = 0;
  for (;;) {
    if (at + layout.size > bytes.byteLength) {
      return {
        records,
        damaged: `a process record at ${at} runs past the ${bytes.byteLength}-byte buffer`,
      };
    }
    const next = view.getUint32(at + layout.nextEntryOffset, true);
    records.push({
      pid: Number(view.getBigUint64(at + layout.uniqueProcessId, true)),
      parentPid: Number(view.getBigUint64(at + layout.inheritedFromUniqueProcessId, true)),
      imageName: readUnicodeString(bytes, at + layout.imageName, base) ?? "",
      ...optional("createTime", fileTimeToIso(view.getBigInt64(at + layout.createTime, true))),
      userSeconds: Number(view.getBigInt64(at + layout.userTime, true)) / 1e7,
      kernelSeconds: Number(view.getBigInt64(at + layout.kernelTime, true)) / 1e7,
      handleCount: view.getUint32(at + layout.handleCount, true),
      sessionId: view.getUint32(at + layout.sessionId, true),
    });
    if (next === 0) return { records };
    if (next < layout.size) {
      return { records, damaged: `a process record at ${at} says the next is ${next} bytes on` };
    }
    at += next;
  }
}

/** Decodes `SYSTEM_HANDLE_INFORMATION_EX`: the entries that fit in `bytes`, and whether all did. */
export function decodeSystemHandles(
  bytes: Uint8Array,
): { entries: SystemHandleEntry[]; damaged?: string } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entry = systemHandleTableEntryInfoEx;
  if (bytes.byteLength < systemHandleInformationEx.handles) {
    return { entries: [], damaged: "the handle buffer is shorter than its header" };
  }
  const count = view.getBigUint64(systemHandleInformationEx.numberOfHandles, true);
  const fit = BigInt(
    Math.floor((bytes.byteLength - systemHandleInformationEx.handles) / entry.size),
  );
  const entries: SystemHandleEntry[] = [];
  const total = Number(count < fit ? count : fit);
  for (let index = 0; index < total; index++) {
    const at = systemHandleInformationEx.handles + index * entry.size;
    entries.push({
      pid: Number(view.getBigUint64(at + entry.uniqueProcessId, true)),
      handleValue: view.getBigUint64(at + entry.handleValue, true),
      grantedAccess: view.getUint32(at + entry.grantedAccess, true),
      objectTypeIndex: view.getUint16(at + entry.objectTypeIndex, true),
    });
  }
  return count > fit
    ? { entries, damaged: `the buffer holds ${fit} of ${count} handles` }
    : { entries };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
