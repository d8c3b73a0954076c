/**
 * One account as every user source reads it (Linux `/etc/passwd`, the SAM
 * hive, `NetUserEnum`), and the `UserItem` object made of it. A fact a
 * source does not have is left out of the account and named with the reason
 * in the object's `unevaluated`: an IOC on it is undecided, never a miss.
 *
 * @module
 */
import type { ObservedItem, Provenance, Unevaluated } from "../../contracts/observed_item.ts";
import type { Observation } from "../net_table/mod.ts";

/** The document the user collector produces. */
export const userDocument = "UserItem";

/** The facts of a `UserItem` a source may lack, in catalogue spelling. */
export const userFactFields = [
  "SecurityID",
  "SecurityType",
  "fullname",
  "description",
  "homedirectory",
  "scriptpath",
  "LastLogin",
  "disabled",
  "lockedout",
  "passwordrequired",
  "userpasswordage",
  "grouplist/groupname",
] as const;

/** A fact of a `UserItem` a source may lack. */
export type UserFactField = typeof userFactFields[number];

/** One account. */
export interface UserAccount {
  /** The name as the system knows it (`root`, `Administrator`). */
  readonly username: string;
  /** The SID (Windows) or the numeric uid (Linux, as text). */
  readonly securityId?: string;
  /** `SidTypeUser` on Windows, `uid` on Linux. */
  readonly securityType?: string;
  readonly fullName?: string;
  readonly description?: string;
  readonly homeDirectory?: string;
  readonly scriptPath?: string;
  /** ISO 8601 UTC; absent when the source has it not (never "never logged on" as a date). */
  readonly lastLogin?: string;
  readonly disabled?: boolean;
  readonly lockedOut?: boolean;
  readonly passwordRequired?: boolean;
  /** Seconds since the password was last set. */
  readonly passwordAgeSeconds?: number;
  /** The names of the groups the account belongs to. */
  readonly groups?: readonly string[];
  /** Why each fact left out is missing (facts the source never has, or could not read here). */
  readonly missing: Readonly<Partial<Record<UserFactField, string>>>;
  /** Where the account was read (offline: the hive file, with the key's last-written time). */
  readonly provenance?: Provenance;
}

/**
 * The `UserItem` object of an account: the key is `name (sid)`, as an analyst
 * writes it, and the provenance the observation unless the source recorded its own.
 */
export function toUserItem(account: UserAccount, observation: Observation): ObservedItem {
  const fields: Record<string, string | number | boolean | { groupname: string[] }> = {
    Username: account.username,
  };
  const set = (name: string, value: string | number | boolean | undefined) => {
    if (value !== undefined) fields[name] = value;
  };
  set("SecurityID", account.securityId);
  set("SecurityType", account.securityType);
  set("fullname", account.fullName);
  set("description", account.description);
  set("homedirectory", account.homeDirectory);
  set("scriptpath", account.scriptPath);
  set("LastLogin", account.lastLogin);
  set("disabled", account.disabled);
  set("lockedout", account.lockedOut);
  set("passwordrequired", account.passwordRequired);
  set("userpasswordage", account.passwordAgeSeconds);
  if (account.groups !== undefined) fields.grouplist = { groupname: [...account.groups] };
  const unevaluated: Record<string, string> = {};
  for (const [field, reason] of Object.entries(account.missing)) {
    if (reason !== undefined) unevaluated[field] = reason;
  }
  const key = account.securityId === undefined
    ? account.username
    : `${account.username} (${account.securityId})`;
  return {
    document: userDocument,
    key,
    fields,
    provenance: {
      time: observation.time,
      // No computer for offline evidence (""): the scanning machine is not the evidence's.
      ...(observation.computer ? { computer: observation.computer } : {}),
      ...account.provenance,
    },
    ...(Object.keys(unevaluated).length > 0 ? { unevaluated: unevaluated as Unevaluated } : {}),
  };
}
