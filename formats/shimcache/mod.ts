/**
 * A pure parser of the AppCompatCache (ShimCache) value of the SYSTEM hive,
 * every layout from Windows XP to 11. No OS access: it takes bytes.
 *
 * @module
 */
export * from "./app_compat_cache.ts";
