/**
 * SYSTEM hives holding an AppCompatCache value, built with code for tests.
 *
 * @module
 */
import { buildHive, ValueType } from "../../formats/regf/mod.ts";
import type { BuildKey } from "../../formats/regf/mod.ts";

/** A SYSTEM hive whose `Select\Current` is `current` and whose ControlSet00N holds `cache`. */
export function systemHiveWithCache(
  cache: Uint8Array | undefined,
  options: { current?: number; controlSet?: number; xpKey?: boolean } = {},
): Uint8Array {
  const current = options.current ?? 1;
  const dword = new Uint8Array(4);
  new DataView(dword.buffer).setUint32(0, current, true);
  const cacheKey: BuildKey = {
    name: options.xpKey ? "AppCompatibility" : "AppCompatCache",
    values: cache === undefined
      ? []
      : [{ name: "AppCompatCache", type: ValueType.REG_BINARY, data: cache }],
  };
  const controlSet = `ControlSet${String(options.controlSet ?? current).padStart(3, "0")}`;
  const root: BuildKey = {
    name: "ROOT",
    subkeys: [
      { name: "Select", values: [{ name: "Current", type: ValueType.REG_DWORD, data: dword }] },
      {
        name: controlSet,
        subkeys: [{
          name: "Control",
          subkeys: [{ name: "Session Manager", subkeys: [cacheKey] }],
        }],
      },
    ],
  };
  return buildHive(root).bytes;
}
