/**
 * The list of iocscan's commands. Each command lives in its own file and
 * exports a function that adds it to the program; the program imports only
 * the command being run (every command only for help), so that a command does
 * not pay at start-up for the modules of all the others.
 *
 * @module
 */
import type { CommandRegistrar } from "./registrar.ts";

/** A command's name and how to load its registrar. */
export interface CommandEntry {
  readonly name: string;
  load(): Promise<CommandRegistrar>;
}

/** Every command, in the order `iocscan --help` lists them. */
export const commands: readonly CommandEntry[] = [
  { name: "scan", load: async () => (await import("./scan.ts")).registerScan },
  {
    name: "critical-scan",
    load: async () => (await import("./critical_scan.ts")).registerCriticalScan,
  },
  { name: "indicators", load: async () => (await import("./indicators.ts")).registerIndicators },
  { name: "match", load: async () => (await import("./match.ts")).registerMatch },
  { name: "collect", load: async () => (await import("./collect.ts")).registerCollect },
  { name: "results", load: async () => (await import("./results.ts")).registerResults },
  { name: "fleet", load: async () => (await import("./fleet.ts")).registerFleet },
  { name: "store", load: async () => (await import("./store.ts")).registerStore },
  { name: "isolate", load: async () => (await import("./isolate.ts")).registerIsolate },
  { name: "isolation", load: async () => (await import("./isolation.ts")).registerIsolation },
  { name: "quarantine", load: async () => (await import("./quarantine.ts")).registerQuarantine },
  { name: "report", load: async () => (await import("./report.ts")).registerReport },
  { name: "demo", load: async () => (await import("./demo.ts")).registerDemo },
];
