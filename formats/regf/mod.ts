/**
 * A pure REGF (Windows NT registry hive) parser: base block, hive bins, cells,
 * keys, values and value data, with in-memory recovery of dirty hives from
 * their transaction logs. No OS access: it takes bytes.
 *
 * @example
 * ```ts ignore
 * import { decodeValue, RegistryHive } from "./mod.ts";
 * const hive = RegistryHive.open(await Deno.readFile("SOFTWARE"));
 * const run = hive.findKey("Microsoft\\Windows\\CurrentVersion\\Run");
 * for (const value of run ? hive.values(run) : []) {
 *   console.log(value.name, decodeValue(value.type, hive.valueData(value)));
 * }
 * ```
 *
 * @module
 */
export * from "./base_block.ts";
export * from "./errors.ts";
export * from "./hive.ts";
export * from "./marvin32.ts";
export * from "./strings.ts";
export * from "./transaction_log.ts";
export * from "./value_data.ts";
export * from "./hive_builder.ts";
