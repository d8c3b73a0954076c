import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { CommandRunner } from "../../collectors/live/mod.ts";
import { recordedCommand } from "../../collectors/live/mod.ts";
import { defenderEngine } from "./defender.ts";

/** A PowerShell runner that answers the status script, then the history script, from recordings. */
function powershell(status: string, history = "", calls: string[] = []): CommandRunner {
  return (command, args, signal) => {
    const script = args.at(-1) ?? "";
    calls.push(script);
    return recordedCommand(script.startsWith("Get-MpComputerStatus") ? status : history)(
      command,
      args,
      signal,
    );
  };
}

const normal = JSON.stringify({
  AMRunningMode: "Normal",
  AntivirusEnabled: true,
  AMServiceEnabled: true,
  RealTimeProtectionEnabled: true,
});
const clock = () => new Date("2026-12-07T05:00:00.000Z");

Deno.test("defenderEngine() reads the detections from the history, not from MpCmdRun's exit code 2", async () => {
  const calls: string[] = [];
  const history = JSON.stringify([{
    ThreatID: 2147519003,
    ThreatName: "Virus:DOS/EICAR_Test_File",
    Resources: ["file:_C:\\Users\\Public\\eicar.com", "process:_pid:4242"],
    InitialDetectionTime: "2026-12-07T05:00:03.0000000Z",
  }]);
  const report = await defenderEngine({
    powershellRunner: powershell(normal, history, calls),
    scanRunner: recordedCommand("Scan starting...\nScan finished.\nFound 1 threats.\n", 2),
    now: clock,
  }).scan([]);
  ok(report.available, JSON.stringify(report));
  deepStrictEqual(report.detections, [
    { file: "C:\\Users\\Public\\eicar.com", signature: "Virus:DOS/EICAR_Test_File" },
    { file: "process:_pid:4242", signature: "Virus:DOS/EICAR_Test_File" },
  ]);
  ok(report.notes[0]!.includes("exited with 2"));
  ok(calls[1]!.includes("2026-12-07T04:59:59.000Z"), calls[1]);
});

Deno.test("defenderEngine(): exit code 2 with no detection in the history is no detection (not 'found')", async () => {
  const report = await defenderEngine({
    powershellRunner: powershell(normal, ""),
    scanRunner: recordedCommand("Scan starting...\nScan finished.\n", 2),
    now: clock,
  }).scan([]);
  ok(report.available);
  deepStrictEqual(report.detections, []);
});

Deno.test("defenderEngine(): disabled by another antivirus (exit 2, 'Product/Feature disabled') is unavailable", async () => {
  const report = await defenderEngine({
    powershellRunner: powershell(normal, ""),
    scanRunner: recordedCommand(
      "",
      2,
      "CmdTool: Failed with hr = 0x800106BA. WARN: Product/Feature disabled\n",
    ),
    now: clock,
  }).scan([]);
  strictEqual(report.available, false);
  ok(!report.available && report.why.includes("disabled"), JSON.stringify(report));
});

Deno.test("defenderEngine(): passive mode, EDR block mode and a disabled engine are unavailable, named as such; MpCmdRun is not run", async () => {
  const cases: [string, RegExp][] = [
    [
      JSON.stringify({ AMRunningMode: "Passive Mode", AntivirusEnabled: true }),
      /Passive Mode.*another antivirus/,
    ],
    [JSON.stringify({ AMRunningMode: "EDR Block Mode", AntivirusEnabled: true }), /EDR block mode/],
    [JSON.stringify({ AMRunningMode: "Normal", AntivirusEnabled: false }), /antivirus is disabled/],
    [
      JSON.stringify({ AMRunningMode: "Not running", AMServiceEnabled: false }),
      /service is not running/,
    ],
  ];
  for (const [status, why] of cases) {
    let ran = false;
    const report = await defenderEngine({
      powershellRunner: powershell(status),
      scanRunner: (...args) => {
        ran = true;
        return recordedCommand("")(...args);
      },
    }).scan([]);
    ok(!report.available && why.test(report.why), `${status}: ${JSON.stringify(report)}`);
    strictEqual(ran, false);
  }
});

Deno.test("defenderEngine(): a quick scan that did not say 'Scan finished' (failed, cancelled) is unavailable, not clean", async () => {
  for (
    const [out, err, code] of [
      ["Scan starting...\n", "CmdTool: Failed with hr = 0x80508023. Check MpCmdRun.log\n", 2],
      ["Scan starting...\nScan cancelled.\n", "", 0],
      ["", "", 0],
    ] as const
  ) {
    const report = await defenderEngine({
      powershellRunner: powershell(normal, ""),
      scanRunner: recordedCommand(out, code, err),
      now: clock,
    }).scan([]);
    strictEqual(report.available, false, `${out} ${err}: ${JSON.stringify(report)}`);
    ok(!report.available && report.why.includes("did not finish"), report.why);
  }
});

Deno.test("defenderEngine(): a status without AntivirusEnabled true (absent, null) is unavailable", async () => {
  for (
    const status of [
      { AMRunningMode: "Normal" },
      { AMRunningMode: "Normal", AntivirusEnabled: null },
      { AMRunningMode: "Normal", AntivirusEnabled: "True" },
    ]
  ) {
    let ran = false;
    const report = await defenderEngine({
      powershellRunner: powershell(JSON.stringify(status)),
      scanRunner: (...args) => {
        ran = true;
        return recordedCommand("Scan starting...\nScan finished.\n")(...args);
      },
    }).scan([]);
    strictEqual(report.available, false, JSON.stringify(status));
    strictEqual(ran, false);
  }
});
