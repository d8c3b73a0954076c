/**
 * The isolation backend of the host iocscan runs on: nftables on Linux. The Windows backend (WFP)
 * is built behind the same interface on another branch; until it is merged, other systems are
 * refused rather than reported isolated.
 *
 * @module
 */
import type { IsolationBackend } from "./contract.ts";
import { nftablesBackend } from "./nftables_backend.ts";

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
