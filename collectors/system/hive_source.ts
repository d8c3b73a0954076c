/**
 * The host description of offline evidence, from its hives: SOFTWARE's
 * `Microsoft\Windows NT\CurrentVersion` (ProductName, CurrentBuild,
 * CSDVersion, InstallDate, ProductId, RegisteredOwner/Organization,
 * SystemRoot) and SYSTEM's current control set (`Control\ComputerName`,
 * `Control\TimeZoneInformation`, `Control\Session Manager\Environment`, and
 * `Services\Tcpip\Parameters` with its `Interfaces`: addresses, masks and
 * gateways, static or DHCP). One object per SYSTEM or SOFTWARE hive pair
 * (a mounted root, or the hive files given); what only a running host has
 * (uptime, memory, who is logged on) is named `unevaluated`.
 *
 * @module
 */
import { filetimeToDate, type KeyNode, type RegistryHive } from "../../formats/regf/mod.ts";
import type { TableRead, TableSource, TableWarning } from "../net_table/mod.ts";
import { hiveText, type OpenedMachineHive, openMachineHives } from "../registry/mod.ts";
import type { NetworkInfo, SystemInfo } from "./system_info.ts";

/** How the offline source is named in stats and skips. */
export const hiveSystemSourceName = "SOFTWARE and SYSTEM hives";

const currentVersionPath = ["Microsoft", "Windows NT", "CurrentVersion"] as const;
const interfacesPath = ["Services", "Tcpip", "Parameters", "Interfaces"] as const;
/** The most network interfaces read from one SYSTEM hive. */
export const maxHiveInterfaces = 1000;

/** What a scan of an image cannot know, and why. */
const notInImage: Readonly<Record<string, string>> = {
  uptime: "an image is not running",
  totalphysical: "the memory of a host is not in its hives",
  availphysical: "an image is not running",
  user: "an image is not running: no account runs iocscan on it",
  loggedOnUser: "an image is not running: nobody is logged on",
  date: "an image has no current date",
  kernelVersion: "a Linux term: the Windows build is buildNumber",
  "networkArray/networkInfo/MAC": "Windows does not keep an adapter's MAC in the registry",
  MAC: "Windows does not keep an adapter's MAC in the registry",
  primaryIpv6Address: "the Tcpip (IPv4) interface keys hold no IPv6 address",
  "networkArray/networkInfo/ipArray/ipInfo/ipv6Address":
    "the Tcpip (IPv4) interface keys hold no IPv6 address",
  "networkArray/networkInfo/description":
    "an adapter's description is in the network class keys, which are not read",
};

/** The offline source over hive files and mounted roots. */
export function hiveSystemSource(
  hiveFiles: readonly string[],
  roots: readonly string[],
): TableSource<SystemInfo> {
  return {
    name: hiveSystemSourceName,
    async read(): Promise<TableRead<SystemInfo>> {
      const opened = await openMachineHives(hiveFiles, roots, ["SOFTWARE", "SYSTEM"]);
      if (opened.hives.length === 0) {
        const failed = opened.failures.map((f) => `${f.file}: ${f.reason}: ${f.detail}`);
        return {
          ok: false,
          object: hiveSystemSourceName,
          detail: failed.length > 0
            ? failed.join("; ")
            : "no SOFTWARE or SYSTEM hive among the hive files and below the mounted roots",
        };
      }
      const warnings: TableWarning[] = opened.failures.map((failure) => ({
        code: "system-hive-unreadable",
        message: `${failure.file}: ${failure.reason}: ${failure.detail}`,
      }));
      // One host per mounted root; hive files given alone make one host together.
      const hosts = new Map<string, OpenedMachineHive[]>();
      for (const hive of opened.hives) {
        const host = hive.root ?? "";
        hosts.set(host, [...(hosts.get(host) ?? []), hive]);
      }
      const rows = [...hosts.values()].map((hives) =>
        systemInfoOfHives(
          hives.find((hive) => hive.role === "SOFTWARE"),
          hives.find((hive) => hive.role === "SYSTEM"),
        )
      );
      return { ok: true, rows, warnings };
    },
  };
}

function key(hive: RegistryHive, path: readonly string[]): KeyNode | undefined {
  return hive.findKey(path);
}

/** The control set SYSTEM's `Select\Current` names (`ControlSet001`), else the first one. */
export function currentControlSet(hive: RegistryHive): string | undefined {
  const select = key(hive, ["Select"]);
  const current = select ? Number(hiveText(hive, select, "Current")) : NaN;
  if (Number.isInteger(current) && current > 0 && current < 1000) {
    const name = `ControlSet${String(current).padStart(3, "0")}`;
    if (key(hive, [name])) return name;
  }
  const root = hive.rootKey();
  return root
    ? hive.subkeys(root).map((k) => k.name).find((name) => /^ControlSet\d{3}$/i.test(name))
    : undefined;
}

/** A REG_DWORD/REG_QWORD as a number, or undefined. */
function numberOf(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** Addresses of a value that holds one or several (REG_SZ or REG_MULTI_SZ, joined by spaces). */
function addresses(text: string | undefined): string[] {
  return (text ?? "").split(/\s+/).filter((part) => part !== "" && part !== "0.0.0.0");
}

/** The SystemInfo of one host's SOFTWARE and SYSTEM hives (either may be absent). */
export function systemInfoOfHives(
  software: OpenedMachineHive | undefined,
  system: OpenedMachineHive | undefined,
): SystemInfo {
  const fields: Record<string, string | number | undefined> = { platform: "Windows" };
  const missing: Record<string, string> = { ...notInImage };
  let networks: NetworkInfo[] | undefined;
  const version = software ? key(software.hive, currentVersionPath) : undefined;
  if (software && version) {
    const text = (name: string) => hiveText(software.hive, version, name);
    fields.productName = text("ProductName");
    fields.OS = text("ProductName");
    fields.buildNumber = text("CurrentBuild") ?? text("CurrentBuildNumber");
    fields.patchLevel = text("CSDVersion") ?? text("DisplayVersion");
    fields.productID = text("ProductId");
    fields.regOwner = text("RegisteredOwner");
    fields.regOrg = text("RegisteredOrganization");
    fields.directory = text("SystemRoot");
    const installed = numberOf(text("InstallDate"));
    if (installed !== undefined && installed > 0) {
      fields.installDate = new Date(installed * 1000).toISOString();
    }
  } else {
    const reason = software
      ? `${software.file} has no ${currentVersionPath.join("\\")} key`
      : "no SOFTWARE hive was given";
    for (
      const field of [
        "productName",
        "OS",
        "buildNumber",
        "patchLevel",
        "productID",
        "regOwner",
        "regOrg",
        "directory",
        "installDate",
      ]
    ) missing[field] = reason;
  }
  const controlSet = system ? currentControlSet(system.hive) : undefined;
  if (system && controlSet) {
    const { hive } = system;
    const at = (...path: string[]) => key(hive, [controlSet, ...path]);
    const computer = at("Control", "ComputerName", "ComputerName");
    fields.hostname = computer ? hiveText(hive, computer, "ComputerName") : undefined;
    fields.machine = fields.hostname;
    const zone = at("Control", "TimeZoneInformation");
    if (zone) {
      fields.timezone = hiveText(hive, zone, "TimeZoneKeyName") ??
        hiveText(hive, zone, "StandardName");
    }
    const environment = at("Control", "Session Manager", "Environment");
    if (environment) {
      const arch = hiveText(hive, environment, "PROCESSOR_ARCHITECTURE");
      if (arch) fields.OSbitness = /64/.test(arch) ? "64-bit" : "32-bit";
      fields.processor = hiveText(hive, environment, "PROCESSOR_IDENTIFIER");
    }
    const tcpip = at("Services", "Tcpip", "Parameters");
    if (tcpip) {
      fields.domain = hiveText(hive, tcpip, "Domain") || hiveText(hive, tcpip, "DhcpDomain") ||
        hiveText(hive, tcpip, "NV Domain");
    }
    const interfaces = key(hive, [controlSet, ...interfacesPath]);
    if (interfaces) networks = interfacesOf(hive, interfaces);
    else missing.networkArray = `${system.file} has no ${interfacesPath.join("\\")} key`;
  } else {
    const reason = system ? `${system.file} has no control set` : "no SYSTEM hive was given";
    for (const field of ["hostname", "machine", "timezone", "OSbitness", "processor", "domain"]) {
      missing[field] = reason;
    }
    missing.networkArray = reason;
  }
  if (networks) {
    const primary = networks.find((n) => (n.ipGatewayArray?.ipGateway.length ?? 0) > 0);
    const ip = primary?.ipArray?.ipInfo.find((info) => info.ipAddress)?.ipAddress;
    if (ip) {
      fields.primaryIpAddress = ip;
      fields.primaryIpv4Address = ip;
    } else {
      missing.primaryIpAddress = "no interface with a default gateway and an address";
      missing.primaryIpv4Address = missing.primaryIpAddress;
    }
  } else {
    missing.primaryIpAddress = missing.networkArray ?? "no interfaces";
    missing.primaryIpv4Address = missing.primaryIpAddress;
  }
  const source = system ?? software!;
  const written = filetimeToDate(source.hive.rootKey()?.lastWritten ?? 0);
  return {
    fields,
    ...(networks ? { networks } : {}),
    missing,
    provenance: {
      source: source.file,
      ...(written ? { time: written.toISOString() } : {}),
      ...(typeof fields.hostname === "string" ? { computer: fields.hostname } : {}),
    },
  };
}

function interfacesOf(hive: RegistryHive, interfaces: KeyNode): NetworkInfo[] {
  const networks: NetworkInfo[] = [];
  for (const node of hive.subkeys(interfaces).slice(0, maxHiveInterfaces)) {
    const text = (name: string) => hiveText(hive, node, name);
    const dhcp = text("EnableDHCP") === "1";
    const ips = addresses(dhcp ? text("DhcpIPAddress") : text("IPAddress"));
    const masks = addresses(dhcp ? text("DhcpSubnetMask") : text("SubnetMask"));
    const gateways = addresses(dhcp ? text("DhcpDefaultGateway") : text("DefaultGateway"));
    networks.push({
      adapter: node.name,
      ipArray: {
        ipInfo: ips.map((ip, index) => ({
          ipAddress: ip,
          ...(masks[index] === undefined ? {} : { subnetMask: masks[index] }),
        })),
      },
      ...(gateways.length === 0 ? {} : { ipGatewayArray: { ipGateway: gateways } }),
    });
  }
  return networks;
}
