/**
 * Test helper: a recorded {@linkcode WindowsQuarantineApi}. The answers of
 * the calls for a small host (files with their security descriptor parts,
 * times, attributes and streams; the token's privileges; processes and the
 * images they run; the delete-at-boot list), structures as bytes built by
 * windows/layouts/_file_encode.ts, and a log of every call in order. Deletes
 * fail as Windows fails them: a running image cannot be deleted
 * (`inUseError`) until its process has ended.
 *
 * @module
 */
import {
  encodeByHandleFileInformation,
  encodeFileBasicInfo,
  encodeFindStreamData,
  encodePendingRenames,
} from "../../windows/layouts/_file_encode.ts";
import {
  decodeTokenPrivileges,
  fileApi,
  fileAttribute,
  type PendingRename,
  readFileTime,
  securityInformation,
} from "../../windows/layouts/mod.ts";
import { ntObjectPath, plainWindowsPath, win32Error, win32ErrorText } from "../../windows/mod.ts";
import type {
  MetadataHandle,
  ProcessHandle,
  Win32Result,
  WindowsQuarantineApi,
} from "./windows_api.ts";

/** One recorded file. */
export interface RecordedFile {
  attributes: number;
  created: bigint;
  accessed: bigint;
  written: bigint;
  volumeSerialNumber: number;
  fileIndex: bigint;
  links: number;
  size: bigint;
  /** The descriptor's parts as SDDL: `O:…`, `G:…`, `D:…`, the label `S:(ML…)` and the audit ACEs. */
  owner: string;
  group: string;
  dacl: string;
  label?: string;
  audit?: string;
  /** Alternate streams (name without `:$DATA`); `size` may claim more than `bytes` holds. */
  streams: { name: string; size: bigint; bytes: Uint8Array }[];
  /** The error `DeleteFileW` gives while a process runs this image (5 or 32). */
  inUseError?: number;
  /** `DeleteFileW` succeeds but the name stays (another handle holds it). */
  staysAfterDelete?: boolean;
}

/** One recorded process. */
export interface RecordedProcess {
  image: string;
  alive: boolean;
  /** `TerminateProcess` fails with access denied (a protected process). */
  protected?: boolean;
}

/** The host the recorded API answers for. */
export interface RecordedHost {
  /** By plain path, upper-cased. */
  files: Map<string, RecordedFile>;
  /** Privileges by name: the LUID and whether the token holds it. */
  privileges: Map<string, { luid: bigint; held: boolean }>;
  processes: Map<number, RecordedProcess>;
  /** Whether this process is an administrator (`MoveFileExW` at boot needs it). */
  admin: boolean;
  /** `MoveFileExW` succeeds but writes nothing (a damaged answer to catch). */
  scheduleDropped?: boolean;
  /** The value's pairs; undefined when there is no value. */
  pendingRenames: PendingRename[] | undefined;
  /** `RegGetValueW` fails with this code. */
  pendingRenamesError?: number;
  /** Drive roots that are network drives (`Z:\`). */
  remoteRoots: Set<string>;
  /** Whether the libraries could be opened. */
  apiMissing?: boolean;
}

/** What the recorded API remembers of the calls. */
export interface RecordedCalls {
  /** Every call, in order: `Name(path or pid…)`. */
  readonly log: string[];
  /** Privileges enabled so far. */
  readonly enabled: Set<string>;
  /** `SetFileSecurityW` calls. */
  readonly security: { path: string; sddl: string; info: number }[];
}

/** The sections of an SDDL string by letter, each with its `X:` (ACEs without nesting). */
function sddlSections(sddl: string): Partial<Record<"O" | "G" | "D" | "S", string>> {
  const sections: Partial<Record<"O" | "G" | "D" | "S", string>> = {};
  for (const match of sddl.matchAll(/([OGDS]):((?:\([^)]*\)|(?![OGDS]:).)*)/g)) {
    sections[match[1] as "O" | "G" | "D" | "S"] = `${match[1]}:${match[2]}`;
  }
  return sections;
}

const key = (path: string) => plainWindowsPath(path).toUpperCase();

function fail<T>(what: string, code: number): Win32Result<T> {
  return { ok: false, code, error: `${what}: ${win32ErrorText(code)}` };
}

function ok<T>(value: T): Win32Result<T> {
  return { ok: true, value };
}

/** A file with plain defaults: a user's download, Zone.Identifier attached. */
export function recordedFile(overrides: Partial<RecordedFile> = {}): RecordedFile {
  return {
    attributes: fileAttribute.ARCHIVE,
    // Beyond 2^53: a Number would round these.
    created: 133_771_234_567_890_123n,
    accessed: 133_771_999_999_999_999n,
    written: 133_771_500_000_000_001n,
    volumeSerialNumber: 0x1234_abcd,
    fileIndex: 0x0003_0000_0000_a1b2n,
    links: 1,
    size: 4096n,
    owner: "O:S-1-5-21-1-2-3-1001",
    group: "G:S-1-5-21-1-2-3-513",
    dacl: "D:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;FA;;;S-1-5-21-1-2-3-1001)",
    streams: [],
    ...overrides,
  };
}

/** A host with the usual privileges held (restore, security, backup) and no files. */
export function recordedHost(overrides: Partial<RecordedHost> = {}): RecordedHost {
  return {
    files: new Map(),
    privileges: new Map([
      ["SeSecurityPrivilege", { luid: 8n, held: true }],
      ["SeBackupPrivilege", { luid: 17n, held: true }],
      ["SeRestorePrivilege", { luid: 18n, held: true }],
    ]),
    processes: new Map(),
    admin: true,
    pendingRenames: undefined,
    remoteRoots: new Set(),
    ...overrides,
  };
}

/** The recorded API over `host`, and what it saw. */
export function recordedWindowsApi(host: RecordedHost): WindowsQuarantineApi & RecordedCalls {
  const log: string[] = [];
  const enabled = new Set<string>();
  const security: RecordedCalls["security"] = [];
  const fileAt = (path: string) => host.files.get(key(path));
  const streamOf = (streamPath: string) => {
    const match = /^(.*):([^:\\]+):\$DATA$/.exec(plainWindowsPath(streamPath));
    if (match === null) return undefined;
    const file = fileAt(match[1]!);
    return file === undefined ? undefined : { file, name: match[2]! };
  };
  const runningImage = (path: string) =>
    [...host.processes.values()].some((process) =>
      process.alive && key(process.image) === key(path)
    );

  const handleOf = (file: RecordedFile, withSacl: boolean): MetadataHandle => ({
    fileInformation: () => ok(encodeByHandleFileInformation(file)),
    securityDescriptor(info) {
      log.push(`GetSecurityInfo(0x${info.toString(16)})`);
      if ((info & securityInformation.SACL) !== 0 && !withSacl) {
        return fail("GetSecurityInfo", win32Error.ERROR_PRIVILEGE_NOT_HELD);
      }
      let text = "";
      if (info & securityInformation.OWNER) text += file.owner;
      if (info & securityInformation.GROUP) text += file.group;
      if (info & securityInformation.DACL) text += file.dacl;
      const sacl = [
        (info & securityInformation.LABEL) !== 0 ? file.label ?? "" : "",
        (info & securityInformation.SACL) !== 0 ? file.audit ?? "" : "",
      ].join("");
      if (sacl !== "") text += `S:${sacl}`;
      return ok(text);
    },
    close: () => log.push("CloseHandle"),
  });

  const processHandle = (pid: number, process: RecordedProcess): ProcessHandle => ({
    imagePath: () => ok(process.image),
    terminate() {
      log.push(`TerminateProcess(${pid})`);
      if (process.protected) return fail("TerminateProcess", win32Error.ERROR_ACCESS_DENIED);
      process.alive = false;
      return ok(undefined);
    },
    waitForExit: () => ok(!process.alive),
    close() {},
  });

  return {
    log,
    enabled,
    security,
    openForMetadata(path, withSacl) {
      log.push(`CreateFileW(${path}${withSacl ? ", ACCESS_SYSTEM_SECURITY" : ""})`);
      const file = fileAt(path);
      if (file === undefined) return fail("CreateFileW", win32Error.ERROR_FILE_NOT_FOUND);
      if (withSacl && !enabled.has("SeSecurityPrivilege")) {
        return fail("CreateFileW", win32Error.ERROR_PRIVILEGE_NOT_HELD);
      }
      return ok(handleOf(file, withSacl));
    },
    findStreams(path, maxRecords) {
      log.push(`FindFirstStreamW(${path})`);
      const file = fileAt(path);
      if (file === undefined) return fail("FindFirstStreamW", win32Error.ERROR_FILE_NOT_FOUND);
      const records = [
        encodeFindStreamData("::$DATA", file.size),
        ...file.streams.map((stream) => encodeFindStreamData(`:${stream.name}:$DATA`, stream.size)),
      ];
      return ok(records.slice(0, maxRecords));
    },
    readStream(streamPath, maxBytes) {
      log.push(`ReadFile(${streamPath})`);
      const found = streamOf(streamPath);
      const stream = found?.file.streams.find((candidate) => candidate.name === found.name);
      if (stream === undefined) return fail("CreateFileW", win32Error.ERROR_FILE_NOT_FOUND);
      return ok(stream.bytes.slice(0, maxBytes + 1));
    },
    writeStream(streamPath, bytes) {
      log.push(`WriteFile(${streamPath})`);
      const found = streamOf(streamPath);
      if (found === undefined) return fail("CreateFileW", win32Error.ERROR_FILE_NOT_FOUND);
      found.file.streams = found.file.streams.filter((stream) => stream.name !== found.name);
      found.file.streams.push({ name: found.name, size: BigInt(bytes.length), bytes });
      return ok(undefined);
    },
    lookupPrivilegeValue(name) {
      const privilege = host.privileges.get(name);
      if (privilege === undefined) return fail("LookupPrivilegeValueW", 1313);
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setBigUint64(0, privilege.luid, true);
      return ok(bytes);
    },
    adjustTokenPrivileges(tokenPrivileges) {
      let notAllAssigned = false;
      for (const asked of decodeTokenPrivileges(tokenPrivileges)) {
        const entry = [...host.privileges].find(([, privilege]) => privilege.luid === asked.luid);
        log.push(`AdjustTokenPrivileges(${entry?.[0] ?? asked.luid})`);
        if (entry !== undefined && entry[1].held) enabled.add(entry[0]);
        else notAllAssigned = true;
      }
      return ok({ notAllAssigned });
    },
    setFileSecurity(path, sddl, info) {
      log.push(`SetFileSecurityW(${path}, 0x${info.toString(16)})`);
      security.push({ path, sddl, info });
      if ((info & securityInformation.OWNER) !== 0 && !enabled.has("SeRestorePrivilege")) {
        return fail("SetFileSecurityW", win32Error.ERROR_INVALID_OWNER);
      }
      if ((info & securityInformation.SACL) !== 0 && !enabled.has("SeSecurityPrivilege")) {
        return fail("SetFileSecurityW", win32Error.ERROR_PRIVILEGE_NOT_HELD);
      }
      const file = fileAt(path);
      if (file === undefined) return fail("SetFileSecurityW", win32Error.ERROR_FILE_NOT_FOUND);
      const parts = sddlSections(sddl);
      if (info & securityInformation.OWNER) file.owner = parts.O ?? "";
      if (info & securityInformation.GROUP) file.group = parts.G ?? "";
      if (info & securityInformation.DACL) file.dacl = parts.D ?? "";
      const aces = (parts.S ?? "").slice(2).match(/\([^)]*\)/g) ?? [];
      const label = aces.filter((ace) => ace.startsWith("(ML;")).join("");
      const audit = aces.filter((ace) => !ace.startsWith("(ML;")).join("");
      if (info & securityInformation.LABEL) file.label = label;
      if (info & securityInformation.SACL) file.audit = audit;
      return ok(undefined);
    },
    setFileTime(path, creation, access, write) {
      log.push(`SetFileTime(${path})`);
      const file = fileAt(path);
      if (file === undefined) return fail("CreateFileW", win32Error.ERROR_FILE_NOT_FOUND);
      const read = (bytes: Uint8Array) => readFileTime(new DataView(bytes.buffer), 0);
      file.created = read(creation);
      file.accessed = read(access);
      file.written = read(write);
      return ok(undefined);
    },
    basicInfo(path) {
      log.push(`GetFileInformationByHandleEx(${path})`);
      const file = fileAt(path);
      if (file === undefined) return fail("CreateFileW", win32Error.ERROR_FILE_NOT_FOUND);
      return ok(encodeFileBasicInfo({ ...file, changed: file.written + 1n }));
    },
    getFileAttributes(path) {
      log.push(`GetFileAttributesW(${path})`);
      const file = fileAt(path);
      return file === undefined
        ? fail("GetFileAttributesW", win32Error.ERROR_FILE_NOT_FOUND)
        : ok(file.attributes);
    },
    setFileAttributes(path, attributes) {
      log.push(`SetFileAttributesW(${path}, 0x${attributes.toString(16)})`);
      const file = fileAt(path);
      if (file === undefined) return fail("SetFileAttributesW", win32Error.ERROR_FILE_NOT_FOUND);
      file.attributes = attributes;
      return ok(undefined);
    },
    deleteFile(path) {
      log.push(`DeleteFileW(${path})`);
      const file = fileAt(path);
      if (file === undefined) return fail("DeleteFileW", win32Error.ERROR_FILE_NOT_FOUND);
      if ((file.attributes & fileAttribute.READONLY) !== 0) {
        return fail("DeleteFileW", win32Error.ERROR_ACCESS_DENIED);
      }
      if (runningImage(path)) {
        return fail("DeleteFileW", file.inUseError ?? win32Error.ERROR_SHARING_VIOLATION);
      }
      if (!file.staysAfterDelete) host.files.delete(key(path));
      return ok(undefined);
    },
    moveFileDelayUntilReboot(path) {
      log.push(`MoveFileExW(${path}, NULL, MOVEFILE_DELAY_UNTIL_REBOOT)`);
      if (!host.admin) return fail("MoveFileExW", win32Error.ERROR_ACCESS_DENIED);
      if (!host.scheduleDropped) {
        host.pendingRenames = [...host.pendingRenames ?? [], {
          source: ntObjectPath(path),
          target: "",
        }];
      }
      return ok(undefined);
    },
    pendingFileRenameOperations() {
      log.push("RegGetValueW(PendingFileRenameOperations)");
      if (host.pendingRenamesError !== undefined) {
        return fail("RegGetValueW", host.pendingRenamesError);
      }
      return ok(host.pendingRenames && encodePendingRenames(host.pendingRenames));
    },
    driveType(root) {
      return host.remoteRoots.has(root.toUpperCase()) ? fileApi.DRIVE_REMOTE : 3;
    },
    openProcess(pid) {
      log.push(`OpenProcess(${pid})`);
      const process = host.processes.get(pid);
      if (process === undefined || !process.alive) {
        return fail("OpenProcess", win32Error.ERROR_INVALID_PARAMETER);
      }
      return ok(processHandle(pid, process));
    },
    close() {},
  };
}
