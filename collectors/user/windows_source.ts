/**
 * The Windows accounts: `NetUserEnum` level 3 (normal accounts), the SID of
 * each from `NetUserGetInfo` level 4, and its local groups (direct and
 * through global groups) from `NetUserGetLocalGroups`, over netapi32 FFI.
 * The structures are decoded by windows/layouts/net_user.ts, tested on bytes
 * built by code; the account logic ({@linkcode accountOfUserInfo}) on
 * decoded records. On a domain controller `NetUserEnum` lists the whole
 * domain: reading stops one past the collector's cap, with a warning that
 * says so.
 *
 * **Not yet run on Windows**: this file was written against the documented
 * signatures and x64 layouts, and is only type-checked here.
 *
 * @module
 */
import {
  decodeLocalGroupNames,
  decodeSid,
  decodeUserInfo3Array,
  NetUserCall,
  UserFlags,
  type UserInfo3Record,
  userSidPointer,
} from "../../windows/layouts/mod.ts";
import { pointerMemory } from "../dns/mod.ts";
import type { TableRead, TableSource, TableWarning } from "../net_table/mod.ts";
import { liveMounts } from "../registry/mod.ts";
import { mergeProfiles, profileListOf } from "./profile_list.ts";
import type { UserAccount } from "./user_account.ts";

/** How the Windows source is named in stats and skips. */
export const windowsUserSourceName = "NetUserEnum";
/** The most accounts listed before reading stops (one past the collector's cap of 1000). */
export const maxListedAccounts = 1001;

const symbols = {
  NetUserEnum: {
    parameters: ["pointer", "u32", "u32", "buffer", "u32", "buffer", "buffer", "buffer"],
    result: "u32",
  },
  NetUserGetInfo: { parameters: ["pointer", "buffer", "u32", "buffer"], result: "u32" },
  NetUserGetLocalGroups: {
    parameters: ["pointer", "buffer", "u32", "u32", "buffer", "u32", "buffer", "buffer"],
    result: "u32",
  },
  NetApiBufferFree: { parameters: ["pointer"], result: "u32" },
} as const;

type NetApi = Deno.DynamicLibrary<typeof symbols>["symbols"];

/** The account of a decoded `USER_INFO_3`, its SID and its local groups. */
export function accountOfUserInfo(
  record: UserInfo3Record,
  sid: string | undefined,
  groups: readonly string[] | string,
): UserAccount {
  return {
    username: record.name,
    ...(sid === undefined ? {} : { securityId: sid }),
    securityType: "SidTypeUser",
    fullName: record.fullName,
    description: record.comment,
    homeDirectory: record.homeDir !== "" ? record.homeDir : record.profile,
    scriptPath: record.scriptPath,
    ...(record.lastLogon === 0
      ? {}
      : { lastLogin: new Date(record.lastLogon * 1000).toISOString() }),
    disabled: (record.flags & UserFlags.accountDisable) !== 0,
    lockedOut: (record.flags & UserFlags.lockout) !== 0,
    passwordRequired: (record.flags & UserFlags.passwordNotRequired) === 0,
    passwordAgeSeconds: record.passwordAgeSeconds,
    ...(typeof groups === "string" ? {} : { groups }),
    missing: {
      ...(sid === undefined ? { SecurityID: "NetUserGetInfo gave no SID" } : {}),
      ...(typeof groups === "string" ? { "grouplist/groupname": groups } : {}),
    },
  };
}

function wide(text: string): Uint16Array {
  const units = new Uint16Array(text.length + 1);
  for (let index = 0; index < text.length; index++) units[index] = text.charCodeAt(index);
  return units;
}

function withBuffer<T>(api: NetApi, out: BigUint64Array, use: (pointer: bigint) => T): T {
  try {
    return use(out[0]!);
  } finally {
    if (out[0] !== 0n) api.NetApiBufferFree(Deno.UnsafePointer.create(out[0]!));
  }
}

function sidOf(api: NetApi, name: string): string | undefined {
  const out = new BigUint64Array(1);
  if (api.NetUserGetInfo(null, wide(name), NetUserCall.sidLevel, out) !== 0) return undefined;
  return withBuffer(api, out, (pointer) => {
    const sid = userSidPointer(pointerMemory, pointer);
    return sid === undefined || sid === 0n ? undefined : decodeSid(pointerMemory, sid);
  });
}

function groupsOf(api: NetApi, name: string): string[] | string {
  const out = new BigUint64Array(1);
  const read = new Uint32Array(1);
  const total = new Uint32Array(1);
  const status = api.NetUserGetLocalGroups(
    null,
    wide(name),
    NetUserCall.groupsLevel,
    NetUserCall.includeIndirect,
    out,
    NetUserCall.maxPreferredLength,
    read,
    total,
  );
  if (status !== 0) return `NetUserGetLocalGroups failed with error ${status}`;
  return withBuffer(api, out, (pointer) => decodeLocalGroupNames(pointerMemory, pointer, read[0]!));
}

/**
 * The accounts of this computer (or of the domain, on a domain controller), with the accounts of
 * the live registry's ProfileList that it does not list (domain accounts that logged on).
 */
export function windowsUserSource(): TableSource<UserAccount> {
  return {
    name: windowsUserSourceName,
    read(signal): Promise<TableRead<UserAccount>> {
      let api: NetApi;
      try {
        api = Deno.dlopen("netapi32.dll", symbols).symbols;
      } catch (error) {
        return Promise.resolve({
          ok: false,
          object: windowsUserSourceName,
          detail: `netapi32.dll could not be loaded: ${(error as Error).message}`,
        });
      }
      const records: UserInfo3Record[] = [];
      const resume = new Uint32Array(1);
      const warnings: TableWarning[] = [];
      for (;;) {
        if (signal?.aborted) break;
        const out = new BigUint64Array(1);
        const read = new Uint32Array(1);
        const total = new Uint32Array(1);
        const status = api.NetUserEnum(
          null,
          NetUserCall.enumLevel,
          NetUserCall.filterNormalAccount,
          out,
          NetUserCall.maxPreferredLength,
          read,
          total,
          resume,
        );
        if (status !== 0 && status !== NetUserCall.errorMoreData) {
          if (out[0] !== 0n) api.NetApiBufferFree(Deno.UnsafePointer.create(out[0]!));
          return Promise.resolve({
            ok: false,
            object: windowsUserSourceName,
            detail: `NetUserEnum failed with error ${status}`,
          });
        }
        withBuffer(api, out, (pointer) => {
          records.push(...decodeUserInfo3Array(pointerMemory, pointer, read[0]!));
        });
        if (records.length >= maxListedAccounts) {
          warnings.push({
            code: "user-domain-cap",
            message: `NetUserEnum lists more than ${
              maxListedAccounts - 1
            } accounts (on a domain controller it lists the whole domain): only the first ${
              maxListedAccounts - 1
            } are read`,
          });
          break;
        }
        if (status === 0) break;
      }
      const listed = records.slice(0, maxListedAccounts).map((record) =>
        accountOfUserInfo(record, sidOf(api, record.name), groupsOf(api, record.name))
      );
      const mounts = liveMounts(64);
      const software = typeof mounts === "string"
        ? undefined
        : mounts.find((mount) => mount.role === "SOFTWARE");
      if (software === undefined) {
        warnings.push({
          code: "user-profile-list-unread",
          message: `ProfileList not read (${
            typeof mounts === "string" ? mounts : "no SOFTWARE hive"
          }): accounts that logged on but are not local are not listed`,
        });
      }
      const rows = software
        ? mergeProfiles(listed, profileListOf(software), "NetUserEnum")
        : listed;
      return Promise.resolve({ ok: true, rows, warnings });
    },
  };
}
