/**
 * The kernel drivers of a live Windows system, from `Get-CimInstance
 * Win32_SystemDriver` (collectors/service/windows_drivers.ts): a running
 * driver is loaded (DriverItem and ModuleItem), a stopped one only
 * configured (DriverItem). CIM gives no load address: `ImageBase` and
 * `ImageSize` are unknown. Not yet run on Windows: tested on recorded
 * output. (The `EnumDeviceDrivers` + `GetDeviceDriverFileNameW` FFI path of
 * the issue is not built.)
 *
 * @module
 */
import type { CommandRunner } from "../live/mod.ts";
import type { Environment } from "../registry/mod.ts";
import { cimSystemDriverEntries } from "../service/mod.ts";
import type { DriverSource, DriverSourceResult } from "./driver_source.ts";

/** Why a live Windows driver's load address is unknown. */
export const noLoadAddress = "Win32_SystemDriver does not give the load address";

/** The live Windows drivers; tests pass a recorded runner. */
export function windowsDriverSource(runner?: CommandRunner, env?: Environment): DriverSource {
  return {
    name: "cim-win32-systemdriver",
    async read(signal?: AbortSignal): Promise<DriverSourceResult> {
      const read = await cimSystemDriverEntries(runner, env, signal);
      return {
        records: read.entries.map((entry) => ({
          name: entry.name,
          key: entry.sourceKey,
          loaded: entry.status?.toLowerCase() === "running",
          unknown: { ImageBase: noLoadAddress, ImageSize: noLoadAddress },
          ...(entry.status !== undefined ? { state: entry.status } : {}),
          ...(entry.path !== undefined ? { path: entry.path } : {}),
          ...(entry.pathOpen !== undefined ? { pathOpen: entry.pathOpen } : {}),
          ...(entry.notOpened !== undefined ? { notOpened: entry.notOpened } : {}),
        })),
        skips: read.skips,
        warnings: read.warnings,
      };
    },
  };
}
