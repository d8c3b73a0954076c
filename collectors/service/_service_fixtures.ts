/**
 * A SYSTEM hive built with code for the service and driver tests: two
 * control sets (`Select\Current` = 2), services with quoted, unquoted and
 * expanded image paths, a ServiceDll, a FailureCommand, drivers with and
 * without ImagePath, and an adapter that is neither.
 *
 * @module
 */
import { buildHive, utf16z, ValueType } from "../../formats/regf/mod.ts";
import type { BuildKey, BuildValue } from "../../formats/regf/mod.ts";

const sz = (name: string, text: string): BuildValue => ({
  name,
  type: ValueType.REG_SZ,
  data: utf16z(text),
});
const expand = (name: string, text: string): BuildValue => ({
  name,
  type: ValueType.REG_EXPAND_SZ,
  data: utf16z(text),
});
const dword = (name: string, n: number): BuildValue => ({
  name,
  type: ValueType.REG_DWORD,
  data: new Uint8Array(new Uint32Array([n]).buffer),
});

/** The services of the current control set, as built. */
export const builtServices: readonly BuildKey[] = [
  {
    name: "EvilSvc",
    values: [
      dword("Type", 0x10),
      dword("Start", 2),
      sz("DisplayName", "Windows Update Helper"),
      sz("Description", "Keeps things fresh"),
      sz("ObjectName", "LocalSystem"),
      sz("ImagePath", '"C:\\ProgramData\\Evil Co\\evil.exe" -k run'),
      sz("FailureCommand", "C:\\ProgramData\\again.exe"),
    ],
  },
  {
    name: "Netsvc",
    values: [
      dword("Type", 0x20),
      dword("Start", 3),
      expand("ImagePath", "%SystemRoot%\\system32\\svchost.exe -k netsvcs -p"),
      sz("ObjectName", "LocalSystem"),
    ],
    subkeys: [{
      name: "Parameters",
      values: [expand("ServiceDll", "%SystemRoot%\\System32\\netsvc.dll")],
    }],
  },
  {
    name: "rootkit",
    values: [
      dword("Type", 0x1),
      dword("Start", 1),
      expand("ImagePath", "\\SystemRoot\\System32\\drivers\\rootkit.sys"),
    ],
  },
  { name: "Disk", values: [dword("Type", 0x1), dword("Start", 0)] },
  {
    name: "Ntfs",
    values: [
      dword("Type", 0x2),
      dword("Start", 3),
      expand("ImagePath", "System32\\drivers\\ntfs.sys"),
    ],
  },
  { name: "NetAdapter", values: [dword("Type", 0x4)] },
  { name: "NoType", values: [sz("DisplayName", "a key without Type")] },
];

/** A SYSTEM hive whose current control set (002) holds {@linkcode builtServices}. */
export function buildSystemHive(): Uint8Array {
  return buildHive({
    name: "ROOT",
    subkeys: [
      { name: "Select", values: [dword("Current", 2), dword("Default", 2)] },
      // A stale control set: never read.
      {
        name: "ControlSet001",
        subkeys: [{
          name: "Services",
          subkeys: [{ name: "Stale", values: [dword("Type", 0x10)] }],
        }],
      },
      { name: "ControlSet002", subkeys: [{ name: "Services", subkeys: [...builtServices] }] },
    ],
  }).bytes;
}
