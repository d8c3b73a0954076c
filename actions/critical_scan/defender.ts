/**
 * The Microsoft Defender hand-off (Windows; tested on recorded outputs, not
 * run on Windows yet). Defender's exit codes are not trusted: `MpCmdRun`
 * exits 2 both when it found a threat and when Defender is disabled because
 * another antivirus is active. So, in order:
 *
 * 1. `Get-MpComputerStatus`: Defender must be the active antivirus
 *    (`AMRunningMode` `Normal`, `AntivirusEnabled` true); passive mode, EDR
 *    block mode or a disabled engine is "unavailable", named as such.
 * 2. `MpCmdRun.exe -Scan -ScanType 1` (a quick scan: running processes,
 *    their modules and the autostart places, Defender's own critical set),
 *    its exit code and output recorded as a note only; an output saying the
 *    product is disabled makes it unavailable.
 * 3. The detections from Defender's history: `Get-MpThreatDetection` since
 *    the scan started, with each threat's name from `Get-MpThreat`, as JSON
 *    through the bounded PowerShell reader (collectors/net_table).
 *
 * @module
 */
import { type CommandRunner, readCommandOutput } from "../../collectors/live/mod.ts";
import { type CimObject, cimString, readCimJson } from "../../collectors/net_table/mod.ts";
import type { AntivirusDetection, AntivirusEngine, AntivirusReport } from "./antivirus.ts";

/** The engine's name (the findings' source). */
export const defenderEngineName = "defender";
/** How long the quick scan may take (Defender's own default is a day; ours is shorter). */
export const defaultDefenderTimeoutMs = 4 * 60 * 60 * 1000;
/** The most bytes of MpCmdRun's output read. */
const maxScanOutputBytes = 4 * 1024 * 1024;
/** The running mode of an active Defender. */
const activeMode = "Normal";
/** What MpCmdRun prints when its scan ran to its end (anything else: failed, cancelled, killed). */
const finishedOutput = /^\s*Scan finished\.?\s*$/im;
/** What MpCmdRun prints when another antivirus turned Defender off. */
const disabledOutput = /Product\/Feature disabled|0x800106ba|has been disabled/i;

/** The PowerShell that says whether Defender is the active antivirus. */
export const defenderStatusScript =
  "Get-MpComputerStatus | Select-Object AMRunningMode,AntivirusEnabled,AMServiceEnabled," +
  "RealTimeProtectionEnabled | ConvertTo-Json -Compress";

/** The PowerShell that reads the detections since `since` (ISO 8601 UTC), with threat names. */
export function defenderDetectionsScript(since: string): string {
  return `$since = [datetime]::Parse('${since}').ToUniversalTime(); ` +
    "$threats = @(Get-MpThreat); " +
    "@(Get-MpThreatDetection | Where-Object { $_.InitialDetectionTime.ToUniversalTime() -ge $since }) | " +
    "ForEach-Object { $id = $_.ThreatID; [pscustomobject]@{ ThreatID = $id; " +
    "ThreatName = ($threats | Where-Object { $_.ThreatID -eq $id } | Select-Object -First 1).ThreatName; " +
    "Resources = @($_.Resources); " +
    "InitialDetectionTime = $_.InitialDetectionTime.ToUniversalTime().ToString('o') } } | " +
    "ConvertTo-Json -Compress -Depth 3";
}

/** How Defender is reached (tests: recorded runners). */
export interface DefenderOptions {
  /** MpCmdRun.exe (default `%ProgramFiles%\Windows Defender\MpCmdRun.exe`). */
  readonly mpCmdRun?: string;
  /** Runs MpCmdRun. */
  readonly scanRunner?: CommandRunner;
  /** Runs the PowerShell readers (status, then detections). */
  readonly powershellRunner?: CommandRunner;
  readonly timeoutMs?: number;
  /** The clock (tests). */
  readonly now?: () => Date;
}

/** Whether a `Get-MpComputerStatus` object says Defender is the active antivirus, or why not. */
export function defenderActive(status: CimObject | undefined): true | string {
  if (status === undefined) return "Get-MpComputerStatus returned nothing";
  const mode = cimString(status, "AMRunningMode");
  if (status["AMServiceEnabled"] === false) return "the Defender service is not running";
  if (mode !== activeMode) {
    return `Defender is not the active antivirus: AMRunningMode is ${mode ?? "not given"}` +
      (mode !== undefined && /passive/i.test(mode)
        ? " (another antivirus is active; Defender does not scan)"
        : mode !== undefined && /EDR/i.test(mode)
        ? " (EDR block mode: Defender blocks for the EDR, another antivirus scans)"
        : "");
  }
  // Fail closed: only a `true` says the engine is on (absent, null or a string is not).
  if (status["AntivirusEnabled"] !== true) {
    return status["AntivirusEnabled"] === false
      ? "Defender's antivirus is disabled"
      : `Defender's antivirus is not said to be enabled (AntivirusEnabled is ${
        JSON.stringify(status["AntivirusEnabled"] ?? null)
      })`;
  }
  return true;
}

/** The detections of `Get-MpThreatDetection` objects: one per file resource. */
export function defenderDetections(objects: readonly CimObject[]): AntivirusDetection[] {
  return objects.flatMap((object) => {
    const signature = cimString(object, "ThreatName") ??
      `ThreatID ${String(object["ThreatID"] ?? "unknown")}`;
    const resources = Array.isArray(object["Resources"])
      ? (object["Resources"] as unknown[]).filter((r): r is string => typeof r === "string")
      : typeof object["Resources"] === "string"
      ? [object["Resources"] as string]
      : [];
    if (resources.length === 0) return [{ file: "(no resource named)", signature }];
    // `file:_C:\path`, `process:_pid:1234,ProcessStart:…`, `regkey:_HKLM\…`.
    return resources.map((resource) => ({
      file: resource.replace(/^file:_/, ""),
      signature,
    }));
  });
}

/** The Defender engine. */
export function defenderEngine(options: DefenderOptions = {}): AntivirusEngine {
  const now = options.now ?? (() => new Date());
  const ps = options.powershellRunner ? { runner: options.powershellRunner } : {};
  return {
    name: defenderEngineName,
    async scan(_files, signal): Promise<AntivirusReport> {
      const status = await readCimJson(defenderStatusScript, {
        ...ps,
        ...(signal ? { signal } : {}),
      });
      if (!status.ok) return { available: false, why: `Get-MpComputerStatus: ${status.detail}` };
      const active = defenderActive(status.objects[0]);
      if (active !== true) return { available: false, why: active };
      // Detections from this second on are this scan's (a second back: the history's clock).
      const since = new Date(now().getTime() - 1000).toISOString();
      const programFiles = Deno.env.get("ProgramFiles") ?? "C:\\Program Files";
      const scan = await readCommandOutput(
        options.mpCmdRun ?? `${programFiles}\\Windows Defender\\MpCmdRun.exe`,
        ["-Scan", "-ScanType", "1"],
        {
          maxBytes: maxScanOutputBytes,
          timeoutMs: options.timeoutMs ?? defaultDefenderTimeoutMs,
          // Any exit code: it is not trusted (2 is "found" and "disabled by another antivirus").
          okExitCodes: [...Array(256).keys()],
          ...(signal ? { signal } : {}),
          ...(options.scanRunner ? { runner: options.scanRunner } : {}),
        },
      );
      if (!scan.ok) return { available: false, why: `MpCmdRun: ${scan.reason}` };
      if (disabledOutput.test(scan.text) || disabledOutput.test(scan.stderr)) {
        return {
          available: false,
          why: `MpCmdRun says Defender is disabled (exit code ${scan.code}): ${
            firstLine(scan.text + "\n" + scan.stderr)
          }`,
        };
      }
      if (!finishedOutput.test(scan.text)) {
        // The history holds what a scan found, not what it did not get to: a scan that failed
        // or was cancelled half-way says nothing of the rest.
        return {
          available: false,
          why:
            `MpCmdRun's quick scan did not finish (exit code ${scan.code}, no "Scan finished"): ${
              firstLine(scan.stderr + "\n" + scan.text) || "no output"
            }`,
        };
      }
      const history = await readCimJson(defenderDetectionsScript(since), {
        ...ps,
        ...(signal ? { signal } : {}),
      });
      if (!history.ok) {
        return {
          available: false,
          why:
            `the quick scan ran (exit code ${scan.code}) but its detections could not be read: ` +
            history.detail,
        };
      }
      return {
        available: true,
        detections: defenderDetections(history.objects),
        skipped: [],
        scanned: 0,
        notes: [
          `MpCmdRun -Scan -ScanType 1 exited with ${scan.code} (not trusted: read the history)`,
        ],
      };
    },
  };
}

function firstLine(text: string): string {
  return (text.split("\n").find((line) => line.trim() !== "") ?? "").trim().slice(0, 300);
}
