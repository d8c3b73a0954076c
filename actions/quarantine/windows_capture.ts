/**
 * `captureMetadata` on Windows: the file opened again by path as itself
 * (`FILE_FLAG_OPEN_REPARSE_POINT`), checked to be the file the store opened
 * (its file index against `Deno.FileInfo`'s `ino`, which Deno fills with
 * the file index on Windows); its owner, group, DACL, mandatory label and (when
 * SeSecurityPrivilege can be enabled) SACL as SDDL; its attributes and three
 * FILETIMEs as decimal strings; every alternate data stream, each readable
 * through `AlternateStream.read()`, bounded (a larger stream is refused with
 * a note, never cut). What cannot be captured becomes a note.
 *
 * @module
 */
import {
  alternateStreamName,
  decodeByHandleFileInformation,
  decodeFindStreamData,
  fileAttribute,
  privilegeName,
  securityInformation,
} from "../../windows/layouts/mod.ts";
import { parseSddl, plainWindowsPath, win32ApiPath, win32Error } from "../../windows/mod.ts";
import type { AlternateStream, CapturedMetadata } from "./contract.ts";
import type { MetadataHandle, WindowsQuarantineApi } from "./windows_api.ts";
import type { WindowsPlatformLimits } from "./windows_limits.ts";
import type { Privileges } from "./windows_privileges.ts";

/** The descriptor's parts always captured: owner, group, DACL, mandatory label. */
const baseSecurityInformation = securityInformation.OWNER | securityInformation.GROUP |
  securityInformation.DACL | securityInformation.LABEL;

/** The path of a file's stream as the `W` calls take it: `C:\x\file:name:$DATA`. */
export function streamPath(path: string, name: string): string {
  return win32ApiPath(`${plainWindowsPath(path)}:${name}:$DATA`);
}

function mib(bytes: number | bigint): string {
  return `${(Number(bytes) / (1 << 20)).toFixed(1)} MiB`;
}

/** Opens the file for its metadata, with the SACL when the privilege is there; notes what is left out. */
function openHandle(
  api: WindowsQuarantineApi,
  path: string,
  privileges: Privileges,
  notes: string[],
): { handle: MetadataHandle; sacl: boolean } {
  const security = privileges.enable(privilegeName.security);
  // With SeBackupPrivilege, FILE_FLAG_BACKUP_SEMANTICS reads past a DACL that shuts SYSTEM out.
  privileges.enable(privilegeName.backup);
  if (security.enabled) {
    const opened = api.openForMetadata(path, true);
    if (opened.ok) return { handle: opened.value, sacl: true };
    notes.push(`SACL not captured: the file could not be opened for it (${opened.error})`);
  } else {
    notes.push(`SACL not captured: ${security.why}`);
  }
  const opened = api.openForMetadata(path, false);
  if (!opened.ok) {
    throw new Error(`${path} could not be opened for its metadata: ${opened.error}`);
  }
  return { handle: opened.value, sacl: false };
}

/** The SDDL of the open file, the SACL left out (with a note) when it cannot be read. */
function readSddl(handle: MetadataHandle, sacl: boolean, notes: string[]): string {
  if (sacl) {
    const full = handle.securityDescriptor(baseSecurityInformation | securityInformation.SACL);
    if (full.ok) return full.value;
    notes.push(`SACL not captured: ${full.error}`);
  }
  const read = handle.securityDescriptor(baseSecurityInformation);
  if (read.ok) return read.value;
  notes.push(
    `owner, group and DACL not captured (restore leaves the folder's inherited ACL): ${read.error}`,
  );
  return "";
}

/** The file's alternate data streams, bounded; notes for what is left out. */
function readStreams(
  api: WindowsQuarantineApi,
  path: string,
  limits: WindowsPlatformLimits,
  notes: string[],
  uncopied: string[],
): AlternateStream[] {
  const leftOut = (words: string) => {
    notes.push(words);
    uncopied.push(words);
  };
  // The main stream, the streams kept, and one more to know the list was longer.
  const found = api.findStreams(path, limits.maxStreams + 2);
  if (!found.ok) {
    if (found.code !== win32Error.ERROR_HANDLE_EOF) {
      leftOut(`alternate data streams not captured: they could not be listed (${found.error})`);
    }
    return [];
  }
  const streams: AlternateStream[] = [];
  for (const record of found.value) {
    const { rawName, size } = decodeFindStreamData(record);
    const name = alternateStreamName(rawName);
    if (name === undefined) continue;
    if (streams.length >= limits.maxStreams) {
      leftOut(
        `more than ${limits.maxStreams} alternate data streams: the ones after ${
          streams.at(-1)?.name
        } not captured`,
      );
      break;
    }
    if (size > BigInt(limits.maxStreamBytes)) {
      leftOut(
        `alternate data stream ${name} not captured: ${size} bytes (${mib(size)}) is larger than ` +
          `the ${mib(limits.maxStreamBytes)} cap (refused, not cut)`,
      );
      continue;
    }
    const at = streamPath(path, name);
    const cap = limits.maxStreamBytes;
    streams.push({
      name,
      size: Number(size),
      read() {
        const read = api.readStream(at, cap);
        if (!read.ok) {
          return Promise.reject(new Error(`stream ${name} could not be read: ${read.error}`));
        }
        if (read.value.byteLength > cap) {
          return Promise.reject(
            new Error(`stream ${name} grew past the ${mib(cap)} cap since it was listed`),
          );
        }
        return Promise.resolve(read.value);
      },
    });
  }
  return streams;
}

/**
 * Captures the metadata of the file at `path`, which the store opened and
 * `lstat`ed as `info`. Throws when the path no longer names that file, or
 * names a reparse point (the store refuses it then).
 */
export function captureWindowsMetadata(
  api: WindowsQuarantineApi,
  path: string,
  info: Deno.FileInfo,
  limits: WindowsPlatformLimits,
  privileges: Privileges,
): CapturedMetadata {
  const notes: string[] = [];
  const apiPath = win32ApiPath(path);
  const { handle, sacl } = openHandle(api, apiPath, privileges, notes);
  let sddl: string;
  let file;
  try {
    const bytes = handle.fileInformation();
    if (!bytes.ok) {
      throw new Error(`GetFileInformationByHandle(${path}) failed: ${bytes.error}`);
    }
    file = decodeByHandleFileInformation(bytes.value);
    // Deno gives the file index as `ino` on Windows (a Number: compared as one).
    if (info.ino === null) {
      notes.push("not checked to be the file opened: lstat gave no file index");
    } else if (Number(file.fileIndex) !== info.ino) {
      throw new Error(
        `${path} is no longer the file that was opened (file index ${file.fileIndex}, ` +
          `opened: ${info.ino}): replaced in between`,
      );
    }
    if ((file.attributes & fileAttribute.REPARSE_POINT) !== 0) {
      throw new Error(`${path} is a reparse point (FILE_ATTRIBUTE_REPARSE_POINT): not followed`);
    }
    sddl = readSddl(handle, sacl, notes);
  } finally {
    handle.close();
  }
  if (sddl !== "") {
    const parsed = parseSddl(sddl);
    if (!parsed.ok) notes.push(`the captured SDDL does not parse (${parsed.error}): kept as read`);
  }
  const uncopied: string[] = [];
  const streams = readStreams(api, apiPath, limits, notes, uncopied);
  return {
    metadata: {
      kind: "windows",
      sddl,
      attributes: file.attributes,
      created: file.created.toString(),
      written: file.written.toString(),
      accessed: file.accessed.toString(),
    },
    streams,
    notes,
    ...(uncopied.length === 0 ? {} : { uncopied }),
  };
}
