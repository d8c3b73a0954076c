/**
 * iocscan's library API: load OpenIOC 1.0/1.1 files, compile them into a
 * matching plan, collect objects, evaluate, and store the results.
 *
 * The most used entry points are exported at the top level; every part is
 * also available as a namespace (`openioc`, `engine`, `scan`, `store`,
 * `collectors`, `formats`).
 *
 * @example Load IOC files and match one object
 * ```ts
 * import { compilePlan, loadIocPaths } from "./mod.ts";
 * const loaded = await loadIocPaths(["demo/iocs"]);
 * const session = compilePlan(loaded.documents).createSession();
 * await session.observe({
 *   document: "FileItem",
 *   key: "/tmp/kworkerds",
 *   fields: { FileName: "kworkerds", SizeInBytes: 2048 },
 * });
 * const detections = session.finish();
 * // detections[0].ioc.name === "DEMO: cryptominer dropped in a temp folder"
 * ```
 *
 * @example Add a collector, then run the CLI with it (`collect process`, `--types process`…)
 * ```ts ignore
 * import { registerCollector, runCli, type scan } from "./mod.ts";
 * const processes: scan.CollectorDescriptor = {
 *   name: "process",
 *   documents: ["ProcessItem"],
 *   sources: ["live-linux"],
 *   options: [],
 *   build: () => Promise.resolve({ noSource: "not written yet" }),
 * };
 * registerCollector(processes);
 * Deno.exit(await runCli(Deno.args));
 * ```
 *
 * @module
 */
export { ExitCode } from "./contracts/exit_codes.ts";
export { IocLoadError, loadIocPaths, parseIoc, resolveTerm } from "./openioc/mod.ts";
export { compilePlan } from "./engine/mod.ts";
export { observeCollected, readScanTask, registerCollector, runScan } from "./scan/mod.ts";
export { runCli } from "./cli/program.ts";
export { openStore } from "./store/mod.ts";

export * as openioc from "./openioc/mod.ts";
export * as engine from "./engine/mod.ts";
export * as scan from "./scan/mod.ts";
export * as store from "./store/mod.ts";
export * as collectors from "./collectors/mod.ts";
export * as formats from "./formats/mod.ts";
