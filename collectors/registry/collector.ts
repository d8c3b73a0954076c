/**
 * The registry collector: RegistryItem objects from hive files (`--hive`,
 * `--root`) or the live registry, for the default key set, extra keys, keys
 * named by IOCs, or everything.
 *
 * @module
 */
import type { ObservedItem } from "../../contracts/observed_item.ts";
import type { Collector, CollectorReporter, CollectRequest } from "../collector.ts";
import { machineEnvironment, processEnvironment, userEnvironment } from "./environment.ts";
import type { Environment } from "./environment.ts";
import { basename } from "node:path";
import { findHivesUnderRoot, machineHivesNamed } from "./hive_files.ts";
import { linkOutOfRoot } from "../evidence_root.ts";
import type { FoundHive } from "./hive_files.ts";
import { HiveMount } from "./hive_mount.ts";
import { DEFAULT_KEY_SET } from "./key_set.ts";
import { liveMounts } from "./live_source.ts";
import { mountHiveFiles } from "./mount_hives.ts";
import { keyItem, keyPathOf, REGISTRY_DOCUMENT, valueItem } from "./registry_item.ts";
import { resolveRegistryPath } from "./resolve.ts";
import { needsShimCache, shimCacheItems } from "./shim_cache.ts";
import type { RegistryKeyRecord, RegistryMount, RegistryValueRecord } from "./source.ts";

/** The collector's name. */
export const registryCollectorName = "registry";

/** The OpenIOC documents the registry collector produces. */
export const registryDocuments: readonly string[] = [REGISTRY_DOCUMENT];

/** Options of {@linkcode createRegistryCollector}. */
export interface RegistryCollectorOptions {
  /** Hive files to read (`--hive`); their logs are found next to them. */
  hives?: readonly string[];
  /** Windows volume roots to find hives under (`--root`). */
  roots?: readonly string[];
  /**
   * Read the live registry (Windows only). Default: true when no hives,
   * roots or mounts are given and the OS is Windows.
   */
  live?: boolean;
  /** The live registry view: 64-bit (default) or 32-bit. */
  liveView?: 64 | 32;
  /** Extra key paths to read recursively (`--registry-key`), any root spelling. */
  registryKeys?: readonly string[];
  /** Read every key of every hive (`--registry-full`). */
  registryFull?: boolean;
  /** Key paths that IOC items name: always read, recursively. */
  iocKeyPaths?: readonly string[];
  /** Read the default key set (default true; `collect registry --key` turns it off). */
  defaultKeySet?: boolean;
  /** Ready-made mounts (another source, or tests). */
  mounts?: readonly RegistryMount[];
}

/** Figures of the last run of a registry collector. */
export interface RegistryCollectStats {
  /** Hives mounted. */
  hives: number;
  /** Hive files that could not be opened. */
  failedHives: number;
  /** Keys of the whole allocated tree of every hive file (root keys included). */
  keys: number;
  /** Values of the whole allocated tree (default values included). */
  values: number;
  /** Items produced. */
  items: number;
  /** True when a hive was recovered from its transaction logs. */
  recovered: boolean;
  /** Warnings reported. */
  warnings: number;
}

/** One selected key with its values, before it becomes RegistryItem objects. */
export interface SelectedKey {
  /** The mounted hive the key belongs to. */
  mount: RegistryMount;
  /** The key path below the root, mount included (the item's `KeyPath`). */
  keyPath: string;
  /** The key itself. */
  key: RegistryKeyRecord;
  /** The key's values (empty for a key without values). */
  records: RegistryValueRecord[];
  /** The variables for expanding REG_EXPAND_SZ data of this key. */
  env: Environment;
}

/** A registry collector, with figures of its last run. */
export interface RegistryCollector extends Collector {
  /** Figures of the last run (filled in as it goes). */
  readonly stats: RegistryCollectStats;
  /**
   * The same selection as {@linkcode Collector.collect}, one entry per key
   * rather than per item: for writers that turn keys into output directly
   * (`collect registry --json` writes NDJSON without building items).
   */
  collectKeys(request: CollectRequest): AsyncIterable<SelectedKey>;
}

/**
 * Creates the registry collector.
 *
 * @example
 * ```ts
 * import { createRegistryCollector } from "./collector.ts";
 * const collector = createRegistryCollector({ hives: ["SOFTWARE", "NTUSER.DAT"] });
 * ```
 */
export function createRegistryCollector(options: RegistryCollectorOptions = {}): RegistryCollector {
  const stats: RegistryCollectStats = {
    hives: 0,
    failedHives: 0,
    keys: 0,
    values: 0,
    items: 0,
    recovered: false,
    warnings: 0,
  };
  return {
    name: registryCollectorName,
    documents: registryDocuments,
    stats,
    collect: (request) => lazily(options, request, stats, registryItems),
    collectKeys: (request) => lazily(options, request, stats, selectedKeys),
  };
}

type Producer<T> = (
  options: RegistryCollectorOptions,
  request: CollectRequest,
  stats: RegistryCollectStats,
  mounts: RegistryMount[],
  live: boolean,
) => Iterator<T>;

/**
 * An async iterable over a synchronous producer: one await to open the
 * hives, then plain iteration. Cheaper per item than an async generator,
 * which matters for full walks of large hives (hundreds of thousands of items).
 */
function lazily<T>(
  options: RegistryCollectorOptions,
  request: CollectRequest,
  stats: RegistryCollectStats,
  produce: Producer<T>,
): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      let items: Iterator<T> | undefined;
      return {
        async next(): Promise<IteratorResult<T>> {
          if (!items) {
            const opened = await openMounts(options, request, stats);
            items = produce(options, request, stats, opened.mounts, opened.live);
          }
          return items.next();
        },
        return(): Promise<IteratorResult<T>> {
          items?.return?.();
          return Promise.resolve({ done: true, value: undefined });
        },
      };
    },
  };
}

async function openMounts(
  options: RegistryCollectorOptions,
  request: CollectRequest,
  stats: RegistryCollectStats,
): Promise<{ mounts: RegistryMount[]; live: boolean }> {
  const mounts: RegistryMount[] = [...(options.mounts ?? [])];
  const found: FoundHive[] = (options.hives ?? []).map((file) => ({ file }));
  const namedMachineHives = machineHivesNamed(options.iocKeyPaths ?? []);
  for (const root of options.roots ?? []) {
    const hives = findHivesUnderRoot(root);
    if (hives.length === 0) {
      request.reporter.skipped({
        collector: registryCollectorName,
        object: root,
        reason: "not-found",
        detail: "no registry hives found under this root",
      });
    } else {
      // A triage of user profiles only: the HKLM keys the IOCs name were not read.
      const present = new Set(
        hives.filter((hive) => hive.profile === undefined)
          .map((hive) => basename(hive.file).toUpperCase()),
      );
      const missing = namedMachineHives.filter((name) => !present.has(name));
      if (missing.length > 0) {
        request.reporter.skipped({
          collector: registryCollectorName,
          object: root,
          reason: "not-found",
          detail: `no ${missing.join(", ")} hive under this root, where the ` +
            "HKEY_LOCAL_MACHINE keys the IOCs name live",
        });
      }
    }
    for (const hive of hives) {
      // A hive linked from outside the image is the analyst's file, not the case's.
      const refusal = linkOutOfRoot(hive.file, root);
      if (refusal === undefined) {
        found.push(hive);
        continue;
      }
      stats.failedHives++;
      request.reporter.skipped({
        collector: registryCollectorName,
        object: refusal.file,
        reason: refusal.reason,
        detail: refusal.detail,
      });
    }
  }
  if (found.length > 0) {
    const mounted = await mountHiveFiles(found);
    for (const failure of mounted.failures) {
      stats.failedHives++;
      request.reporter.skipped({
        collector: registryCollectorName,
        object: failure.file,
        reason: failure.reason,
        detail: failure.detail,
      });
    }
    mounts.push(...mounted.mounts);
  }
  const wantLive = options.live ??
    (mounts.length === 0 && found.length === 0 && (options.roots ?? []).length === 0 &&
      Deno.build.os === "windows");
  if (wantLive) {
    const live = liveMounts(options.liveView ?? 64);
    if (typeof live === "string") {
      request.reporter.skipped({
        collector: registryCollectorName,
        object: "live registry",
        reason: "unsupported",
        detail: live,
      });
    } else mounts.push(...live);
  }
  return { mounts, live: wantLive };
}

function* registryItems(
  options: RegistryCollectorOptions,
  request: CollectRequest,
  stats: RegistryCollectStats,
  mounts: RegistryMount[],
  live: boolean,
): Generator<ObservedItem> {
  for (const selected of selectedKeys(options, request, stats, mounts, live)) {
    const { mount, keyPath, key, records, env } = selected;
    if (records.length === 0) yield keyItem(mount, keyPath, key);
    else for (const record of records) yield valueItem(mount, keyPath, key, record, env);
  }
  if (!needsShimCache(request.needs)) return;
  const systems = mounts.filter((mount) => mount.role === "SYSTEM");
  if (systems.length === 0) {
    const why = "no SYSTEM hive was read, where the ShimCache lives";
    request.reporter.skipped({
      collector: registryCollectorName,
      object: shimCacheObject,
      reason: "not-found",
      detail: why,
    });
    // The cache was not looked at: a ShimCache item is unknown here, never a miss (as when a
    // SYSTEM hive holds no cache, shim_cache.ts).
    stats.items++;
    yield {
      document: "RegistryItem",
      key: shimCacheObject,
      fields: {},
      unevaluated: { ShimCache: why },
    };
  }
  const counting: CollectorReporter = {
    skipped: (entry) => request.reporter.skipped(entry),
    progress: (entry) => request.reporter.progress(entry),
    warning: (warning) => {
      stats.warnings++;
      request.reporter.warning(warning);
    },
  };
  for (const mount of systems) {
    if (request.signal?.aborted) return;
    for (const item of shimCacheItems(mount, counting, registryCollectorName)) {
      stats.items++;
      yield item;
    }
  }
}

/** How the ShimCache is named when no SYSTEM hive holds it. */
const shimCacheObject = "ShimCache (AppCompatCache)";

function* selectedKeys(
  options: RegistryCollectorOptions,
  request: CollectRequest,
  stats: RegistryCollectStats,
  mounts: RegistryMount[],
  live: boolean,
): Generator<SelectedKey> {
  const reporter = request.reporter;
  stats.hives = mounts.length;
  const flush = (mount: RegistryMount) => {
    for (const w of mount.takeWarnings()) {
      stats.warnings++;
      const warning: Parameters<typeof reporter.warning>[0] = {
        collector: registryCollectorName,
        code: w.code,
        message: w.message,
      };
      if (w.file !== undefined) warning.file = w.file;
      if (w.place !== undefined) warning.place = w.place;
      reporter.warning(warning);
    }
  };
  const machineEnv: Environment = live ? processEnvironment() : machineEnvironment(mounts);
  const full = options.registryFull ?? false;
  const targets = full ? [] : [
    ...((options.defaultKeySet ?? true)
      ? DEFAULT_KEY_SET.map((e) => ({ path: e.path, mayEndInValue: false }))
      : []),
    ...(options.registryKeys ?? []).map((path) => ({ path, mayEndInValue: true })),
    ...(options.iocKeyPaths ?? []).map((path) => ({ path, mayEndInValue: true })),
  ];

  for (const mount of mounts) {
    if (request.signal?.aborted) return;
    stats.recovered ||= mount.recovered ?? false;
    const env = mount.role === "NTUSER" || mount.role === "USRCLASS"
      ? (live ? machineEnv : userEnvironment(machineEnv, mount, mounts))
      : machineEnv;
    let keys = 0;
    let values = 0;
    const emitted = new Set<string>();
    const walks: { path: string[]; mayEndInValue: boolean }[] = [];
    if (full) walks.push({ path: [], mayEndInValue: false });
    else {
      for (const target of targets) {
        for (const resolved of resolveRegistryPath(target.path, [mount])) {
          walks.push({ path: resolved.segments, mayEndInValue: target.mayEndInValue });
        }
      }
    }
    for (const { path, mayEndInValue } of walks) {
      let visits = mount.walk(path, true);
      if (!visits && path.length > 0 && mayEndInValue) {
        // An IOC path may end in a value name (RegistryItem/Path): read the key holding it.
        visits = mount.walk(path.slice(0, -1), false);
      }
      for (const visit of visits ?? []) {
        const keyPath = keyPathOf(mount, visit.path);
        if (!full) {
          const id = keyPath.toUpperCase();
          if (emitted.has(id)) continue;
          emitted.add(id);
        }
        const records = visit.values();
        keys++;
        values += records.length;
        stats.items += records.length === 0 ? 1 : records.length;
        yield { mount, keyPath, key: visit.key, records, env };
        if (request.signal?.aborted) return;
      }
      reporter.progress({
        collector: registryCollectorName,
        objects: stats.items,
        current: keyPathOf(mount, path.join("\\")),
      });
    }
    if (mount instanceof HiveMount) {
      if (full) {
        stats.keys += keys;
        stats.values += values;
      } else {
        const counts = mount.counts();
        stats.keys += counts.keys;
        stats.values += counts.values;
      }
    }
    flush(mount);
  }
}
