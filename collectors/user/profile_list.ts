/**
 * The accounts ProfileList knows (`HKLM\SOFTWARE\Microsoft\Windows
 * NT\CurrentVersion\ProfileList\<SID>`, `ProfileImagePath`): every account
 * that logged on and kept a profile, local or of a domain. `NetUserEnum`
 * and the SAM list local accounts only, so a domain account that logged on
 * is known from here alone; a local account without a home directory takes
 * its profile folder.
 *
 * @module
 */
import { recordText, type RegistryMount } from "../registry/mod.ts";
import type { UserAccount, UserFactField } from "./user_account.ts";
import { userFactFields } from "./user_account.ts";

/** Where ProfileList is in the SOFTWARE hive. */
export const profileListPath = [
  "Microsoft",
  "Windows NT",
  "CurrentVersion",
  "ProfileList",
] as const;
/** The SIDs of accounts (machine or domain accounts); well-known service SIDs are left out. */
const accountSid = /^S-1-5-21-\d+-\d+-\d+-\d+$/i;

/** The profile folder of each account SID in a SOFTWARE mount's ProfileList (upper-cased SIDs). */
export function profileListOf(software: RegistryMount): Map<string, string> {
  const paths = new Map<string, string>();
  for (const sid of software.subkeyNames(profileListPath) ?? []) {
    if (!accountSid.test(sid)) continue;
    const path = recordText(software.readValue([...profileListPath, sid], "ProfileImagePath"));
    if (path) paths.set(sid.toUpperCase(), path.replace(/\0+$/, ""));
  }
  return paths;
}

/**
 * The accounts with ProfileList merged in: a listed account without a home
 * directory takes its profile folder, and each account SID of ProfileList
 * that no account has becomes an account of its own (named after its
 * profile folder; every other fact named unevaluated).
 */
export function mergeProfiles(
  accounts: readonly UserAccount[],
  profiles: ReadonlyMap<string, string>,
  listedBy: string,
): UserAccount[] {
  const known = new Set(accounts.flatMap((a) => a.securityId ? [a.securityId.toUpperCase()] : []));
  const merged = accounts.map((account) => {
    const profile = account.securityId ? profiles.get(account.securityId.toUpperCase()) : undefined;
    // A home directory the record holds but could not be read stays unevaluated.
    return profile !== undefined && !account.homeDirectory &&
        account.missing.homedirectory === undefined
      ? { ...account, homeDirectory: profile }
      : account;
  });
  for (const [sid, path] of profiles) {
    if (known.has(sid)) continue;
    const reason = `${sid} is known only from ProfileList (a domain or removed account ` +
      `that logged on): ${listedBy} does not describe it`;
    const missing: Partial<Record<UserFactField, string>> = {};
    for (const field of userFactFields) {
      if (field !== "SecurityID" && field !== "SecurityType" && field !== "homedirectory") {
        missing[field] = reason;
      }
    }
    merged.push({
      username: path.replaceAll("/", "\\").split("\\").filter((part) => part !== "").pop() ?? sid,
      securityId: sid,
      securityType: "SidTypeUser",
      homeDirectory: path,
      missing,
    });
  }
  return merged;
}
