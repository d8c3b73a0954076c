/**
 * Where the local record of the active isolation lives (docs/isolation.md, "Without the store"):
 * `--state-dir`, else the folder {@linkcode STATE_DIR_ENV} names, else the default results store's
 * folder. One rule for `iocscan isolate`, `iocscan isolation …` and `scan --action isolate`.
 *
 * @module
 */
import { dirname, win32 } from "node:path";
import { defaultStoreLocation } from "../../store/mod.ts";
import type { LocalRecordPlace } from "./local_record.ts";

/** The environment variable naming the local record's folder when `--state-dir` is not given. */
export const STATE_DIR_ENV = "IOCSCAN_ISOLATION_STATE_DIR";

/**
 * The folder of the local record: `stateDir`, else {@linkcode STATE_DIR_ENV}, else the default
 * results store's folder (created for its owner only unless `create` is false).
 *
 * @example
 * ```ts
 * import { isolationStatePlace } from "./state_place.ts";
 * isolationStatePlace("/var/lib/iocscan/isolation"); // { folder: "/var/lib/iocscan/isolation" }
 * ```
 */
export function isolationStatePlace(
  stateDir: string | undefined,
  create = true,
): LocalRecordPlace {
  const named = stateDir ?? Deno.env.get(STATE_DIR_ENV);
  if (named !== undefined && named !== "") return { folder: named };
  const store = defaultStoreLocation({ create });
  return { folder: Deno.build.os === "windows" ? win32.dirname(store) : dirname(store) };
}
