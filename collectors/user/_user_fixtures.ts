/**
 * Fixtures for the user collector's tests, built with code: a Linux root
 * folder (`etc/passwd`, `etc/group`, `etc/shadow`, `var/log/lastlog`,
 * `var/log/wtmp`), and SAM and SOFTWARE hives with accounts laid out as
 * Windows writes their `F` and `V` values.
 *
 * @module
 */
import { join } from "node:path";
import { buildHive, type BuildKey, utf16z, ValueType } from "../../formats/regf/mod.ts";
import { lastlogRecordSize, utmpRecordSize, utmpUserProcess } from "./login_records.ts";

/** 2026-12-01T00:00:00Z, the fixtures' "now". */
export const fixtureNow = new Date("2026-12-01T00:00:00Z");
/** The machine SID of the fixture SAM. */
export const fixtureMachineSid = "S-1-5-21-111-222-333";

/** A lastlog slot. */
export function lastlogSlot(time: number, line: string, host: string): Uint8Array {
  const bytes = new Uint8Array(lastlogRecordSize);
  new DataView(bytes.buffer).setUint32(0, time, true);
  bytes.set(new TextEncoder().encode(line), 4);
  bytes.set(new TextEncoder().encode(host), 36);
  return bytes;
}

/** A utmp record. */
export function utmpRecord(type: number, user: string, seconds: number): Uint8Array {
  const bytes = new Uint8Array(utmpRecordSize);
  const view = new DataView(bytes.buffer);
  view.setInt16(0, type, true);
  bytes.set(new TextEncoder().encode("pts/0"), 8);
  bytes.set(new TextEncoder().encode(user), 44);
  view.setUint32(340, seconds, true);
  return bytes;
}

const day = (iso: string) => Math.floor(Date.parse(iso) / 86_400_000);

/**
 * A Linux root in a new temporary folder: alice (locked, lastlog login),
 * bob (no password needed, wtmp login), svc (`*`: no password login), carol
 * (expired), and a NIS line and a broken line that are not accounts.
 */
export async function buildLinuxRoot(options: { shadow?: boolean } = {}): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "iocscan-users-" });
  await Deno.mkdir(join(root, "etc"));
  await Deno.mkdir(join(root, "var/log"), { recursive: true });
  await Deno.writeTextFile(
    join(root, "etc/passwd"),
    [
      "root:x:0:0:root:/root:/bin/bash",
      "alice:x:1000:1000:Alice Liddell,Room 1,555-1:/home/alice:/bin/bash",
      "bob:x:1001:1001::/home/bob:/bin/sh",
      "svc:x:998:998:Service:/var/lib/svc:/usr/sbin/nologin",
      "carol:x:1002:1002:Carol:/home/carol:/bin/bash",
      "+@nis::::::",
      "broken line",
      "",
    ].join("\n"),
  );
  await Deno.writeTextFile(
    join(root, "etc/group"),
    [
      "root:x:0:",
      "alice:x:1000:",
      "bob:x:1001:",
      "svc:x:998:",
      "carol:x:1002:",
      "sudo:x:27:alice,bob",
      "docker:x:999:bob",
    ].join("\n") + "\n",
  );
  if (options.shadow !== false) {
    await Deno.writeTextFile(
      join(root, "etc/shadow"),
      [
        `root:$y$j9T$salt$hash:${day("2026-11-01")}:0:99999:7:::`,
        `alice:!$6$salt$hash:${day("2026-11-21")}:0:99999:7:::`,
        `bob::${day("2026-11-30")}:0:99999:7:::`,
        `svc:*:${day("2026-01-01")}:0:99999:7:::`,
        `carol:$6$salt$hash:0:0:99999:7::${day("2026-06-01")}:`,
      ].join("\n") + "\n",
    );
    await Deno.chmod(join(root, "etc/shadow"), 0o600);
  }
  const lastlog = new Uint8Array(1001 * lastlogRecordSize);
  lastlog.set(
    lastlogSlot(Date.parse("2026-11-20T08:00:00Z") / 1000, "pts/1", "10.9.9.9"),
    1000 * lastlogRecordSize,
  );
  await Deno.writeFile(join(root, "var/log/lastlog"), lastlog);
  const wtmp = [
    utmpRecord(utmpUserProcess, "bob", Date.parse("2026-11-28T10:00:00Z") / 1000),
    utmpRecord(8, "bob", Date.parse("2026-11-29T10:00:00Z") / 1000),
    utmpRecord(utmpUserProcess, "bob", Date.parse("2026-11-27T10:00:00Z") / 1000),
  ];
  const wtmpBytes = new Uint8Array(wtmp.length * utmpRecordSize);
  wtmp.forEach((record, index) => wtmpBytes.set(record, index * utmpRecordSize));
  await Deno.writeFile(join(root, "var/log/wtmp"), wtmpBytes);
  return root;
}

/** FILETIME ticks of an ISO time. */
export function filetime(iso: string): bigint {
  return BigInt(Date.parse(iso)) * 10_000n + 116_444_736_000_000_000n;
}

/** One account of the fixture SAM. */
export interface SamFixtureAccount {
  readonly rid: number;
  readonly name: string;
  readonly fullName?: string;
  readonly comment?: string;
  readonly homeDirectory?: string;
  readonly scriptPath?: string;
  readonly lastLogin?: string;
  readonly passwordLastSet?: string;
  readonly flags: number;
}

/** An `F` value as Windows writes it (0x50 bytes). */
export function samFixed(account: SamFixtureAccount): Uint8Array {
  const bytes = new Uint8Array(0x50);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 2, true);
  if (account.lastLogin) view.setBigUint64(0x08, filetime(account.lastLogin), true);
  if (account.passwordLastSet) view.setBigUint64(0x18, filetime(account.passwordLastSet), true);
  view.setBigUint64(0x20, 0x7fff_ffff_ffff_ffffn, true);
  view.setUint32(0x30, account.rid, true);
  view.setUint32(0x34, 0x201, true);
  view.setUint16(0x38, account.flags, true);
  return bytes;
}

/** A `V` value: the 0xCC-byte table of (offset, length, 0), then the UTF-16 strings. */
export function samVariable(account: SamFixtureAccount): Uint8Array {
  const texts: [number, string][] = [
    [1, account.name],
    [2, account.fullName ?? ""],
    [3, account.comment ?? ""],
    [6, account.homeDirectory ?? ""],
    [8, account.scriptPath ?? ""],
  ];
  const parts: Uint8Array[] = [];
  const header = new Uint8Array(0xcc);
  const view = new DataView(header.buffer);
  let offset = 0;
  for (const [index, text] of texts) {
    const data = utf16z(text).subarray(0, text.length * 2);
    view.setUint32(index * 12, offset, true);
    view.setUint32(index * 12 + 4, data.byteLength, true);
    parts.push(data);
    offset += data.byteLength + ((4 - (data.byteLength % 4)) % 4);
    if (data.byteLength % 4 !== 0) parts.push(new Uint8Array(4 - (data.byteLength % 4)));
  }
  const total = new Uint8Array(0xcc + offset);
  total.set(header);
  let at = 0xcc;
  for (const part of parts) {
    total.set(part, at);
    at += part.byteLength;
  }
  return total;
}

/** The `V` of `SAM\Domains\Account`: padding, then the machine SID in binary. */
export function accountDomainV(sid: string): Uint8Array {
  const [, , , ...subs] = sid.split("-").map(Number);
  const bytes = new Uint8Array(0x30 + 24);
  bytes.set([1, 4, 0, 0, 0, 0, 0, 5], 0x30);
  const view = new DataView(bytes.buffer);
  subs.forEach((sub, index) => view.setUint32(0x38 + 4 * index, sub!, true));
  return bytes;
}

/** The fixture SAM's accounts. */
export const samAccounts: readonly SamFixtureAccount[] = [
  {
    rid: 500,
    name: "Administrator",
    comment: "Built-in account for administering the computer/domain",
    lastLogin: "2026-11-02T03:04:05Z",
    flags: 0x0211,
  },
  {
    rid: 1001,
    name: "evil_admin",
    fullName: "Evil Admin",
    scriptPath: "logon.bat",
    flags: 0x0214,
  },
];

/** A SAM hive with `accounts`, as bytes. */
export function buildSam(accounts: readonly SamFixtureAccount[] = samAccounts): Uint8Array {
  const bin = (data: Uint8Array, name: string) => ({ name, type: ValueType.REG_BINARY, data });
  const users: BuildKey = {
    name: "Users",
    subkeys: [
      ...accounts.map((account) => ({
        name: account.rid.toString(16).toUpperCase().padStart(8, "0"),
        values: [bin(samFixed(account), "F"), bin(samVariable(account), "V")],
      })),
      {
        name: "Names",
        subkeys: accounts.map((account) => ({ name: account.name })),
      },
    ],
  };
  return buildHive({
    name: "ROOT",
    subkeys: [{
      name: "SAM",
      subkeys: [{
        name: "Domains",
        subkeys: [{
          name: "Account",
          values: [bin(accountDomainV(fixtureMachineSid), "V")],
          subkeys: [users],
        }],
      }],
    }],
  }).bytes;
}

/** A domain account that logged on: in ProfileList, not in the SAM. */
export const fixtureDomainUserSid = "S-1-5-21-9-8-7-1105";

function profile(sid: string, path: string): BuildKey {
  return {
    name: sid,
    values: [{ name: "ProfileImagePath", type: ValueType.REG_EXPAND_SZ, data: utf16z(path) }],
  };
}

/**
 * A SOFTWARE hive whose ProfileList gives evil_admin a profile folder, holds a domain account
 * that logged on (not in the SAM) and the SYSTEM account's profile (a well-known SID).
 */
export function buildSoftwareWithProfiles(): Uint8Array {
  return buildHive({
    name: "ROOT",
    subkeys: [{
      name: "Microsoft",
      subkeys: [{
        name: "Windows NT",
        subkeys: [{
          name: "CurrentVersion",
          subkeys: [{
            name: "ProfileList",
            subkeys: [
              profile(`${fixtureMachineSid}-1001`, "C:\\Users\\evil_admin"),
              profile(fixtureDomainUserSid, "C:\\Users\\dom_user"),
              profile("S-1-5-18", "%systemroot%\\system32\\config\\systemprofile"),
            ],
          }],
        }],
      }],
    }],
  }).bytes;
}
