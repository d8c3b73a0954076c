/**
 * The PowerShell front door of host isolation, for real, in the network-namespace lab of
 * tests/_isolation_lab (never this machine's own namespace): `Start-IocIsolation` isolates the
 * lab's host through the real engine (C2 refused, the management host open), `Get-IocIsolation`
 * reads it back, `Stop-IocIsolation` lifts it (C2 answers again). Skips loudly without root,
 * `ip`/`nft`/`ss` or pwsh.
 *
 * @module
 */
import { ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildLab, type Lab, labUnavailable, skipLoudly } from "./_isolation_lab/lab.ts";

const manifest = fileURLToPath(new URL("../powershell/IocScan/IocScan.psd1", import.meta.url));

/** pwsh on PATH or where `dotnet tool install -g` puts it; undefined when neither has it. */
async function findPwsh(): Promise<string | undefined> {
  const home = Deno.env.get("HOME") ?? "";
  for (const candidate of ["pwsh", join(home, ".dotnet", "tools", "pwsh")]) {
    try {
      const { success } = await new Deno.Command(candidate, {
        args: ["-NoProfile", "-NonInteractive", "-Command", "exit 0"],
        stdout: "null",
        stderr: "null",
      }).output();
      if (success) return candidate;
    } catch {
      // not there
    }
  }
  return undefined;
}

const pwsh = await findPwsh();
const unavailable = (await labUnavailable()) ??
  (pwsh === undefined ? "pwsh not found (tests/run_pester.sh installs it)" : undefined);
if (unavailable !== undefined) skipLoudly(unavailable);

/** A single-quoted PowerShell string literal. */
function quoted(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Runs a PowerShell script in the lab's host namespace; returns its last stdout line as JSON. */
async function inHost(lab: Lab, unitDir: string, script: string): Promise<Record<string, unknown>> {
  const run = await lab.run("env", [
    `IOCSCAN_ISOLATION_UNIT_DIR=${unitDir}`,
    `IOCSCAN_ISOLATION_STATE_DIR=${lab.stateDir}`,
    pwsh!,
    "-NoProfile",
    "-NonInteractive",
    "-Command",
    `$ErrorActionPreference = 'Stop'; Import-Module ${quoted(manifest)} -Force; ${script}`,
  ]);
  strictEqual(run.code, 0, `pwsh failed: ${run.stderr}\n${run.stdout}`);
  const last = run.stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(last);
}

Deno.test({
  name:
    "Start-IocIsolation / Get-IocIsolation / Stop-IocIsolation isolate and release the lab's host through the real engine",
  ignore: unavailable !== undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const lab = await buildLab();
    const dir = await Deno.makeTempDir({ prefix: "iocscan-isolation-pwsh-" });
    const db = join(dir, "results.db");
    const units = join(dir, "units");
    try {
      const before = await lab.probe("tcp:10.9.0.20:8080", "tcp:10.9.0.10:8443");
      strictEqual(before["tcp:10.9.0.20:8080"]?.outcome, "answered", "C2 answers before");

      const started = await inHost(
        lab,
        units,
        `$i = Start-IocIsolation -Duration (New-TimeSpan -Minutes 5) -Allow 'mgmt.lab:8443/tcp' ` +
          `-Probe '10.9.0.20:8080' -Reason 'pwsh lab' -DatabasePath ${
            quoted(db)
          } -Confirm:$false; ` +
          `$g = Get-IocIsolation -DatabasePath ${quoted(db)}; ` +
          `[pscustomobject]@{ Id = $i.Id; Started = $i.State; Read = $g.State; ` +
          `Type = $i.PSObject.TypeNames[0] } | ConvertTo-Json -Compress`,
      );
      strictEqual(started.Type, "IocScan.Isolation");
      strictEqual(started.Started, "active");
      strictEqual(started.Read, "active");
      ok(await lab.hasTable(), "our table is in the host namespace");
      const isolated = await lab.probe("tcp:10.9.0.20:8080", "tcp:10.9.0.10:8443");
      strictEqual(isolated["tcp:10.9.0.20:8080"]?.outcome, "refused", "C2 refused");
      strictEqual(isolated["tcp:10.9.0.10:8443"]?.outcome, "answered", "management open");

      const stopped = await inHost(
        lab,
        units,
        `Stop-IocIsolation -DatabasePath ${quoted(db)} -Confirm:$false | Out-Null; ` +
          `$g = Get-IocIsolation -DatabasePath ${quoted(db)}; ` +
          `[pscustomobject]@{ Id = $g.Id; State = $g.State } | ConvertTo-Json -Compress`,
      );
      strictEqual(stopped.Id, started.Id);
      strictEqual(stopped.State, "released");
      ok(!(await lab.hasTable()), "our table is gone");
      const after = await lab.probe("tcp:10.9.0.20:8080");
      strictEqual(after["tcp:10.9.0.20:8080"]?.outcome, "answered", "C2 answers after release");
    } finally {
      await lab.run("nft", ["delete", "table", "inet", "iocscan_isolation"]).catch(() => {});
      await lab.dispose();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
