/**
 * The user collector: one `UserItem` per account, from the live host (Linux
 * `/etc/passwd` and friends, Windows `NetUserEnum`) or offline evidence (the
 * SAM hive).
 *
 * @module
 */
import type { Collector } from "../collector.ts";
import {
  createTableCollector,
  type Observation,
  type TableSource,
  type TableStats,
} from "../net_table/mod.ts";
import { linuxUserSource } from "./linux_source.ts";
import { samUserSource } from "./sam_source.ts";
import { toUserItem, type UserAccount, userDocument } from "./user_account.ts";
import { windowsUserSource } from "./windows_source.ts";

/** The collector's name. */
export const userCollectorName = "user";
/** The documents it produces. */
export const userDocuments: readonly string[] = [userDocument];
/**
 * The most accounts read. `NetUserEnum` on a domain controller lists the
 * whole domain: past this cap a warning says so and the document counts as
 * not wholly read.
 */
export const maxUserAccounts = 1000;

/** How the collector is made. */
export interface UserCollectorOptions {
  /** The source; by default the live one of `platform`, or the SAM of `hives`/`roots`. */
  readonly source?: TableSource<UserAccount>;
  readonly platform?: string;
  /** Offline evidence: hive files and mounted Windows roots. */
  readonly hives?: readonly string[];
  readonly roots?: readonly string[];
  readonly observe?: () => Observation;
  readonly maxObjects?: number;
}

/** The live source of a platform, or undefined when iocscan has none there. */
export function liveUserSource(platform: string): TableSource<UserAccount> | undefined {
  if (platform === "linux") return linuxUserSource();
  if (platform === "windows") return windowsUserSource();
  return undefined;
}

/** Creates the user collector. */
export function createUserCollector(
  options: UserCollectorOptions = {},
): Collector & { readonly stats: Readonly<TableStats> } {
  const platform = options.platform ?? Deno.build.os;
  const offline = (options.hives?.length ?? 0) > 0 || (options.roots?.length ?? 0) > 0;
  const source = options.source ??
    (offline
      ? samUserSource(options.hives ?? [], options.roots ?? [])
      : liveUserSource(platform)) ??
    unsupported(platform);
  return createTableCollector({
    name: userCollectorName,
    document: userDocument,
    source,
    toItem: toUserItem,
    maxObjects: options.maxObjects ?? maxUserAccounts,
    ...(options.observe ? { observe: options.observe } : {}),
  });
}

function unsupported(platform: string): TableSource<UserAccount> {
  return {
    name: `users:${platform}`,
    read: () =>
      Promise.resolve({
        ok: false,
        object: `users:${platform}`,
        detail: `iocscan has no user source on ${platform}`,
      }),
  };
}
