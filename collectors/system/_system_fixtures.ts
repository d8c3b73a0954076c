/**
 * Fixtures for the system collector's tests, built with code: a recorded
 * Linux host (the answers this machine gave: Debian 12 in a container) and
 * SOFTWARE and SYSTEM hives laid out as Windows writes them.
 *
 * @module
 */
import { buildHive, utf16z, ValueType } from "../../formats/regf/mod.ts";
import { scriptedCommands } from "../net_table/_scripted_commands.ts";
import type { LinuxHost } from "./linux_source.ts";

const notFound = (path: string) => Promise.reject(new Deno.errors.NotFound(`${path}: not found`));

/** A Linux host with recorded answers; `files` overrides or removes (`undefined`) files. */
export function recordedLinuxHost(
  files: Readonly<Record<string, string | undefined>> = {},
): LinuxHost {
  const texts: Record<string, string | undefined> = {
    "/etc/os-release": 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\n' +
      'VERSION_ID="12"\nID=debian\n',
    "/proc/cpuinfo": "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\n",
    "/proc/sys/kernel/domainname": "(none)\n",
    "/etc/passwd": "root:x:0:0:root:/root:/bin/bash\nanalyst:x:1000:1000::/home/analyst:/bin/sh\n",
    ...files,
  };
  const utmp = new Uint8Array(384);
  new DataView(utmp.buffer).setInt16(0, 7, true);
  utmp.set(new TextEncoder().encode("analyst"), 44);
  new DataView(utmp.buffer).setUint32(340, 1_700_000_000, true);
  return {
    hostname: () => "vm",
    osRelease: () => "6.18.44-fc-v1300",
    uptimeSeconds: () => 10148,
    memory: () => ({ total: 25276182528, available: 24386097152 }),
    interfaces: () => [
      iface("lo", "IPv4", "127.0.0.1", "255.0.0.0", "00:00:00:00:00:00"),
      iface("lo", "IPv6", "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "00:00:00:00:00:00"),
      iface("eth0", "IPv4", "192.0.2.2", "255.255.255.0", "02:fc:00:00:00:01"),
      iface("eth0", "IPv6", "fd00::2", "ffff:ffff:ffff:ffff::", "02:fc:00:00:00:01"),
    ],
    uid: () => 0,
    arch: () => "x86_64",
    readText: (path) => {
      const text = texts[path];
      return text === undefined ? notFound(path) : Promise.resolve(text);
    },
    readBytes: (path) => path === "/run/utmp" ? Promise.resolve(utmp) : notFound(path),
    readLink: (path) =>
      path === "/etc/localtime" ? Promise.resolve("/usr/share/zoneinfo/Etc/UTC") : notFound(path),
    now: () => new Date("2026-12-07T04:10:48.607Z"),
    runner: scriptedCommands({
      "ip -j -4 route show default": JSON.stringify([
        { dst: "default", gateway: "192.0.2.1", dev: "eth0", flags: [] },
      ]),
      "ip -j -6 route show default": JSON.stringify([
        { dst: "default", gateway: "fd00::1", dev: "eth0", metric: 1024, flags: [] },
      ]),
    }),
  };
}

function iface(
  name: string,
  family: "IPv4" | "IPv6",
  address: string,
  netmask: string,
  mac: string,
): Deno.NetworkInterfaceInfo {
  return { name, family, address, netmask, scopeid: family === "IPv6" ? 0 : null, cidr: "", mac };
}

const sz = (name: string, text: string) => ({ name, type: ValueType.REG_SZ, data: utf16z(text) });
const dword = (name: string, value: number) => {
  const data = new Uint8Array(4);
  new DataView(data.buffer).setUint32(0, value, true);
  return { name, type: ValueType.REG_DWORD, data };
};
const multi = (name: string, texts: string[]) => {
  const data = new Uint8Array([...texts.flatMap((t) => [...utf16z(t)]), 0, 0]);
  return { name, type: ValueType.REG_MULTI_SZ, data };
};

/** A SOFTWARE hive with CurrentVersion as Windows 10 writes it. */
export function buildSoftware(): Uint8Array {
  return buildHive({
    name: "ROOT",
    subkeys: [{
      name: "Microsoft",
      subkeys: [{
        name: "Windows NT",
        subkeys: [{
          name: "CurrentVersion",
          values: [
            sz("ProductName", "Windows 10 Pro"),
            sz("CurrentBuild", "19045"),
            sz("DisplayVersion", "22H2"),
            sz("ProductId", "00330-80000-00000-AA123"),
            sz("RegisteredOwner", "Evil Corp IT"),
            sz("RegisteredOrganization", "Evil Corp"),
            sz("SystemRoot", "C:\\Windows"),
            dword("InstallDate", Date.parse("2024-02-03T04:05:06Z") / 1000),
          ],
        }],
      }],
    }],
  }).bytes;
}

/** A SYSTEM hive: ControlSet002 current, computer name, zone, one static and one DHCP interface. */
export function buildSystem(): Uint8Array {
  return buildHive({
    name: "ROOT",
    subkeys: [
      { name: "Select", values: [dword("Current", 2)] },
      {
        name: "ControlSet001",
        subkeys: [{
          name: "Control",
          subkeys: [{
            name: "ComputerName",
            subkeys: [{ name: "ComputerName", values: [sz("ComputerName", "STALE-NAME")] }],
          }],
        }],
      },
      {
        name: "ControlSet002",
        subkeys: [
          {
            name: "Control",
            subkeys: [
              {
                name: "ComputerName",
                subkeys: [{ name: "ComputerName", values: [sz("ComputerName", "WKS-EVIL01")] }],
              },
              {
                name: "TimeZoneInformation",
                values: [
                  sz("TimeZoneKeyName", "W. Europe Standard Time"),
                  dword("Bias", 0xffffffc4),
                ],
              },
              {
                name: "Session Manager",
                subkeys: [{
                  name: "Environment",
                  values: [
                    sz("PROCESSOR_ARCHITECTURE", "AMD64"),
                    sz("PROCESSOR_IDENTIFIER", "Intel64 Family 6 Model 158 Stepping 10"),
                  ],
                }],
              },
            ],
          },
          {
            name: "Services",
            subkeys: [{
              name: "Tcpip",
              subkeys: [{
                name: "Parameters",
                values: [sz("Domain", "corp.example")],
                subkeys: [{
                  name: "Interfaces",
                  subkeys: [
                    {
                      name: "{11111111-1111-1111-1111-111111111111}",
                      values: [
                        dword("EnableDHCP", 0),
                        multi("IPAddress", ["10.3.58.5"]),
                        multi("SubnetMask", ["255.255.255.0"]),
                        multi("DefaultGateway", ["10.3.58.1"]),
                      ],
                    },
                    {
                      name: "{22222222-2222-2222-2222-222222222222}",
                      values: [
                        dword("EnableDHCP", 1),
                        sz("DhcpIPAddress", "192.168.1.50"),
                        sz("DhcpSubnetMask", "255.255.255.0"),
                        multi("DhcpDefaultGateway", ["192.168.1.1"]),
                      ],
                    },
                  ],
                }],
              }],
            }],
          },
        ],
      },
    ],
  }).bytes;
}
