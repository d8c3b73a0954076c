/**
 * The Windows host's description through one bounded PowerShell/CIM
 * pipeline (collectors/net_table/cim_json.ts): `Win32_OperatingSystem`,
 * `Win32_ComputerSystem`, `Win32_Processor`, `Win32_TimeZone`, the
 * IP-enabled `Win32_NetworkAdapterConfiguration`s and the registry's
 * `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion` (RegisteredOwner,
 * RegisteredOrganization, ProductId, CurrentBuild, DisplayVersion). The
 * decoding ({@linkcode systemInfoOfCim}) is tested on recorded JSON.
 *
 * **Not yet run on Windows**: the script and the field names follow the CIM
 * classes' documentation; the native calls (`RtlGetVersion`,
 * `GetAdaptersAddresses`…) are not used.
 *
 * @module
 */
import type { CommandRunner } from "../live/mod.ts";
import {
  cimNumber,
  type CimObject,
  cimString,
  readCimJson,
  type TableRead,
  type TableSource,
} from "../net_table/mod.ts";
import type { NetworkInfo, SystemInfo } from "./system_info.ts";

/** How the CIM source is named in stats and skips. */
export const cimSystemSourceName = "Get-CimInstance Win32_OperatingSystem";

/** The pipeline: one object holding each class's instances. */
export const systemInfoScript = [
  "$os = Get-CimInstance Win32_OperatingSystem",
  "$cs = Get-CimInstance Win32_ComputerSystem",
  "$cpu = @(Get-CimInstance Win32_Processor)[0]",
  "$tz = Get-CimInstance Win32_TimeZone",
  "$nics = @(Get-CimInstance Win32_NetworkAdapterConfiguration -Filter 'IPEnabled=True')",
  "$cv = Get-ItemProperty 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion'",
  "[pscustomobject]@{",
  "  Caption=$os.Caption; Version=$os.Version; BuildNumber=$os.BuildNumber;",
  "  OSArchitecture=$os.OSArchitecture; CSDVersion=$os.CSDVersion;",
  "  InstallDate=$os.InstallDate.ToUniversalTime().ToString('o');",
  "  LastBootUpTime=$os.LastBootUpTime.ToUniversalTime().ToString('o');",
  "  LocalDateTime=$os.LocalDateTime.ToUniversalTime().ToString('o');",
  "  TotalVisibleMemorySize=$os.TotalVisibleMemorySize; FreePhysicalMemory=$os.FreePhysicalMemory;",
  "  WindowsDirectory=$os.WindowsDirectory; SerialNumber=$os.SerialNumber;",
  "  Name=$cs.Name; Domain=$cs.Domain; UserName=$cs.UserName; Processor=$cpu.Name;",
  "  TimeZone=$tz.StandardName; RegisteredOwner=$cv.RegisteredOwner;",
  "  RegisteredOrganization=$cv.RegisteredOrganization; ProductId=$cv.ProductId;",
  "  DisplayVersion=$cv.DisplayVersion;",
  "  Adapters=@($nics | ForEach-Object { [pscustomobject]@{ Description=$_.Description;",
  "    Index=$_.Index; MACAddress=$_.MACAddress; IPAddress=@($_.IPAddress);",
  "    IPSubnet=@($_.IPSubnet); DefaultIPGateway=@($_.DefaultIPGateway) } })",
  "} | ConvertTo-Json -Compress -Depth 4",
].join("\n");

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** The SystemInfo of the pipeline's object. */
export function systemInfoOfCim(object: CimObject, now: Date): SystemInfo {
  const missing: Record<string, string> = {
    kernelVersion: "a Linux term: the Windows build is buildNumber",
  };
  const bootText = cimString(object, "LastBootUpTime");
  const boot = bootText ? Date.parse(bootText) : NaN;
  const kib = (name: string) => {
    const value = cimNumber(object, name);
    return value === undefined ? undefined : value * 1024;
  };
  const adapters = Array.isArray(object.Adapters) ? object.Adapters as CimObject[] : [];
  const networks: NetworkInfo[] = adapters.map((adapter) => {
    const ips = strings(adapter.IPAddress);
    const masks = strings(adapter.IPSubnet);
    const gateways = strings(adapter.DefaultIPGateway);
    const mac = cimString(adapter, "MACAddress");
    return {
      adapter: String(cimNumber(adapter, "Index") ?? cimString(adapter, "Description") ?? ""),
      ...(cimString(adapter, "Description")
        ? { description: cimString(adapter, "Description")! }
        : {}),
      ...(mac ? { MAC: mac.toLowerCase().replaceAll("-", ":") } : {}),
      ipArray: {
        ipInfo: ips.map((ip, index) =>
          ip.includes(":")
            ? { ipv6Address: ip }
            : { ipAddress: ip, ...(masks[index] ? { subnetMask: masks[index] } : {}) }
        ),
      },
      ...(gateways.length === 0 ? {} : { ipGatewayArray: { ipGateway: gateways } }),
    };
  });
  const primary = networks.find((n) => (n.ipGatewayArray?.ipGateway.length ?? 0) > 0);
  const ipv4 = primary?.ipArray?.ipInfo.find((info) => info.ipAddress)?.ipAddress;
  const ipv6 = primary?.ipArray?.ipInfo.find((info) => info.ipv6Address)?.ipv6Address;
  const user = cimString(object, "UserName");
  if (!user) missing.loggedOnUser = "Win32_ComputerSystem names no console user";
  if (!primary) {
    for (const field of ["primaryIpAddress", "primaryIpv4Address", "primaryIpv6Address", "MAC"]) {
      missing[field] = "no adapter has a default gateway";
    }
  }
  return {
    fields: {
      hostname: cimString(object, "Name"),
      machine: cimString(object, "Name"),
      domain: cimString(object, "Domain"),
      OS: cimString(object, "Caption"),
      productName: cimString(object, "Caption"),
      OSbitness: cimString(object, "OSArchitecture"),
      buildNumber: cimString(object, "BuildNumber"),
      patchLevel: cimString(object, "CSDVersion") ?? cimString(object, "DisplayVersion"),
      productID: cimString(object, "ProductId") ?? cimString(object, "SerialNumber"),
      installDate: cimString(object, "InstallDate"),
      processor: cimString(object, "Processor"),
      timezone: cimString(object, "TimeZone"),
      totalphysical: kib("TotalVisibleMemorySize"),
      availphysical: kib("FreePhysicalMemory"),
      uptime: Number.isNaN(boot)
        ? undefined
        : Math.max(0, Math.floor((now.getTime() - boot) / 1000)),
      loggedOnUser: user,
      regOwner: cimString(object, "RegisteredOwner"),
      regOrg: cimString(object, "RegisteredOrganization"),
      directory: cimString(object, "WindowsDirectory"),
      platform: "Windows",
      date: now.toISOString(),
      primaryIpAddress: ipv4,
      primaryIpv4Address: ipv4,
      primaryIpv6Address: ipv6,
      MAC: primary?.MAC,
    },
    networks,
    missing,
  };
}

/** The Windows host's description through CIM. */
export function cimSystemSource(
  options: { readonly runner?: CommandRunner; readonly now?: () => Date } = {},
): TableSource<SystemInfo> {
  return {
    name: cimSystemSourceName,
    async read(signal): Promise<TableRead<SystemInfo>> {
      const read = await readCimJson(systemInfoScript, {
        ...(signal ? { signal } : {}),
        ...(options.runner ? { runner: options.runner } : {}),
      });
      if (!read.ok) return { ok: false, object: cimSystemSourceName, detail: read.detail };
      const object = read.objects[0];
      if (object === undefined) {
        return { ok: false, object: cimSystemSourceName, detail: "the pipeline printed nothing" };
      }
      return { ok: true, rows: [systemInfoOfCim(object, (options.now ?? (() => new Date()))())] };
    },
  };
}
