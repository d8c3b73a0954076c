/**
 * The isolation backend of the host iocscan runs on: nftables on Linux, the Windows Filtering
 * Platform on Windows (not yet run on Windows: docs/isolation_windows.md); other systems are
 * refused rather than reported isolated.
 *
 * @module
 */
import type { IsolationBackend } from "./contract.ts";
import { engineSelfCommand } from "./engine_command.ts";
import { nftablesBackend } from "./nftables_backend.ts";
import { installIsolationTasks } from "./task_units.ts";
import { wfpBackend } from "./windows_wfp_backend.ts";

/** The environment variable naming a folder the boot and tamper units are written to (only). */
export const UNIT_DIR_ENV = "IOCSCAN_ISOLATION_UNIT_DIR";

/** What a backend needs to know of the store: the arguments its own release tasks pass. */
interface BackendOptions {
  /** `--db STORE` (never a password) for the tasks that release and re-apply (Windows). */
  readonly taskTail?: readonly string[];
}

/** The backends by operating system. */
const backends: Partial<
  Record<typeof Deno.build.os, (options: BackendOptions) => IsolationBackend>
> = {
  linux: () => nftablesBackend(),
  windows: (options) =>
    wfpBackend(options.taskTail === undefined ? {} : { taskTail: options.taskTail }),
};

/**
 * The backend for this host.
 *
 * @throws Error on a system without one.
 */
export function hostIsolationBackend(
  os: typeof Deno.build.os = Deno.build.os,
  options: BackendOptions = {},
): IsolationBackend {
  const make = backends[os];
  if (make === undefined) throw new Error(`host isolation is not available on ${os}`);
  return make(options);
}

/**
 * How the boot and tamper tasks start this iocscan: the executable itself, or `deno run` with
 * the engine's permissions and this checkout's entry point.
 */
export function iocscanLauncher(): string[] {
  const command = engineSelfCommand();
  return [command.program, ...command.arguments];
}

/**
 * Installs the boot and tamper tasks of this host for the store at `storeLocation` (named with
 * `--db` in the tasks; never a password) and the local record in `stateDir` (named with
 * `--state-dir`): written to `unitDir`, else to the folder {@linkcode UNIT_DIR_ENV} names, else to
 * systemd's folder and enabled where systemd runs.
 *
 * @returns What was done, for the audit.
 */
export function installHostTasks(
  storeLocation?: string,
  unitDir?: string,
  stateDir?: string,
): Promise<string> {
  const folder = unitDir ?? Deno.env.get(UNIT_DIR_ENV);
  return installIsolationTasks({
    launcher: iocscanLauncher(),
    options: [
      ...(storeLocation === undefined ? [] : ["--db", storeLocation]),
      ...(stateDir === undefined ? [] : ["--state-dir", stateDir]),
    ],
    ...(folder === undefined || folder === "" ? {} : { unitDir: folder }),
  });
}
