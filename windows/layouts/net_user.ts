/**
 * Byte layouts of the Network Management (netapi32.dll) account structures
 * iocscan reads on 64-bit Windows, with their pure decoders: `USER_INFO_3`
 * (what `NetUserEnum` level 3 gives for each account), `USER_INFO_4` (what
 * `NetUserGetInfo` level 4 adds: the SID) and `LOCALGROUP_USERS_INFO_0`
 * (`NetUserGetLocalGroups`). Offsets are in bytes for the x64 ABI (pointers
 * 8 bytes and 8-byte aligned). The strings are pointers into the buffer the
 * API allocates: the decoders read them through {@linkcode NativeMemory}.
 *
 * @module
 */
import type { NativeMemory } from "./dns_cache_records.ts";

/**
 * `USER_INFO_3`; 184 bytes. Checked against
 * https://learn.microsoft.com/windows/win32/api/lmaccess/ns-lmaccess-user_info_3
 * (member order) with the x64 rules (8-byte pointers, 8-byte aligned):
 * name 0, password 8, password_age 16, priv 20, home_dir 24, comment 32,
 * flags 40 (4 bytes padding), script_path 48, auth_flags 56 (padding),
 * full_name 64, usr_comment 72, parms 80, workstations 88, last_logon 96,
 * last_logoff 100, acct_expires 104, max_storage 108, units_per_week 112
 * (padding), logon_hours 120, bad_pw_count 128, num_logons 132,
 * logon_server 136, country_code 144, code_page 148, user_id 152,
 * primary_group_id 156, profile 160, home_dir_drive 168,
 * password_expired 176, padded to 184.
 */
export const UserInfo3 = {
  size: 184,
  name: 0,
  passwordAge: 16,
  homeDir: 24,
  comment: 32,
  flags: 40,
  scriptPath: 48,
  fullName: 64,
  lastLogon: 96,
  userId: 152,
  primaryGroupId: 156,
  profile: 160,
} as const;

/**
 * `USER_INFO_4`: as `USER_INFO_3` up to `usri4_code_page` (148), then
 * `PSID usri4_user_sid` at 152 in `usri3_user_id`'s place, primary_group_id
 * 160, profile 168, home_dir_drive 176, password_expired 184, padded to 192
 * (https://learn.microsoft.com/windows/win32/api/lmaccess/ns-lmaccess-user_info_4).
 */
export const UserInfo4 = { size: 192, userSid: 152 } as const;

/**
 * `LOCALGROUP_USERS_INFO_0`: one `LPWSTR lgrui0_name`, 8 bytes on x64
 * (https://learn.microsoft.com/windows/win32/api/lmaccess/ns-lmaccess-localgroup_users_info_0).
 */
export const LocalGroupUsersInfo0 = { size: 8, name: 0 } as const;

/** The `usri3_flags` bits iocscan reads. */
export const UserFlags = {
  accountDisable: 0x0002,
  lockout: 0x0010,
  passwordNotRequired: 0x0020,
} as const;

/** The `level`, `filter` and flag values of the calls. */
export const NetUserCall = {
  enumLevel: 3,
  sidLevel: 4,
  filterNormalAccount: 0x0002,
  groupsLevel: 0,
  includeIndirect: 0x0001,
  maxPreferredLength: 0xffffffff,
  errorMoreData: 234,
} as const;

/** The longest string read from an account (names are 20 characters; comments may be longer). */
export const maxAccountTextChars = 4096;

/** One decoded `USER_INFO_3`. */
export interface UserInfo3Record {
  readonly name: string;
  readonly passwordAgeSeconds: number;
  readonly homeDir: string;
  readonly comment: string;
  readonly flags: number;
  readonly scriptPath: string;
  readonly fullName: string;
  /** Seconds since 1970; 0 when unknown. */
  readonly lastLogon: number;
  readonly rid: number;
  readonly profile: string;
}

function text(memory: NativeMemory, view: DataView, offset: number): string {
  return memory.wideString(view.getBigUint64(offset, true), maxAccountTextChars) ?? "";
}

/** Decodes `count` `USER_INFO_3` records at `pointer`; records without a name are left out. */
export function decodeUserInfo3Array(
  memory: NativeMemory,
  pointer: bigint,
  count: number,
): UserInfo3Record[] {
  const records: UserInfo3Record[] = [];
  const bytes = memory.bytes(pointer, count * UserInfo3.size);
  if (bytes === undefined) return records;
  for (let index = 0; index < count; index++) {
    const view = new DataView(
      bytes.buffer,
      bytes.byteOffset + index * UserInfo3.size,
      UserInfo3.size,
    );
    const name = text(memory, view, UserInfo3.name);
    if (name === "") continue;
    records.push({
      name,
      passwordAgeSeconds: view.getUint32(UserInfo3.passwordAge, true),
      homeDir: text(memory, view, UserInfo3.homeDir),
      comment: text(memory, view, UserInfo3.comment),
      flags: view.getUint32(UserInfo3.flags, true),
      scriptPath: text(memory, view, UserInfo3.scriptPath),
      fullName: text(memory, view, UserInfo3.fullName),
      lastLogon: view.getUint32(UserInfo3.lastLogon, true),
      rid: view.getUint32(UserInfo3.userId, true),
      profile: text(memory, view, UserInfo3.profile),
    });
  }
  return records;
}

/** The `PSID` of a `USER_INFO_4` at `pointer`. */
export function userSidPointer(memory: NativeMemory, pointer: bigint): bigint | undefined {
  const bytes = memory.bytes(pointer, UserInfo4.size);
  if (bytes === undefined) return undefined;
  return new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(UserInfo4.userSid, true);
}

/** A binary SID (`SID`: revision, count, 6-byte authority, sub-authorities) as `S-1-…` text. */
export function decodeSid(memory: NativeMemory, pointer: bigint): string | undefined {
  const head = memory.bytes(pointer, 8);
  if (head === undefined || head[0] !== 1) return undefined;
  const count = head[1]!;
  const bytes = memory.bytes(pointer, 8 + 4 * count);
  if (bytes === undefined) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let authority = 0;
  for (let index = 2; index < 8; index++) authority = authority * 256 + bytes[index]!;
  const subs = Array.from({ length: count }, (_, i) => view.getUint32(8 + 4 * i, true));
  return ["S", 1, authority, ...subs].join("-");
}

/** Decodes `count` `LOCALGROUP_USERS_INFO_0` names at `pointer`. */
export function decodeLocalGroupNames(
  memory: NativeMemory,
  pointer: bigint,
  count: number,
): string[] {
  const bytes = memory.bytes(pointer, count * LocalGroupUsersInfo0.size);
  if (bytes === undefined) return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const names: string[] = [];
  for (let index = 0; index < count; index++) {
    const name = text(memory, view, index * LocalGroupUsersInfo0.size);
    if (name !== "") names.push(name);
  }
  return names;
}
