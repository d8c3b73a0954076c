/**
 * The user collector: `UserItem` objects, one per account, from Linux
 * `/etc/passwd` (with group, shadow and login records), Windows
 * `NetUserEnum`, or the SAM hive of offline evidence.
 *
 * @module
 */
export {
  createUserCollector,
  liveUserSource,
  maxUserAccounts,
  userCollectorName,
  type UserCollectorOptions,
  userDocuments,
} from "./collector.ts";
export { toUserItem, type UserAccount, userDocument } from "./user_account.ts";
export {
  type GroupEntry,
  parseGroup,
  parsePasswd,
  parseShadow,
  type PasswdEntry,
  passwordState,
  type ShadowEntry,
} from "./etc_files.ts";
export { decodeLastlogEntry, latestLogins } from "./login_records.ts";
export { linuxUserSource } from "./linux_source.ts";
export { accountsOfSam, samUserSource } from "./sam_source.ts";
export { decodeSamFixed, decodeSamVariable, machineSidOf } from "./sam_records.ts";
export { accountOfUserInfo, windowsUserSource } from "./windows_source.ts";
export { mergeProfiles, profileListOf, profileListPath } from "./profile_list.ts";
