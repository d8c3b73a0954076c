/**
 * Builds the bytes of the Windows process calls from records, by the layouts
 * of process.ts: the tests' recorded API outputs.
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

/** One process as the test writes it. */
export interface ProcessFixture {
  pid: number;
  parentPid: number;
  imageName: string;
  /** ISO time, or none (FILETIME 0). */
  createTime?: string;
  userTicks?: bigint;
  kernelTicks?: bigint;
  handleCount?: number;
  sessionId?: number;
}

/** A FILETIME from an ISO time. */
export function fileTimeOf(iso: string): bigint {
  return BigInt(Date.parse(iso)) * 10_000n + fileTimeEpochOffset;
}

/** Writes a `UNICODE_STRING` at `offset` pointing at `stringAt` (both in `bytes`, based at `base`). */
export function writeUnicodeString(
  bytes: Uint8Array,
  offset: number,
  stringAt: number,
  text: string,
  base: bigint,
): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const encoded = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    encoded[i * 2] = text.charCodeAt(i) & 0xff;
    encoded[i * 2 + 1] = text.charCodeAt(i) >> 8;
  }
  view.setUint16(offset + unicodeString.length, encoded.byteLength, true);
  view.setUint16(offset + unicodeString.maximumLength, encoded.byteLength + 2, true);
  view.setBigUint64(
    offset + unicodeString.buffer,
    text === "" ? 0n : base + BigInt(stringAt),
    true,
  );
  bytes.set(encoded, stringAt);
  return stringAt + encoded.byteLength + 2;
}

/** The chain of `SYSTEM_PROCESS_INFORMATION` records, each followed by its image name. */
export function encodeSystemProcesses(
  processes: readonly ProcessFixture[],
  base: bigint,
): Uint8Array {
  const layout = systemProcessInformation;
  const sizes = processes.map((process) => align8(layout.size + process.imageName.length * 2 + 2));
  const bytes = new Uint8Array(sizes.reduce((sum, size) => sum + size, 0));
  const view = new DataView(bytes.buffer);
  let at = 0;
  processes.forEach((process, index) => {
    const size = sizes[index]!;
    view.setUint32(at + layout.nextEntryOffset, index === processes.length - 1 ? 0 : size, true);
    view.setBigInt64(
      at + layout.createTime,
      process.createTime === undefined ? 0n : fileTimeOf(process.createTime),
      true,
    );
    view.setBigInt64(at + layout.userTime, process.userTicks ?? 0n, true);
    view.setBigInt64(at + layout.kernelTime, process.kernelTicks ?? 0n, true);
    writeUnicodeString(bytes, at + layout.imageName, at + layout.size, process.imageName, base);
    view.setBigUint64(at + layout.uniqueProcessId, BigInt(process.pid), true);
    view.setBigUint64(at + layout.inheritedFromUniqueProcessId, BigInt(process.parentPid), true);
    view.setUint32(at + layout.handleCount, process.handleCount ?? 0, true);
    view.setUint32(at + layout.sessionId, process.sessionId ?? 0, true);
    at += size;
  });
  return bytes;
}

/** One handle as the test writes it. */
export interface HandleFixture {
  pid: number;
  handleValue: bigint;
  grantedAccess: number;
  objectTypeIndex: number;
}

/** `SYSTEM_HANDLE_INFORMATION_EX` with these entries; `claimed` overrides the count. */
export function encodeSystemHandles(
  handles: readonly HandleFixture[],
  claimed?: number,
): Uint8Array {
  const entry = systemHandleTableEntryInfoEx;
  const bytes = new Uint8Array(systemHandleInformationEx.handles + handles.length * entry.size);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(
    systemHandleInformationEx.numberOfHandles,
    BigInt(claimed ?? handles.length),
    true,
  );
  handles.forEach((handle, index) => {
    const at = systemHandleInformationEx.handles + index * entry.size;
    view.setBigUint64(at + entry.object, 0xffff_8000_0000_0000n + BigInt(index * 0x40), true);
    view.setBigUint64(at + entry.uniqueProcessId, BigInt(handle.pid), true);
    view.setBigUint64(at + entry.handleValue, handle.handleValue, true);
    view.setUint32(at + entry.grantedAccess, handle.grantedAccess, true);
    view.setUint16(at + entry.objectTypeIndex, handle.objectTypeIndex, true);
  });
  return bytes;
}

/** A `UNICODE_STRING` followed by its text, as `OBJECT_NAME_INFORMATION` and the command line come. */
export function encodeUnicodeStringBlock(text: string, base: bigint): Uint8Array {
  const bytes = new Uint8Array(unicodeString.size + text.length * 2 + 2);
  writeUnicodeString(bytes, 0, unicodeString.size, text, base);
  return bytes;
}

function align8(size: number): number {
  return (size + 7) & ~7;
}
