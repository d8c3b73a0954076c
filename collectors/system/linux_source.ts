/**
 * The Linux host's description: Deno's system calls (host name, kernel
 * release, uptime, memory, network interfaces; `--allow-sys`), the files
 * `/etc/os-release`, `/etc/timezone` (else the `/etc/localtime` link),
 * `/proc/cpuinfo`, `/proc/sys/kernel/domainname`, `/run/utmp` (who is
 * logged on) and `/etc/passwd` (the name of the account iocscan runs as),
 * and the default gateways from `ip -j route show default` (bounded). Each
 * part that cannot be read is named `unevaluated` with its reason; the
 * object is made whenever the host name is known.
 *
 * @module
 */
import { type CommandRunner, readProcBytes, readProcText } from "../live/mod.ts";
import { readIpJson, stringField, type TableRead, type TableSource } from "../net_table/mod.ts";
import { latestLogins, parsePasswd } from "../user/mod.ts";
import type { NetworkInfo, SystemInfo } from "./system_info.ts";

/** How the Linux source is named in stats and skips. */
export const linuxSystemSourceName = "linux-host";
/** The largest text file read (os-release, cpuinfo of a 512-core host is ~1 MiB). */
const maxTextBytes = 4 * 1024 * 1024;
/** The most of utmp read (one record per terminal session). */
const maxUtmpBytes = 4 * 1024 * 1024;

/** What the Linux source reads the host through (tests give recorded answers). */
export interface LinuxHost {
  hostname(): string;
  osRelease(): string;
  uptimeSeconds(): number;
  memory(): { total: number; available: number };
  interfaces(): Deno.NetworkInterfaceInfo[];
  /** The process's uid (undefined where there is none). */
  uid(): number | null;
  arch(): string;
  /**
   * A file's whole text; throws what opening it throws, and when it holds
   * more than `maxBytes` (its first part is not the file: the users logged
   * on past the cut, the account named by a uid past it, would be missing).
   */
  readText(path: string, maxBytes: number): Promise<string>;
  /** A file's whole bytes, as {@linkcode LinuxHost.readText}. */
  readBytes(path: string, maxBytes: number): Promise<Uint8Array>;
  readLink(path: string): Promise<string>;
  now(): Date;
  readonly runner?: CommandRunner;
}

const tooLarge = (maxBytes: number) => `larger than ${maxBytes} bytes: not read whole`;

/** The live host through Deno. */
export const denoLinuxHost: LinuxHost = {
  hostname: () => Deno.hostname(),
  osRelease: () => Deno.osRelease(),
  uptimeSeconds: () => Deno.osUptime(),
  memory: () => {
    const info = Deno.systemMemoryInfo();
    return { total: info.total, available: info.available };
  },
  interfaces: () => Deno.networkInterfaces(),
  uid: () => Deno.uid(),
  arch: () => Deno.build.arch,
  readText: async (path, maxBytes) => {
    const read = await readProcText(path, maxBytes);
    if (read.truncated) throw new Error(tooLarge(maxBytes));
    return read.text;
  },
  readBytes: async (path, maxBytes) => {
    const read = await readProcBytes(path, maxBytes);
    if (read.truncated) throw new Error(tooLarge(maxBytes));
    return read.data;
  },
  readLink: (path) => Deno.readLink(path),
  now: () => new Date(),
};

/** `/etc/os-release` as a map (os-release(5): KEY=value, value maybe quoted). */
export function parseOsRelease(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    let value = match[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1).replace(/\\(["'$`\\])/g, "$1");
    }
    values.set(match[1]!, value);
  }
  return values;
}

/** The CPU model of `/proc/cpuinfo` (`model name`, else `Hardware`/`Processor` on ARM). */
export function cpuModelOf(cpuinfo: string): string | undefined {
  for (const key of ["model name", "Hardware", "Processor", "cpu model"]) {
    const match = new RegExp(`^${key}\\s*:\\s*(.+)$`, "m").exec(cpuinfo);
    if (match) return match[1]!.trim();
  }
  return undefined;
}

/** The time-zone name of an `/etc/localtime` link target (`…/zoneinfo/Europe/Berlin`). */
export function zoneOfLink(target: string): string | undefined {
  const at = target.indexOf("zoneinfo/");
  return at < 0 ? undefined : target.slice(at + "zoneinfo/".length);
}

/** The adapters of `Deno.networkInterfaces()`, by name, in first-seen order. */
export function networksOf(
  interfaces: readonly Deno.NetworkInterfaceInfo[],
  gateways: ReadonlyMap<string, string[]>,
): NetworkInfo[] {
  const byName = new Map<string, Deno.NetworkInterfaceInfo[]>();
  for (const info of interfaces) byName.set(info.name, [...(byName.get(info.name) ?? []), info]);
  return [...byName].map(([name, infos]) => {
    const mac = infos.map((info) => info.mac).find((mac) => mac !== "00:00:00:00:00:00");
    const gatewayList = gateways.get(name) ?? [];
    return {
      adapter: name,
      ...(mac === undefined ? {} : { MAC: mac }),
      ipArray: {
        ipInfo: infos.map((info) =>
          info.family === "IPv4"
            ? { ipAddress: info.address, subnetMask: info.netmask }
            : { ipv6Address: info.address }
        ),
      },
      ...(gatewayList.length === 0 ? {} : { ipGatewayArray: { ipGateway: gatewayList } }),
    };
  });
}

/** The Linux host's one SystemInfo. */
export function linuxSystemSource(host: LinuxHost = denoLinuxHost): TableSource<SystemInfo> {
  return {
    name: linuxSystemSourceName,
    async read(signal): Promise<TableRead<SystemInfo>> {
      let hostname: string;
      try {
        hostname = host.hostname();
      } catch (error) {
        return {
          ok: false,
          object: linuxSystemSourceName,
          detail: `the host name could not be read: ${(error as Error).message}`,
        };
      }
      const missing: Record<string, string> = {
        productID: "Linux has no product ID",
        patchLevel: "Linux has no service-pack level (the kernel release is kernelVersion)",
        installDate: "Linux records no install date",
        regOwner: "Linux has no registered owner",
        regOrg: "Linux has no registered organization",
        directory: "Linux has no Windows directory",
        "networkArray/networkInfo/description": "Linux gives no adapter description",
      };
      const fields: Record<string, string | number | undefined> = {
        hostname,
        machine: hostname,
        platform: "Linux",
        date: host.now().toISOString(),
      };
      const attempt = <T>(field: string, what: string, read: () => T): T | undefined => {
        try {
          return read();
        } catch (error) {
          missing[field] = `${what} could not be read: ${(error as Error).message}`;
          return undefined;
        }
      };
      fields.kernelVersion = attempt("kernelVersion", "the kernel release", () => host.osRelease());
      fields.uptime = attempt("uptime", "the uptime", () => host.uptimeSeconds());
      const memory = attempt("totalphysical", "the memory", () => host.memory());
      if (memory) {
        fields.totalphysical = memory.total;
        fields.availphysical = memory.available;
      } else missing.availphysical = missing.totalphysical!;
      const arch = host.arch();
      fields.OSbitness = /64/.test(arch) ? "64-bit" : "32-bit";

      const osRelease = await readFirst(host, ["/etc/os-release", "/usr/lib/os-release"]);
      if (typeof osRelease === "string") {
        const values = parseOsRelease(osRelease);
        fields.OS = values.get("PRETTY_NAME") ?? values.get("NAME");
        fields.productName = values.get("NAME");
        fields.buildNumber = values.get("VERSION_ID") ?? values.get("BUILD_ID");
        if (fields.buildNumber === undefined) missing.buildNumber = "os-release has no VERSION_ID";
      } else {
        for (const field of ["OS", "productName", "buildNumber"]) missing[field] = osRelease.error;
      }

      const cpuinfo = await readFirst(host, ["/proc/cpuinfo"]);
      const cpu = typeof cpuinfo === "string" ? cpuModelOf(cpuinfo) : undefined;
      if (cpu) fields.processor = cpu;
      else {missing.processor = typeof cpuinfo === "string"
          ? "/proc/cpuinfo names no CPU model"
          : cpuinfo.error;}

      fields.timezone = await timeZone(host, missing);
      const domain = await readFirst(host, ["/proc/sys/kernel/domainname"]);
      const dnsDomain = hostname.includes(".") ? hostname.slice(hostname.indexOf(".") + 1) : "";
      const nisDomain = typeof domain === "string" ? domain.trim() : "";
      if (dnsDomain !== "") fields.domain = dnsDomain;
      else if (nisDomain !== "" && nisDomain !== "(none)") fields.domain = nisDomain;
      else missing.domain = "the host name has no DNS domain and no NIS domain is set";

      const account = await userName(host);
      if (typeof account === "string") fields.user = account;
      else missing.user = account.error;
      const logged = await loggedOn(host);
      if (typeof logged === "string") fields.loggedOnUser = logged;
      else missing.loggedOnUser = logged.error;

      const gateways = await defaultGateways(host, signal);
      if (typeof gateways === "string") {
        missing["networkArray/networkInfo/ipGatewayArray/ipGateway"] = gateways;
      }
      const interfaces = attempt("networkArray", "the network interfaces", () => host.interfaces());
      const networks = interfaces
        ? networksOf(interfaces, typeof gateways === "string" ? new Map() : gateways.byDevice)
        : undefined;
      if (networks) primaryAddresses(networks, gateways, fields, missing);
      return {
        ok: true,
        rows: [{ fields, ...(networks ? { networks } : {}), missing }],
      };
    },
  };
}

type Failed = { error: string };

async function readFirst(host: LinuxHost, paths: readonly string[]): Promise<string | Failed> {
  const errors: string[] = [];
  for (const path of paths) {
    try {
      return await host.readText(path, maxTextBytes);
    } catch (error) {
      errors.push(`${path}: ${(error as Error).message}`);
    }
  }
  return { error: `not read (${errors.join("; ")})` };
}

async function timeZone(host: LinuxHost, missing: Record<string, string>) {
  const named = await readFirst(host, ["/etc/timezone"]);
  if (typeof named === "string" && named.trim() !== "") return named.trim();
  try {
    const zone = zoneOfLink(await host.readLink("/etc/localtime"));
    if (zone) return zone;
    missing.timezone = "/etc/localtime does not link into a zoneinfo folder";
  } catch (error) {
    missing.timezone = `neither /etc/timezone nor the /etc/localtime link could be read: ${
      (error as Error).message
    }`;
  }
  return undefined;
}

async function userName(host: LinuxHost): Promise<string | Failed> {
  const uid = host.uid();
  if (uid === null) return { error: "the process has no uid" };
  const passwd = await readFirst(host, ["/etc/passwd"]);
  if (typeof passwd !== "string") return passwd;
  const entry = parsePasswd(passwd).entries.find((candidate) => candidate.uid === uid);
  return entry?.name ?? String(uid);
}

async function loggedOn(host: LinuxHost): Promise<string | Failed> {
  const errors: string[] = [];
  for (const path of ["/run/utmp", "/var/run/utmp"]) {
    try {
      const users = [...latestLogins(await host.readBytes(path, maxUtmpBytes)).keys()];
      return users.join(", ");
    } catch (error) {
      errors.push(`${path}: ${(error as Error).message}`);
    }
  }
  return { error: `who is logged on could not be read (${errors.join("; ")})` };
}

interface Gateways {
  readonly byDevice: Map<string, string[]>;
  /** The device of the first IPv4 default route. */
  readonly primaryDevice?: string;
}

async function defaultGateways(host: LinuxHost, signal?: AbortSignal): Promise<Gateways | string> {
  const byDevice = new Map<string, string[]>();
  let primaryDevice: string | undefined;
  const failures: string[] = [];
  for (const version of ["-4", "-6"]) {
    const read = await readIpJson([version, "route", "show", "default"], {
      ...(signal ? { signal } : {}),
      ...(host.runner ? { runner: host.runner } : {}),
    });
    if (!read.ok) {
      failures.push(read.detail);
      continue;
    }
    for (const route of read.objects) {
      const device = stringField(route, "dev");
      const gateway = stringField(route, "gateway");
      if (device === undefined || gateway === undefined) continue;
      byDevice.set(device, [...(byDevice.get(device) ?? []), gateway]);
      if (version === "-4") primaryDevice ??= device;
    }
  }
  if (failures.length === 2) return `the default routes could not be read: ${failures.join("; ")}`;
  return { byDevice, ...(primaryDevice === undefined ? {} : { primaryDevice }) };
}

function primaryAddresses(
  networks: readonly NetworkInfo[],
  gateways: Gateways | string,
  fields: Record<string, string | number | undefined>,
  missing: Record<string, string>,
): void {
  const device = typeof gateways === "string" ? undefined : gateways.primaryDevice;
  const primary = networks.find((network) => network.adapter === device);
  const ipv4 = primary?.ipArray?.ipInfo.find((info) => info.ipAddress)?.ipAddress;
  const ipv6 = primary?.ipArray?.ipInfo.find((info) => info.ipv6Address)?.ipv6Address;
  const reason = typeof gateways === "string"
    ? gateways
    : "the host has no IPv4 default route (no primary interface)";
  if (ipv4) {
    fields.primaryIpAddress = ipv4;
    fields.primaryIpv4Address = ipv4;
  } else {
    missing.primaryIpAddress = reason;
    missing.primaryIpv4Address = reason;
  }
  if (ipv6) fields.primaryIpv6Address = ipv6;
  else missing.primaryIpv6Address = primary ? "the primary interface has no IPv6 address" : reason;
  if (primary?.MAC) fields.MAC = primary.MAC;
  else missing.MAC = primary ? "the primary interface has no MAC address" : reason;
}
