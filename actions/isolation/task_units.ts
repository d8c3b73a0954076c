/**
 * The tasks that keep an isolation honest without an iocscan process running: a systemd service
 * run at boot (`isolation boot`: re-apply before the deadline, clean up after) and a service with
 * a timer every 60 s (`isolation check`: re-apply a removed table, clean up after the deadline).
 * `isolate` writes them where systemd runs; the cron lines are the fallback docs/isolation.md
 * gives for hosts without systemd.
 *
 * @module
 */
import { join } from "node:path";
import { TAMPER_CHECK_SECONDS } from "./isolation_limits.ts";
import { runTool, toolComplaint, type ToolRunner } from "./tool_run.ts";

/** Where systemd units are installed. */
export const SYSTEMD_UNIT_DIR = "/etc/systemd/system";

/** The boot unit, the check unit and its timer. */
export const TASK_UNIT_NAMES = {
  boot: "iocscan-isolation-boot.service",
  check: "iocscan-isolation-check.service",
  timer: "iocscan-isolation-check.timer",
} as const;

/** One unit file. */
export interface UnitFile {
  readonly name: string;
  readonly text: string;
}

/**
 * The three unit files, running `launcher isolation boot|check …options` (`--db` when the store
 * is not the default one; never a password).
 */
export function isolationUnits(
  launcher: readonly string[],
  options: readonly string[] = [],
): UnitFile[] {
  const exec = (verb: string) =>
    [...launcher, "isolation", verb, ...options].map(systemdQuote).join(" ");
  return [
    {
      name: TASK_UNIT_NAMES.boot,
      text: `[Unit]
Description=iocscan: re-apply a host isolation whose deadline has not passed, clean up one that has
DefaultDependencies=no
After=local-fs.target
Before=network-pre.target
Wants=network-pre.target

[Service]
Type=oneshot
ExecStart=${exec("boot")}

[Install]
WantedBy=multi-user.target
`,
    },
    {
      name: TASK_UNIT_NAMES.check,
      text: `[Unit]
Description=iocscan: the host isolation's tamper check (re-apply a removed rule set; clean up after the deadline)

[Service]
Type=oneshot
ExecStart=${exec("check")}
`,
    },
    {
      name: TASK_UNIT_NAMES.timer,
      text: `[Unit]
Description=iocscan: run the host isolation's tamper check every ${TAMPER_CHECK_SECONDS} s

[Timer]
OnBootSec=${TAMPER_CHECK_SECONDS}
OnUnitActiveSec=${TAMPER_CHECK_SECONDS}
AccuracySec=5s

[Install]
WantedBy=timers.target
`,
    },
  ];
}

/** The cron fallback (`/etc/cron.d/iocscan-isolation`) for a host without systemd. */
export function isolationCronLines(
  launcher: readonly string[],
  options: readonly string[] = [],
): string {
  const exec = (verb: string) =>
    [...launcher, "isolation", verb, ...options].map(shellQuote).join(" ");
  return `@reboot root ${exec("boot")}\n* * * * * root ${exec("check")}\n`;
}

/** Where and how to install the tasks. */
export interface InstallTasksOptions {
  /** The launcher (see {@linkcode isolationUnits}). */
  readonly launcher: readonly string[];
  /** The options after `isolation boot|check` (`--db`). */
  readonly options?: readonly string[];
  /** Write the units here and run nothing (tests, packaging); default: systemd's folder. */
  readonly unitDir?: string;
  /** Runs `systemctl` (only when no `unitDir` was given). */
  readonly run?: ToolRunner;
  /** Whether systemd runs this host (default: `/run/systemd/system` exists). */
  readonly systemdRuns?: () => boolean;
}

/**
 * Writes the units; with no `unitDir` and systemd running, installs them in
 * {@linkcode SYSTEMD_UNIT_DIR} and enables the boot unit and the timer.
 *
 * @returns What was done, for the audit.
 */
export async function installIsolationTasks(options: InstallTasksOptions): Promise<string> {
  const systemdRuns = options.systemdRuns ?? hasSystemd;
  if (options.unitDir === undefined && !systemdRuns()) {
    return "systemd does not run here: no boot or tamper task installed (the cron fallback of docs/isolation.md)";
  }
  const folder = options.unitDir ?? SYSTEMD_UNIT_DIR;
  await Deno.mkdir(folder, { recursive: true });
  for (const unit of isolationUnits(options.launcher, options.options ?? [])) {
    await Deno.writeTextFile(join(folder, unit.name), unit.text, { mode: 0o644 });
  }
  if (options.unitDir !== undefined) return `units written to ${folder} (not enabled)`;
  const run = options.run ?? runTool;
  for (
    const args of [
      ["daemon-reload"],
      ["enable", TASK_UNIT_NAMES.boot],
      ["enable", "--now", TASK_UNIT_NAMES.timer],
    ]
  ) {
    const result = await run("systemctl", args);
    if (result.code !== 0) {
      throw new Error(`systemctl ${args.join(" ")}: ${toolComplaint(result)}`);
    }
  }
  return `units installed in ${folder}; ${TASK_UNIT_NAMES.boot} and ${TASK_UNIT_NAMES.timer} enabled`;
}

function hasSystemd(): boolean {
  try {
    return Deno.statSync("/run/systemd/system").isDirectory;
  } catch {
    return false;
  }
}

/** One ExecStart word, quoted the way systemd.service(5) reads it. */
export function systemdQuote(word: string): string {
  // systemd expands `%` specifiers and `$` variables: both are doubled to stay literal.
  const literal = word.replaceAll("%", () => "%%").replaceAll("$", () => "$$");
  if (/^[A-Za-z0-9_./:=@+,%-]+$/.test(literal)) return literal;
  return `"${
    literal.replaceAll("\\", () => "\\\\").replaceAll('"', () => '\\"').replaceAll(
      "\n",
      () => "\\n",
    )
  }"`;
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@+,-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
