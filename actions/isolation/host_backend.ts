/**
 * The isolation backend of the host iocscan runs on: nftables on Linux. The Windows backend (WFP)
 * is built behind the same interface on another branch; until it is merged, other systems are
 * refused rather than reported isolated.
 *
 * @module
 */
import type { IsolationBackend } from "./contract.ts";
import { nftablesBackend } from "./nftables_backend.ts";
import { installIsolationTasks } from "./task_units.ts";

/** The environment variable naming a folder the boot and tamper units are written to (only). */
export const UNIT_DIR_ENV = "IOCSCAN_ISOLATION_UNIT_DIR";

/** The backends by operating system. */
const backends: Partial<Record<typeof Deno.build.os, () => IsolationBackend>> = {
  linux: () => nftablesBackend(),
};

/**
 * The backend for this host.
 *
 * @throws Error on a system without one.
 */
export function hostIsolationBackend(os: typeof Deno.build.os = Deno.build.os): IsolationBackend {
  const make = backends[os];
  if (make === undefined) throw new Error(`host isolation is not available on ${os}`);
  return make();
}

/**
 * How the boot and tamper tasks start this iocscan: the executable itself, or `deno run` with
 * the engine's permissions and this checkout's entry point.
 */
export function iocscanLauncher(): string[] {
  const exe = Deno.execPath();
  const name = exe.split(/[\\/]/).pop() ?? "";
  if (!/^deno(\.exe)?$/i.test(name)) return [exe];
  const main = new URL(Deno.mainModule);
  const path = main.protocol === "file:" ? decodeURIComponent(main.pathname) : Deno.mainModule;
  return [exe, "run", "-q", "-P=engine", path];
}

/**
 * Installs the boot and tamper tasks of this host for the store at `storeLocation` (named with
 * `--db` in the tasks; never a password): written to `unitDir`, else to the folder
 * {@linkcode UNIT_DIR_ENV} names, else to systemd's folder and enabled where systemd runs.
 *
 * @returns What was done, for the audit.
 */
export function installHostTasks(storeLocation?: string, unitDir?: string): Promise<string> {
  const folder = unitDir ?? Deno.env.get(UNIT_DIR_ENV);
  return installIsolationTasks({
    launcher: iocscanLauncher(),
    options: storeLocation === undefined ? [] : ["--db", storeLocation],
    ...(folder === undefined || folder === "" ? {} : { unitDir: folder }),
  });
}
