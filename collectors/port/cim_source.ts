/**
 * The port collector's Windows fallback, for when iphlpapi cannot be called:
 * `Get-NetTCPConnection`, `Get-NetUDPEndpoint` and `Win32_Process` (for the
 * owners' images) in one PowerShell run, as compact JSON, read through
 * `readCommandOutput` with a byte cap and a deadline (WMI can hang). The
 * JSON is parsed by {@linkcode parseCimPorts}, tested on recorded output.
 *
 * `State` arrives as the `MSFT_NetTCPConnection` number (or its word, with
 * enums as strings); `CreationTime` as ISO 8601 from the script, or the
 * `\/Date(ms)\/` form of Windows PowerShell 5.1. Like the API, the UDP
 * endpoints have no remote address.
 *
 * @module
 */
import { canonicalIp } from "../../engine/value_types.ts";
import { readCommandOutput } from "../live/mod.ts";
import type { CommandRunner } from "../live/mod.ts";
import type { PortRecord } from "./port_record.ts";
import { errorText, type PortSource, type PortTableRead, portTableSkip } from "./source.ts";
import { tcpStateFromWord, windowsTcpState } from "./tcp_states.ts";
import { ownerFields, type WindowsImage } from "./windows_records.ts";

/** The bounds of the PowerShell run. */
export const cimLimits = { maxBytes: 32 * 1024 * 1024, timeoutMs: 60_000 } as const;

/** The object of iocscan's own PowerShell run's source, for skips. */
export const cimSourceObject = "ports:Get-NetTCPConnection";

const time =
  "@{n='CreationTime';e={if ($_.CreationTime) { $_.CreationTime.ToUniversalTime().ToString('o') }}}";

/** The script: one JSON object `{tcp, udp, processes}`. */
export const cimScript = [
  "$ErrorActionPreference = 'Stop'",
  `$tcp = @(Get-NetTCPConnection | Select-Object LocalAddress,LocalPort,RemoteAddress,RemotePort,@{n='State';e={[int]$_.State}},OwningProcess,${time})`,
  `$udp = @(Get-NetUDPEndpoint | Select-Object LocalAddress,LocalPort,OwningProcess,${time})`,
  "$processes = @(Get-CimInstance -ClassName Win32_Process -OperationTimeoutSec 30 | Select-Object ProcessId,Name,ExecutablePath)",
  "[pscustomobject]@{ tcp = $tcp; udp = $udp; processes = $processes } | ConvertTo-Json -Compress -Depth 3",
].join("; ");

/** The CIM source; `runner` replays recorded output in tests. */
export function cimPortSource(
  options: { runner?: CommandRunner; now?: () => Date } = {},
): PortSource {
  return {
    name: "Get-NetTCPConnection",
    async read(signal) {
      const output = await readCommandOutput(
        "powershell.exe",
        ["-NoProfile", "-NonInteractive", "-Command", cimScript],
        {
          ...cimLimits,
          ...(signal ? { signal } : {}),
          ...(options.runner ? { runner: options.runner } : {}),
        },
      );
      if (!output.ok) {
        return {
          ports: [],
          skips: [portTableSkip(cimSourceObject, "unreadable", output.reason)],
          warnings: [],
          stats: {},
        };
      }
      const observedAt = (options.now ?? (() => new Date()))().toISOString();
      try {
        return parseCimPorts(output.text, observedAt);
      } catch (error) {
        return {
          ports: [],
          skips: [
            portTableSkip(
              cimSourceObject,
              "corrupt",
              `its JSON could not be read: ${errorText(error)}`,
            ),
          ],
          warnings: [],
          stats: {},
        };
      }
    },
  };
}

/** Parses the script's JSON into endpoints. Throws when it is not the expected object. */
export function parseCimPorts(text: string, observedAt: string): PortTableRead {
  const parsed = JSON.parse(text) as Record<string, unknown>;
  if (parsed === null || typeof parsed !== "object") throw new Error("not a JSON object");
  const images = new Map<number, WindowsImage>();
  for (const process of list(parsed.processes)) {
    const pid = Number(process.ProcessId);
    const path = process.ExecutablePath;
    images.set(
      pid,
      typeof path === "string" && path !== ""
        ? { imagePath: path }
        : { error: "Win32_Process gave no ExecutablePath" },
    );
  }
  const imageOf = (pid: number): WindowsImage =>
    images.get(pid) ?? { error: "the process was not in Win32_Process" };
  const ports: PortRecord[] = [];
  const tables = [["TCP", parsed.tcp], ["UDP", parsed.udp]] as const;
  for (const [protocol, rows] of tables) {
    for (const row of list(rows)) {
      const unevaluated: Record<string, string> = {};
      const local = String(row.LocalAddress ?? "");
      const record: Record<string, unknown> = {
        protocol,
        isIPv6: local.includes(":"),
        localIP: canonicalIp(local) ?? local,
        localPort: Number(row.LocalPort),
        observedAt,
      };
      if (protocol === "TCP") {
        const remote = String(row.RemoteAddress ?? "");
        record.remoteIP = canonicalIp(remote) ?? remote;
        record.remotePort = Number(row.RemotePort);
        record.state = typeof row.State === "number"
          ? windowsTcpState(row.State)
          : tcpStateFromWord(String(row.State)) ?? String(row.State);
      } else {
        unevaluated.remoteIP = "Windows' UDP endpoints keep no remote address";
        unevaluated.remotePort = unevaluated.remoteIP;
      }
      const created = cimTime(row.CreationTime);
      if (created !== undefined) record.creationTime = created;
      else unevaluated.CreationTime = "Windows recorded no creation time for this socket";
      Object.assign(record, ownerFields(Number(row.OwningProcess), imageOf, unevaluated));
      ports.push({ ...record, unevaluated } as unknown as PortRecord);
    }
  }
  return { ports, skips: [], warnings: [], stats: { sockets: ports.length } };
}

/** ConvertTo-Json writes one object for a one-element array, and nothing for none. */
function list(value: unknown): Record<string, unknown>[] {
  if (value === null || value === undefined) return [];
  const array = Array.isArray(value) ? value : [value];
  return array.filter((entry): entry is Record<string, unknown> =>
    entry !== null && typeof entry === "object"
  );
}

/** ISO 8601 text, or Windows PowerShell's `\/Date(1700000000000)\/`; undefined otherwise. */
export function cimTime(value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const legacy = /^\/Date\((-?\d+)\)\/$/.exec(value);
  const date = legacy ? new Date(Number(legacy[1])) : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
