/**
 * `applyMetadata` on Windows, on the restored file before it is renamed into
 * place: alternate data streams written back, the security descriptor
 * checked (windows/sddl.ts) then set with `SetFileSecurityW` (the owner with
 * SeRestorePrivilege, the SACL with SeSecurityPrivilege), the three
 * FILETIMEs with `SetFileTime`, the attributes with `SetFileAttributesW`
 * last (read-only after everything else), then `FILE_BASIC_INFO` read back
 * to check the times and attributes stuck. Returns what could not be
 * re-applied, in words.
 *
 * @module
 */
import {
  decodeFileBasicInfo,
  encodeFileTime,
  fileAttribute,
  fileAttributesText,
  parseFileTimeText,
  privilegeName,
  securityInformation,
  settableFileAttributes,
  streamNameProblem,
} from "../../windows/layouts/mod.ts";
import { hasAuditAces, hasLabel, parseSddl, win32ApiPath, win32Error } from "../../windows/mod.ts";
import type { FileMetadata, WindowsFileMetadata } from "./contract.ts";
import type { WindowsQuarantineApi } from "./windows_api.ts";
import { streamPath } from "./windows_capture.ts";
import type { Privileges } from "./windows_privileges.ts";

/** The errors that mean "this owner needs SeRestorePrivilege": retried without the owner. */
const ownerRefusals: ReadonlySet<number> = new Set([
  win32Error.ERROR_INVALID_OWNER,
  win32Error.ERROR_ACCESS_DENIED,
  win32Error.ERROR_PRIVILEGE_NOT_HELD,
]);

function writeStreams(
  api: WindowsQuarantineApi,
  path: string,
  streams: readonly { name: string; bytes: Uint8Array }[],
  notes: string[],
): void {
  for (const stream of streams) {
    const problem = streamNameProblem(stream.name);
    if (problem !== undefined) {
      notes.push(`alternate data stream not written back: ${problem}`);
      continue;
    }
    const written = api.writeStream(streamPath(path, stream.name), stream.bytes);
    if (!written.ok) {
      notes.push(`alternate data stream ${stream.name} not written back: ${written.error}`);
    }
  }
}

function applySecurity(
  api: WindowsQuarantineApi,
  path: string,
  sddl: string,
  privileges: Privileges,
  notes: string[],
): void {
  if (sddl === "") {
    notes.push("security descriptor not re-applied: none was captured");
    return;
  }
  const parsed = parseSddl(sddl);
  if (!parsed.ok) {
    notes.push(
      `security descriptor not re-applied: the stored SDDL is not valid (${parsed.error})`,
    );
    return;
  }
  const value = parsed.value;
  let info = 0;
  if (value.group !== undefined) info |= securityInformation.GROUP;
  if (value.dacl !== undefined) info |= securityInformation.DACL;
  // The label and the audit ACEs share the SACL but are set apart: LABEL_ by anyone with
  // WRITE_OWNER, SACL_ (which leaves the label alone) with SeSecurityPrivilege only.
  if (hasLabel(value)) info |= securityInformation.LABEL;
  if (hasAuditAces(value)) {
    const security = privileges.enable(privilegeName.security);
    if (security.enabled) info |= securityInformation.SACL;
    else notes.push(`SACL not re-applied: ${security.why}`);
  }
  if (value.owner !== undefined) {
    // Without SeRestorePrivilege only this account (or a group it may name) can be the owner.
    const restore = privileges.enable(privilegeName.restore);
    const withOwner = api.setFileSecurity(path, sddl, info | securityInformation.OWNER);
    if (withOwner.ok) return;
    if (!ownerRefusals.has(withOwner.code)) {
      notes.push(`security descriptor not re-applied: ${withOwner.error}`);
      return;
    }
    notes.push(
      `owner ${value.owner} not re-applied: ${withOwner.error}` +
        (restore.enabled ? "" : `; ${restore.why}`),
    );
  }
  if (info === 0) return;
  const rest = api.setFileSecurity(path, sddl, info);
  if (!rest.ok) notes.push(`group, DACL and SACL not re-applied either: ${rest.error}`);
}

function applyTimes(
  api: WindowsQuarantineApi,
  path: string,
  metadata: WindowsFileMetadata,
  notes: string[],
): { created: bigint; accessed: bigint; written: bigint } | undefined {
  const created = parseFileTimeText(metadata.created);
  const accessed = parseFileTimeText(metadata.accessed);
  const written = parseFileTimeText(metadata.written);
  if (created === undefined || accessed === undefined || written === undefined) {
    notes.push(
      `times not re-applied: the stored FILETIMEs are not decimal counts (${metadata.created}, ${metadata.accessed}, ${metadata.written})`,
    );
    return undefined;
  }
  const set = api.setFileTime(
    path,
    encodeFileTime(created),
    encodeFileTime(accessed),
    encodeFileTime(written),
  );
  if (!set.ok) {
    notes.push(`times not re-applied: ${set.error}`);
    return undefined;
  }
  return { created, accessed, written };
}

function applyAttributes(
  api: WindowsQuarantineApi,
  path: string,
  attributes: number,
  notes: string[],
): number | undefined {
  const settable = attributes & settableFileAttributes;
  const left = (attributes & ~settableFileAttributes & ~fileAttribute.DIRECTORY) >>> 0;
  if (left !== 0) {
    notes.push(
      `attributes ${fileAttributesText(left)} not re-applied: SetFileAttributesW does not set them`,
    );
  }
  const value = settable === 0 ? fileAttribute.NORMAL : settable;
  const set = api.setFileAttributes(path, value);
  if (!set.ok) {
    notes.push(`attributes ${fileAttributesText(value)} not re-applied: ${set.error}`);
    return undefined;
  }
  return settable;
}

/** Checks with `FILE_BASIC_INFO` that what was set is what the file now says. */
function readBack(
  api: WindowsQuarantineApi,
  path: string,
  times: { created: bigint; accessed: bigint; written: bigint } | undefined,
  attributes: number | undefined,
  notes: string[],
): void {
  if (times === undefined && attributes === undefined) return;
  const read = api.basicInfo(path);
  if (!read.ok) {
    notes.push(`times and attributes could not be read back to check them: ${read.error}`);
    return;
  }
  const now = decodeFileBasicInfo(read.value);
  if (times !== undefined) {
    for (const name of ["created", "accessed", "written"] as const) {
      if (now[name] !== times[name]) {
        notes.push(`time ${name} reads back as ${now[name]}, not ${times[name]}`);
      }
    }
  }
  if (attributes !== undefined) {
    const got = now.attributes & settableFileAttributes & ~fileAttribute.NORMAL;
    const want = attributes & ~fileAttribute.NORMAL;
    if (got !== want) {
      notes.push(
        `attributes read back as ${fileAttributesText(got)}, not ${fileAttributesText(want)}`,
      );
    }
  }
}

/** Re-applies `metadata` and `streams` to the file at `path`; returns what could not be, in words. */
export function applyWindowsMetadata(
  api: WindowsQuarantineApi,
  path: string,
  metadata: FileMetadata,
  streams: readonly { name: string; bytes: Uint8Array }[],
  privileges: Privileges,
): string[] {
  if (metadata.kind !== "windows") {
    return [`metadata captured on ${metadata.kind}: nothing of it re-applied on Windows`];
  }
  const notes: string[] = [];
  const apiPath = win32ApiPath(path);
  writeStreams(api, apiPath, streams, notes);
  applySecurity(api, apiPath, metadata.sddl, privileges, notes);
  const times = applyTimes(api, apiPath, metadata, notes);
  const attributes = applyAttributes(api, apiPath, metadata.attributes, notes);
  readBack(api, apiPath, times, attributes, notes);
  return notes;
}
