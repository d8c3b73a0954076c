/**
 * The Linux accounts: `/etc/passwd` with `/etc/group` for group lists,
 * `/etc/shadow` when readable (root) for disabled, locked, password needed
 * and password age, and the last login from `/var/log/lastlog` (one slot per
 * uid, read at its place) or else `/var/log/wtmp` (its last part). Every file
 * is opened without blocking, regular files only, each read bounded; a root
 * folder other than `/` reads the same files below it (a mounted Linux image,
 * or a test's folder).
 *
 * @module
 */
import { join } from "node:path";
import { openEvidenceFile } from "../evidence_file.ts";
import type { TableRead, TableSource, TableWarning } from "../net_table/mod.ts";
import {
  type GroupEntry,
  parseGroup,
  parsePasswd,
  parseShadow,
  passwordState,
  secondsPerDay,
  type ShadowEntry,
} from "./etc_files.ts";
import {
  decodeLastlogEntry,
  lastlogRecordSize,
  latestLogins,
  utmpRecordSize,
} from "./login_records.ts";
import type { UserAccount, UserFactField } from "./user_account.ts";

/** How the Linux source is named in stats and skips. */
export const linuxUserSourceName = "/etc/passwd";
/** The largest account file read (a passwd of 16 MiB holds ~200 000 accounts). */
export const maxAccountFileBytes = 16 * 1024 * 1024;
/** How much of the end of wtmp is read (its latest records). */
export const maxWtmpTailBytes = 64 * 1024 * 1024;

/** Where the Linux files are, below the root. */
const files = {
  passwd: "etc/passwd",
  group: "etc/group",
  shadow: "etc/shadow",
  lastlog: "var/log/lastlog",
  wtmp: "var/log/wtmp",
} as const;

/** How the Linux source is made. */
export interface LinuxUserSourceOptions {
  /** The folder holding `etc/` and `var/log/`; `/` by default. */
  readonly root?: string;
  /** The clock, for password ages (tests fix it). */
  readonly now?: () => Date;
}

type FileRead =
  | {
    ok: true;
    bytes: Uint8Array; /** Its start was not read (the file is past the cap). */
    cut?: boolean;
  }
  | { ok: false; detail: string };

function readWhole(path: string, maxSize: number, kind: string): FileRead {
  const opened = openEvidenceFile(path, { maxSize, kind });
  if (!("readAt" in opened)) return { ok: false, detail: `${opened.reason}: ${opened.detail}` };
  try {
    const bytes = new Uint8Array(opened.size);
    return { ok: true, bytes: bytes.subarray(0, opened.readAt(bytes, 0)) };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    opened.close();
  }
}

function readTail(path: string, maxBytes: number): FileRead {
  const opened = openEvidenceFile(path);
  if (!("readAt" in opened)) return { ok: false, detail: `${opened.reason}: ${opened.detail}` };
  try {
    const start = Math.max(0, opened.size - maxBytes);
    // Keep whole records: start on a record boundary.
    const aligned = Math.ceil(start / utmpRecordSize) * utmpRecordSize;
    const bytes = new Uint8Array(opened.size - Math.min(aligned, opened.size));
    return { ok: true, bytes: bytes.subarray(0, opened.readAt(bytes, aligned)), cut: aligned > 0 };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    opened.close();
  }
}

/** Reads the lastlog slots of `uids` (the file is sparse: each slot is read at its place). */
function readLastlog(path: string, uids: readonly number[]): Map<number, number> | string {
  const opened = openEvidenceFile(path);
  if (!("readAt" in opened)) return `${opened.reason}: ${opened.detail}`;
  try {
    const times = new Map<number, number>();
    const slot = new Uint8Array(lastlogRecordSize);
    for (const uid of new Set(uids)) {
      const at = uid * lastlogRecordSize;
      if (at + lastlogRecordSize > opened.size) continue;
      if (opened.readAt(slot, at) !== lastlogRecordSize) continue;
      const entry = decodeLastlogEntry(slot);
      if (entry !== undefined && entry.time > 0) times.set(uid, entry.time);
    }
    return times;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    opened.close();
  }
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** The Linux accounts of `/etc/passwd`, with groups, shadow state and last logins. */
export function linuxUserSource(options: LinuxUserSourceOptions = {}): TableSource<UserAccount> {
  const root = options.root ?? "/";
  const now = options.now ?? (() => new Date());
  return {
    name: linuxUserSourceName,
    read(): Promise<TableRead<UserAccount>> {
      return Promise.resolve(readAccounts(root, now()));
    },
  };
}

function readAccounts(root: string, now: Date): TableRead<UserAccount> {
  const passwdPath = join(root, files.passwd);
  const passwdRead = readWhole(passwdPath, maxAccountFileBytes, "account file");
  if (!passwdRead.ok) return { ok: false, object: passwdPath, detail: passwdRead.detail };
  const warnings: TableWarning[] = [];
  const passwd = parsePasswd(text(passwdRead.bytes));
  if (passwd.malformed > 0) {
    warnings.push({
      code: "user-malformed-line",
      message: `${passwdPath}: ${passwd.malformed} lines are not passwd entries (left out)`,
    });
  }

  const groupPath = join(root, files.group);
  const groupRead = readWhole(groupPath, maxAccountFileBytes, "account file");
  const groups: readonly GroupEntry[] = groupRead.ok
    ? parseGroup(text(groupRead.bytes)).entries
    : [];
  const groupsMissing = groupRead.ok ? undefined : `${groupPath} not read: ${groupRead.detail}`;

  const shadowPath = join(root, files.shadow);
  const shadowRead = readWhole(shadowPath, maxAccountFileBytes, "account file");
  const shadow = new Map<string, ShadowEntry>();
  if (shadowRead.ok) {
    for (const entry of parseShadow(text(shadowRead.bytes)).entries) shadow.set(entry.name, entry);
  }
  const shadowMissing = shadowRead.ok ? undefined : `${shadowPath} not read: ${shadowRead.detail}`;

  const lastlog = readLastlog(join(root, files.lastlog), passwd.entries.map((e) => e.uid));
  const wtmpPath = join(root, files.wtmp);
  const wtmpRead = readTail(wtmpPath, maxWtmpTailBytes);
  const wtmp = wtmpRead.ok ? latestLogins(wtmpRead.bytes) : undefined;
  const wtmpCut = wtmpRead.ok && wtmpRead.cut === true;
  const loginMissing = typeof lastlog === "string" && wtmp === undefined
    ? `neither ${join(root, files.lastlog)} (${lastlog}) nor ${wtmpPath} (${
      wtmpRead.ok ? "" : wtmpRead.detail
    }) could be read`
    : undefined;

  const today = Math.floor(now.getTime() / 1000 / secondsPerDay);
  const rows = passwd.entries.map((entry): UserAccount => {
    const missing: Partial<Record<UserFactField, string>> = {
      SecurityType: "a Linux account has a uid, not a SID with a type",
      scriptpath: "Linux accounts have no logon script",
    };
    const memberOf = groups.filter((group) =>
      group.gid === entry.gid || group.members.includes(entry.name)
    ).map((group) => group.name);
    if (groupsMissing) missing["grouplist/groupname"] = groupsMissing;

    const shadowEntry = shadow.get(entry.name);
    let shadowFacts: Partial<UserAccount> = {};
    if (shadowEntry === undefined) {
      const reason = shadowMissing ?? `${entry.name} has no line in ${shadowPath}`;
      for (
        const field of ["disabled", "lockedout", "passwordrequired", "userpasswordage"] as const
      ) {
        missing[field] = reason;
      }
    } else {
      const state = passwordState(shadowEntry.password);
      const expired = shadowEntry.expire !== undefined && shadowEntry.expire <= today;
      shadowFacts = {
        disabled: expired || (state.noPasswordLogin && !state.locked),
        lockedOut: state.locked,
        passwordRequired: state.passwordRequired,
      };
      if (shadowEntry.lastChange === undefined) {
        missing.userpasswordage = "the shadow entry has no date of last change";
      } else if (shadowEntry.lastChange === 0) {
        missing.userpasswordage = "the password must be changed at next login (lastchg 0)";
      } else {
        shadowFacts = {
          ...shadowFacts,
          passwordAgeSeconds: Math.max(
            0,
            Math.floor(now.getTime() / 1000) - shadowEntry.lastChange * secondsPerDay,
          ),
        };
      }
    }

    const lastSeconds = (typeof lastlog === "string" ? undefined : lastlog.get(entry.uid)) ??
      wtmp?.get(entry.name);
    if (loginMissing) missing.LastLogin = loginMissing;
    else if (lastSeconds === undefined && typeof lastlog === "string" && wtmpCut) {
      // Without lastlog, wtmp's older part may hold the login: "never" is not known.
      missing.LastLogin = `${join(root, files.lastlog)} not read (${lastlog}) and ${wtmpPath} ` +
        `read only in its last ${maxWtmpTailBytes} bytes, which hold no login of this user`;
    }

    return {
      username: entry.name,
      securityId: String(entry.uid),
      ...(entry.fullName === "" ? {} : { fullName: entry.fullName }),
      ...(entry.gecosRest.replaceAll(",", "") === "" ? {} : { description: entry.gecosRest }),
      homeDirectory: entry.home,
      ...(lastSeconds === undefined
        ? {}
        : { lastLogin: new Date(lastSeconds * 1000).toISOString() }),
      ...shadowFacts,
      ...(groupsMissing ? {} : { groups: memberOf }),
      missing,
    };
  });
  return { ok: true, rows, warnings };
}
