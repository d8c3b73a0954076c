/**
 * The Linux route tables: `ip -j -4 route show table all` and `ip -j -6
 * route show table all` (every table: main, local, policy tables), with
 * `ip -j link show` for which interfaces are loopbacks. All bounded
 * (collectors/net_table/ip_json.ts).
 *
 * @module
 */
import type { CommandRunner } from "../live/mod.ts";
import {
  decodeRows,
  type IpJsonObject,
  numberField,
  readIpJson,
  readLinkTypes,
  stringField,
  stringsField,
  type TableSource,
} from "../net_table/mod.ts";
import type { RouteEntry } from "./route_entry.ts";

/** How the Linux source is named in stats and skips. */
export const linuxRouteSourceName = "ip -j route show table all";

/** iproute2 leaves out `protocol` when it is `boot` (the default of `ip route add`). */
const defaultProtocol = "boot";

/** The route tables through iproute2. */
export function linuxRouteSource(options: { readonly runner?: CommandRunner } = {}): TableSource<
  RouteEntry
> {
  return {
    name: linuxRouteSourceName,
    async read(signal) {
      const common = { ...(signal ? { signal } : {}), ...options };
      const tables = [];
      const unread = [];
      for (const version of [4, 6] as const) {
        const args = [`-${version}`, "route", "show", "table", "all"];
        const read = await readIpJson(args, common);
        if (read.ok) tables.push({ version, read, object: `ip -j ${args.join(" ")}` });
        else unread.push({ object: `ip -j ${args.join(" ")}`, detail: read.detail });
      }
      // Neither family read: the table as a whole is unavailable (one skip, not two).
      if (tables.length === 0) {
        return {
          ok: false,
          object: linuxRouteSourceName,
          detail: unread.map((part) => part.detail).join("; "),
        };
      }
      const links = await readLinkTypes(common);
      const rows = tables.flatMap(({ version, read, object }) => {
        const decoded = decodeRows(
          read,
          object,
          (entry) => routeEntryOfIpJson(entry, version, links),
        );
        if (decoded.unread) unread.push(decoded.unread);
        return decoded.rows;
      });
      return { ok: true, rows, ...(unread.length > 0 ? { unread } : {}) };
    },
  };
}

/** One `ip -j route` object as an entry (undefined without a destination). */
export function routeEntryOfIpJson(
  object: IpJsonObject,
  version: 4 | 6,
  links: ReadonlyMap<string, string> | string,
): RouteEntry | undefined {
  const dst = stringField(object, "dst");
  if (dst === undefined) return undefined;
  const [address, prefix] = dst === "default"
    ? [version === 4 ? "0.0.0.0" : "::", "0"]
    : dst.split("/");
  const bits = version === 4 ? 32 : 128;
  // A prefix is 0–32 (IPv4) or 0–128 (IPv6) in digits: anything else is no route read.
  const prefixLength = prefix === undefined
    ? bits
    : /^\d{1,3}$/.test(prefix)
    ? Number(prefix)
    : NaN;
  if (!address || !(prefixLength >= 0 && prefixLength <= bits)) return undefined;
  const device = stringField(object, "dev");
  const gateway = stringField(object, "gateway");
  const kernelType = stringField(object, "type") ?? "unicast";
  const metrics = object.metrics;
  const mtu = Array.isArray(metrics)
    ? metrics.map((metric) =>
      metric !== null && typeof metric === "object" ? numberField(metric, "mtu") : undefined
    ).find((value) => value !== undefined)
    : undefined;
  const linkType = device === undefined || typeof links === "string"
    ? undefined
    : links.get(device);
  return {
    ...(device === undefined ? {} : { interface: device }),
    destination: address,
    prefixLength,
    version,
    ...(gateway === undefined ? {} : { gateway }),
    routeType: kernelType === "unicast" ? (gateway ? "indirect" : "direct") : kernelType,
    protocol: stringField(object, "protocol") ?? defaultProtocol,
    metric: numberField(object, "metric") ?? 0,
    ...(device === undefined
      ? { isLoopback: false }
      : linkType === undefined
      ? {}
      : { isLoopback: linkType === "loopback" }),
    linux: {
      flags: stringsField(object, "flags"),
      ...(mtu === undefined ? {} : { mtu }),
      table: stringField(object, "table") ?? "main",
    },
  };
}
