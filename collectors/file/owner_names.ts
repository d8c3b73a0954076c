/**
 * File owners as user names (`FileItem/Username`).
 *
 * @module
 */

/** Turns a file's owner into a user name. */
export interface OwnerLookup {
  /**
   * The owner's name for a file, given its path and stat; `undefined` when
   * it cannot be told. Windows owners (SIDs) need a security-descriptor
   * reader that Deno lacks, so the default lookup there answers `undefined`
   * and a host may plug one in.
   */
  ownerOf(path: string, info: Deno.FileInfo): Promise<string | undefined>;
}

/**
 * Parses `/etc/passwd` text into uid → name. Malformed lines are ignored; the
 * first entry for a uid wins, as with getpwuid.
 *
 * @example
 * ```ts
 * import { parsePasswd } from "./owner_names.ts";
 * parsePasswd("root:x:0:0:root:/root:/bin/bash\n").get(0); // "root"
 * ```
 */
export function parsePasswd(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const [name, , uidText] = line.split(":");
    if (!name || uidText === undefined || !/^\d+$/.test(uidText)) continue;
    const uid = Number(uidText);
    if (!names.has(uid)) names.set(uid, name);
  }
  return names;
}

/**
 * The lookup for POSIX systems: uid → name from `/etc/passwd` (read once, on
 * first use); a uid without an entry is reported as its number, as `ls -l`
 * does.
 */
export function passwdOwnerLookup(passwdPath = "/etc/passwd"): OwnerLookup {
  let names: Promise<Map<number, string>> | undefined;
  return {
    async ownerOf(_path, info) {
      if (info.uid === null) return undefined;
      names ??= Deno.readTextFile(passwdPath).then(parsePasswd, () => new Map());
      return (await names).get(info.uid) ?? String(info.uid);
    },
  };
}

/** The lookup for Windows until a security-descriptor reader exists: always `undefined`. */
export const noOwnerLookup: OwnerLookup = {
  ownerOf: () => Promise.resolve(undefined),
};

/** The default lookup for an operating system. */
export function defaultOwnerLookup(os: string): OwnerLookup {
  return os === "windows" ? noOwnerLookup : passwdOwnerLookup();
}
