/**
 * The port collector: PortItem objects, one per TCP or UDP endpoint of the
 * live host's connection tables (Linux `/proc/<pid>/net/*` per network
 * namespace, Windows iphlpapi or `Get-NetTCPConnection`). docs/port.md
 * describes the fields and their sources.
 *
 * @example Read the table as records, to join ports to processes by pid
 * ```ts ignore
 * import { readPortTable } from "./collector.ts";
 * const { ports, skips } = await readPortTable({ platform: Deno.build.os });
 * const byPid = Map.groupBy(ports.filter((port) => port.pid !== undefined), (port) => port.pid!);
 * ```
 *
 * @module
 */
import { thisComputerName } from "../live/mod.ts";
import type { Collector, CollectRequest } from "../collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { cimPortSource } from "./cim_source.ts";
import { linuxPortSource } from "./linux_source.ts";
import { portDocument, toPortItem } from "./port_record.ts";
import {
  errorText,
  portCollectorName,
  type PortSource,
  type PortTableRead,
  portTableSkip,
  portWarning,
} from "./source.ts";
import { iphlpapiAvailable, windowsPortSource } from "./windows_source.ts";

/** The OpenIOC documents the port collector produces. */
export const portDocuments: readonly string[] = [portDocument];

/** The live source of a platform, or undefined when iocscan has none there. */
export function portSourceFor(platform: string): PortSource | undefined {
  if (platform === "linux") return linuxPortSource();
  if (platform === "windows") {
    return iphlpapiAvailable() ? windowsPortSource() : fallbackSource(cimPortSource());
  }
  return undefined;
}

/** The CIM source, with a warning saying why the API is not used. */
function fallbackSource(source: PortSource): PortSource {
  return {
    name: source.name,
    async read(signal) {
      const read = await source.read(signal);
      read.warnings.unshift(portWarning(
        "port-cim-fallback",
        "iphlpapi.dll could not be loaded: the ports were read with Get-NetTCPConnection",
      ));
      return read;
    },
  };
}

/** Options of {@linkcode readPortTable}. */
export interface ReadPortTableOptions {
  /** `Deno.build.os`; picks the live source unless `source` is given. */
  readonly platform?: string;
  readonly source?: PortSource;
  readonly signal?: AbortSignal;
}

/**
 * Reads the connection tables once: every endpoint as a record with its pid
 * and PortItem fields (so `ProcessItem/PortList/PortItem/*` can be filled per
 * pid), the objects that could not be read, and what was worked around.
 * Never throws: a source that fails is a skip of the source.
 */
export async function readPortTable(options: ReadPortTableOptions = {}): Promise<PortTableRead> {
  const platform = options.platform ?? Deno.build.os;
  const source = options.source ?? portSourceFor(platform);
  if (!source) {
    return {
      ports: [],
      skips: [
        portTableSkip(
          `ports:${platform}`,
          "unsupported",
          `no connection-table source on ${platform}`,
        ),
      ],
      warnings: [],
      stats: {},
    };
  }
  try {
    return await source.read(options.signal);
  } catch (error) {
    return {
      ports: [],
      skips: [portTableSkip(`ports:${source.name}`, "unreadable", errorText(error))],
      warnings: [],
      stats: {},
    };
  }
}

/** The port collector, with the figures of its last run. */
export interface PortCollector extends Collector {
  readonly stats: Readonly<Record<string, number | string>>;
}

/** Options of {@linkcode createPortCollector}. */
export interface PortCollectorOptions {
  readonly platform?: string;
  /** The source (tests replay recorded data); the platform's live source when absent. */
  readonly source?: PortSource;
  /** The computer named in each object's provenance; this host's name when absent. */
  readonly computer?: string;
}

/** Makes the port collector. */
export function createPortCollector(options: PortCollectorOptions = {}): PortCollector {
  let stats: Record<string, number | string> = {};
  return {
    name: portCollectorName,
    documents: portDocuments,
    get stats() {
      return stats;
    },
    async *collect(request: CollectRequest): AsyncGenerator<ObservedItem> {
      const read = await readPortTable({
        ...(options.platform === undefined ? {} : { platform: options.platform }),
        ...(options.source === undefined ? {} : { source: options.source }),
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      });
      stats = { ...read.stats, sockets: read.ports.length, skipped: read.skips.length };
      for (const warning of read.warnings) request.reporter.warning(warning);
      for (const skip of read.skips) request.reporter.skipped(skip);
      const computer = options.computer ?? thisComputerName();
      let objects = 0;
      for (const port of read.ports) {
        if (request.signal?.aborted) return;
        yield toPortItem(port, computer);
        if (++objects % 1000 === 0) {
          request.reporter.progress({ collector: portCollectorName, objects });
        }
      }
      request.reporter.progress({ collector: portCollectorName, objects });
    },
  };
}
