/**
 * Test helper: the file structures of file_info.ts, streams.ts and
 * pending_renames.ts built by code, as the Windows calls would fill them, to
 * test the decoders and to record the quarantine platform's API answers.
 *
 * @module
 */
import {
  type ByHandleFileInformation,
  byHandleFileInformation,
  encodeFileTime,
  fileBasicInfo,
  type FileBasicInformation,
} from "./file_info.ts";
import { streamNameChars, win32FindStreamData } from "./streams.ts";
import type { PendingRename } from "./pending_renames.ts";

/** `BY_HANDLE_FILE_INFORMATION` bytes. */
export function encodeByHandleFileInformation(info: ByHandleFileInformation): Uint8Array {
  const layout = byHandleFileInformation;
  const bytes = new Uint8Array(layout.size);
  const view = new DataView(bytes.buffer);
  view.setUint32(layout.fileAttributes, info.attributes, true);
  bytes.set(encodeFileTime(info.created), layout.creationTime);
  bytes.set(encodeFileTime(info.accessed), layout.lastAccessTime);
  bytes.set(encodeFileTime(info.written), layout.lastWriteTime);
  view.setUint32(layout.volumeSerialNumber, info.volumeSerialNumber, true);
  view.setUint32(layout.fileSizeHigh, Number(info.size >> 32n), true);
  view.setUint32(layout.fileSizeLow, Number(info.size & 0xffff_ffffn), true);
  view.setUint32(layout.numberOfLinks, info.links, true);
  view.setUint32(layout.fileIndexHigh, Number(info.fileIndex >> 32n), true);
  view.setUint32(layout.fileIndexLow, Number(info.fileIndex & 0xffff_ffffn), true);
  return bytes;
}

/** `FILE_BASIC_INFO` bytes. */
export function encodeFileBasicInfo(info: FileBasicInformation): Uint8Array {
  const layout = fileBasicInfo;
  const bytes = new Uint8Array(layout.size);
  const view = new DataView(bytes.buffer);
  view.setBigInt64(layout.creationTime, info.created, true);
  view.setBigInt64(layout.lastAccessTime, info.accessed, true);
  view.setBigInt64(layout.lastWriteTime, info.written, true);
  view.setBigInt64(layout.changeTime, info.changed, true);
  view.setUint32(layout.fileAttributes, info.attributes, true);
  // The padding after the attributes, as a stack buffer would leave it.
  view.setUint32(layout.fileAttributes + 4, 0xcccc_cccc, true);
  return bytes;
}

/** One `WIN32_FIND_STREAM_DATA`: `rawName` as the call gives it (`:Zone.Identifier:$DATA`). */
export function encodeFindStreamData(rawName: string, size: bigint): Uint8Array {
  if (rawName.length >= streamNameChars) throw new RangeError(`${rawName} is too long`);
  const bytes = new Uint8Array(win32FindStreamData.size).fill(0xcc);
  const view = new DataView(bytes.buffer);
  view.setBigInt64(win32FindStreamData.streamSize, size, true);
  for (let i = 0; i < rawName.length; i++) {
    view.setUint16(win32FindStreamData.streamName + i * 2, rawName.charCodeAt(i), true);
  }
  view.setUint16(win32FindStreamData.streamName + rawName.length * 2, 0, true);
  return bytes;
}

/** `PendingFileRenameOperations` bytes: each pair's strings NUL-terminated, then the list's NUL. */
export function encodePendingRenames(pairs: readonly PendingRename[]): Uint8Array {
  const text = pairs.map((pair) => `${pair.source}\0${pair.target}\0`).join("") + "\0";
  const units = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return new Uint8Array(units.buffer);
}
