/**
 * Pure parsers of the Linux account files: `/etc/passwd`, `/etc/group` and
 * `/etc/shadow` (passwd(5), group(5), shadow(5)). Lines that do not have the
 * file's fields are counted as malformed, never guessed at; a passwd line is
 * read as glibc reads it (a line getpwnam() returns is an account, even with
 * a colon in its shell); the contents may have been shaped by an attacker
 * and are only ever read as text.
 *
 * @module
 */

/** One `/etc/passwd` line. */
export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  /** The GECOS field's first part (the full name). */
  readonly fullName: string;
  /** The rest of the GECOS field (room, phones, other), comma-separated as written. */
  readonly gecosRest: string;
  readonly home: string;
  readonly shell: string;
}

/** One `/etc/group` line. */
export interface GroupEntry {
  readonly name: string;
  readonly gid: number;
  readonly members: readonly string[];
}

/** One `/etc/shadow` line. */
export interface ShadowEntry {
  readonly name: string;
  /** The password field as written (`!`, `*`, `!$6$…`, `$y$…`, empty). */
  readonly password: string;
  /** Days since 1970-01-01 of the last change; 0 means "change at next login"; undefined when empty. */
  readonly lastChange?: number;
  /** Days since 1970-01-01 when the account expires; undefined when empty. */
  readonly expire?: number;
}

/** Parsed lines, with the count of lines that were not entries. */
export interface Parsed<Entry> {
  readonly entries: readonly Entry[];
  readonly malformed: number;
}

/**
 * The fields a passwd line needs as glibc reads it (nss_files): name,
 * password, uid, gid; gecos and home may be left off, and the shell is the
 * rest of the line (colons included).
 */
const passwdMinFields = 4;
/** The field the shell starts at. */
const passwdShellField = 6;
const groupFields = 4;
const shadowMinFields = 8;

function lines(text: string): string[] {
  return text.split("\n").map((line) => line.replace(/\r$/, "")).filter((line) =>
    line.trim() !== "" && !line.startsWith("#")
  );
}

function id(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,10}$/.test(text)) return undefined;
  const value = Number(text);
  return value <= 0xffffffff ? value : undefined;
}

function day(text: string | undefined): number | undefined {
  return text === undefined || !/^\d{1,9}$/.test(text) ? undefined : Number(text);
}

/** Parses `/etc/passwd`; NIS `+`/`-` lines count as malformed (no local account). */
export function parsePasswd(text: string): Parsed<PasswdEntry> {
  const entries: PasswdEntry[] = [];
  let malformed = 0;
  for (const line of lines(text)) {
    const parts = line.split(":");
    const uid = id(parts[2]);
    const gid = id(parts[3]);
    const name = parts[0] ?? "";
    if (
      parts.length < passwdMinFields || name === "" || /^[+-]/.test(name) || uid === undefined ||
      gid === undefined
    ) {
      malformed++;
      continue;
    }
    const [fullName = "", ...rest] = (parts[4] ?? "").split(",");
    entries.push({
      name,
      uid,
      gid,
      fullName,
      gecosRest: rest.join(","),
      home: parts[5] ?? "",
      shell: parts.slice(passwdShellField).join(":"),
    });
  }
  return { entries, malformed };
}

/** Parses `/etc/group`. */
export function parseGroup(text: string): Parsed<GroupEntry> {
  const entries: GroupEntry[] = [];
  let malformed = 0;
  for (const line of lines(text)) {
    const parts = line.split(":");
    const gid = id(parts[2]);
    const name = parts[0] ?? "";
    if (parts.length !== groupFields || name === "" || gid === undefined) {
      malformed++;
      continue;
    }
    const members = (parts[3] ?? "").split(",").filter((member) => member !== "");
    entries.push({ name, gid, members });
  }
  return { entries, malformed };
}

/** Parses `/etc/shadow` (nine fields; eight are accepted, as the reserved one is often dropped). */
export function parseShadow(text: string): Parsed<ShadowEntry> {
  const entries: ShadowEntry[] = [];
  let malformed = 0;
  for (const line of lines(text)) {
    const parts = line.split(":");
    const name = parts[0] ?? "";
    if (parts.length < shadowMinFields || parts.length > shadowMinFields + 1 || name === "") {
      malformed++;
      continue;
    }
    const lastChange = day(parts[2]);
    const expire = day(parts[7]);
    entries.push({
      name,
      password: parts[1] ?? "",
      ...(lastChange === undefined ? {} : { lastChange }),
      ...(expire === undefined ? {} : { expire }),
    });
  }
  return { entries, malformed };
}

/** What a shadow password field says of an account. */
export interface PasswordState {
  /** Locked with `passwd -l`/`usermod -L`: a `!` before a hash. */
  readonly locked: boolean;
  /** No password login at all: `*`, `!`, `!!`, `!*` or any field that is no hash. */
  readonly noPasswordLogin: boolean;
  /** Whether a password is needed: false only for an empty field. */
  readonly passwordRequired: boolean;
}

/** Reads a shadow password field (shadow(5), crypt(5)). */
export function passwordState(password: string): PasswordState {
  const unlocked = password.replace(/^!+/, "");
  const isHash = unlocked.startsWith("$") || /^[./0-9A-Za-z]{13}$/.test(unlocked);
  return {
    locked: password.startsWith("!") && isHash,
    noPasswordLogin: password !== "" && !(isHash && !password.startsWith("!")),
    passwordRequired: password !== "",
  };
}

/** Seconds in a day, for shadow's day counts. */
export const secondsPerDay = 86_400;
