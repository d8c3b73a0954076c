/**
 * The accounts of offline evidence: the SAM hive's
 * `SAM\Domains\Account\Users\<RID>` keys (`F`: last logon, password set,
 * flags; `V`: name, full name, comment, home directory, logon script), the
 * machine SID from `SAM\Domains\Account`'s `V`, and the profile folder of
 * each SID from SOFTWARE's ProfileList when that hive is at hand (a home
 * directory the account record leaves empty).
 *
 * @module
 */
import { filetimeToDate } from "../../formats/regf/mod.ts";
import type { TableRead, TableSource, TableUnavailable, TableWarning } from "../net_table/mod.ts";
import { hiveBytes, hiveText, type OpenedMachineHive, openMachineHives } from "../registry/mod.ts";
import { accountControl, decodeSamFixed, decodeSamVariable, machineSidOf } from "./sam_records.ts";
import type { UserAccount, UserFactField } from "./user_account.ts";
import { mergeProfiles, profileListPath } from "./profile_list.ts";

/** How the offline source is named in stats and skips. */
export const samUserSourceName = "SAM hive";
/** Where the accounts are in the SAM hive. */
export const samUsersPath = ["SAM", "Domains", "Account", "Users"] as const;
const samAccountPath = ["SAM", "Domains", "Account"] as const;
/** The RID keys are eight hex digits (`000001F4`); `Names` and others are not accounts. */
const ridKeyName = /^[0-9a-f]{8}$/i;

/** The facts of the `V` value besides the name, by the decoder's field. */
const variableFacts = {
  fullName: "fullname",
  comment: "description",
  homeDirectory: "homedirectory",
  scriptPath: "scriptpath",
} as const satisfies Record<string, UserFactField>;

/** Facts a SAM hive does not hold, and why. */
const notInSam: Readonly<Partial<Record<UserFactField, string>>> = {
  lockedout: "the SAM's lockout bit is set only while a lockout lasts, and an image has no 'now'",
  userpasswordage: "an image has no 'now' to count a password's age from",
  "grouplist/groupname": "alias membership (the SAM's Builtin\\Aliases C values) is not read",
};

/** The offline user source over hive files and mounted roots. */
export function samUserSource(
  hiveFiles: readonly string[],
  roots: readonly string[],
): TableSource<UserAccount> {
  return {
    name: samUserSourceName,
    async read(): Promise<TableRead<UserAccount>> {
      const opened = await openMachineHives(hiveFiles, roots, ["SAM", "SOFTWARE"]);
      const sams = opened.hives.filter((hive) => hive.role === "SAM");
      if (sams.length === 0) {
        const failed = opened.failures.map((f) => `${f.file}: ${f.reason}: ${f.detail}`);
        return {
          ok: false,
          object: samUserSourceName,
          detail: failed.length > 0
            ? failed.join("; ")
            : "no SAM hive among the hive files and below the mounted roots",
        };
      }
      const warnings: TableWarning[] = opened.failures.map((failure) => ({
        code: "user-hive-unreadable",
        message: `${failure.file}: ${failure.reason}: ${failure.detail}`,
      }));
      // A SAM that could not be opened beside one that could: its accounts are not read; a
      // SOFTWARE: the accounts known only from its ProfileList are not listed.
      const unread: Omit<TableUnavailable, "ok">[] = opened.failures.map((failure) => ({
        object: failure.file,
        detail: `${failure.reason}: ${failure.detail}` +
          (baseName(failure.file) === "SAM" ? "" : " (ProfileList's accounts are not listed)"),
      }));
      const rows: UserAccount[] = [];
      for (const sam of sams) {
        const software = opened.hives.find((hive) =>
          hive.role === "SOFTWARE" && hive.root === sam.root
        );
        rows.push(...mergeProfiles(
          accountsOfSam(sam, warnings, unread),
          profilePaths(software),
          "the SAM",
        ));
      }
      return { ok: true, rows, warnings, unread };
    },
  };
}

/** The profile folder of each account SID in ProfileList (upper-cased SIDs). */
function profilePaths(software: OpenedMachineHive | undefined): Map<string, string> {
  const paths = new Map<string, string>();
  const list = software?.hive.findKey(profileListPath);
  if (software === undefined || list === undefined) return paths;
  for (const key of software.hive.subkeys(list)) {
    if (!/^S-1-5-21-\d+-\d+-\d+-\d+$/i.test(key.name)) continue;
    const text = hiveText(software.hive, key, "ProfileImagePath");
    if (text) paths.set(key.name.toUpperCase(), text);
  }
  return paths;
}

/**
 * The accounts of one SAM hive. An account record that cannot be decoded (or
 * a hive without the Users key) is a warning and an entry of `unread`: the
 * account left out may be the one an IOC names, so the table is not whole.
 */
export function accountsOfSam(
  sam: OpenedMachineHive,
  warnings: TableWarning[],
  unread: Omit<TableUnavailable, "ok">[],
): UserAccount[] {
  const { hive, file } = sam;
  const users = hive.findKey(samUsersPath);
  if (users === undefined) {
    const message = `no ${samUsersPath.join("\\")} key: no accounts read`;
    warnings.push({ code: "user-sam-no-users", message: `${file}: ${message}` });
    unread.push({ object: file, detail: message });
    return [];
  }
  const accountKey = hive.findKey(samAccountPath);
  const accountV = accountKey ? hiveBytes(hive, accountKey, "V") : undefined;
  const machineSid = accountV ? machineSidOf(accountV) : undefined;
  const accounts: UserAccount[] = [];
  for (const key of hive.subkeys(users)) {
    if (!ridKeyName.test(key.name)) continue;
    const fixedBytes = hiveBytes(hive, key, "F");
    const variableBytes = hiveBytes(hive, key, "V");
    const fixed = fixedBytes ? decodeSamFixed(fixedBytes) : undefined;
    const variable = variableBytes ? decodeSamVariable(variableBytes) : undefined;
    if (fixed === undefined || variable === undefined) {
      const record = `${file}: ${samUsersPath.join("\\")}\\${key.name}`;
      const detail = `its ${
        fixed === undefined ? "F" : "V"
      } value is missing or too short (account left out)`;
      warnings.push({ code: "user-sam-bad-record", message: `${record}: ${detail}` });
      unread.push({ object: record, detail });
      continue;
    }
    const rid = Number.parseInt(key.name, 16);
    const sid = machineSid === undefined ? undefined : `${machineSid}-${rid}`;
    const missing: Partial<Record<UserFactField, string>> = { ...notInSam };
    if (sid === undefined) missing.SecurityID = "the SAM holds no machine SID (Account\\V)";
    for (const [field, fact] of Object.entries(variableFacts)) {
      if (variable[field as keyof typeof variableFacts] === undefined) {
        missing[fact] = "its entry in the account's V value points outside the value";
      }
    }
    const modified = filetimeToDate(key.lastWritten);
    accounts.push({
      username: variable.username,
      ...(sid === undefined ? {} : { securityId: sid }),
      securityType: "SidTypeUser",
      ...(variable.fullName === undefined ? {} : { fullName: variable.fullName }),
      ...(variable.comment === undefined ? {} : { description: variable.comment }),
      ...(variable.homeDirectory === undefined ? {} : { homeDirectory: variable.homeDirectory }),
      ...(variable.scriptPath === undefined ? {} : { scriptPath: variable.scriptPath }),
      ...(fixed.lastLogin === undefined ? {} : { lastLogin: fixed.lastLogin }),
      disabled: (fixed.flags & accountControl.disabled) !== 0,
      passwordRequired: (fixed.flags & accountControl.passwordNotRequired) === 0,
      missing,
      provenance: {
        source: file,
        ...(modified === undefined ? {} : { time: modified.toISOString() }),
      },
    });
  }
  return accounts;
}

function baseName(file: string): string {
  return (file.replaceAll("\\", "/").split("/").pop() ?? "").toUpperCase();
}
