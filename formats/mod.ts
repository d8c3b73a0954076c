/**
 * Pure binary parsers: EVTX event logs, REGF registry hives, PE images, SQLite write-ahead logs,
 * shortcuts, the AppCompatCache (ShimCache) value and partition tables (MBR, GPT).
 * None of them touches the operating system.
 *
 * @module
 */
export * from "./byte_source.ts";
export * as evtx from "./evtx/mod.ts";
export * as regf from "./regf/mod.ts";
export * as pe from "./pe/mod.ts";
export * as lnk from "./lnk/mod.ts";
export * as shimcache from "./shimcache/mod.ts";
export * as sqlite from "./sqlite/mod.ts";
export * as partitionTable from "./partition_table/mod.ts";
