/**
 * The registry collector and its sources: RegistryItem objects from hive
 * files (offline, with transaction-log recovery) or the live registry.
 *
 * @example
 * ```ts
 * import { createRegistryCollector } from "./mod.ts";
 * const collector = createRegistryCollector({ roots: ["/mnt/image"] });
 * ```
 *
 * @module
 */
export * from "./collector.ts";
export * from "./environment.ts";
export * from "./hive_files.ts";
export * from "./hive_mount.ts";
export * from "./hive_names.ts";
export * from "./key_set.ts";
export * from "./live_source.ts";
export * from "./mount_hives.ts";
export * from "./reg_query.ts";
export * from "./registry_item.ts";
export * from "./resolve.ts";
export * from "./source.ts";
export * from "./ioc_key_paths.ts";
export * from "./machine_hives.ts";
export * from "./shim_cache.ts";
