/**
 * The loaded kernel modules of a live Linux system: `/proc/modules` (read
 * with the live wing's bounded reader) and each module's file below
 * `/lib/modules/<release>`, hashed lazily. A system without `/proc/modules`
 * (a container, a kernel without modules) leaves DriverItem and ModuleItem
 * unread, never empty.
 *
 * @module
 */
import { join } from "node:path";
import { readProcText } from "../live/mod.ts";
import {
  indexModuleFiles,
  type KernelModule,
  maxProcModulesBytes,
  parseProcModules,
} from "./kernel_modules.ts";
import type { DriverRecord, DriverSource, DriverSourceResult } from "./driver_source.ts";

/** Where the live source reads (tests point them at recorded files). */
export interface LinuxDriverSourceOptions {
  /** Default `/proc/modules`. */
  readonly procModules?: string;
  /** Default `/lib/modules/<Deno.osRelease()>`. */
  readonly moduleTree?: string;
  /** Where each module's `taint` file is (default `/sys/module`). */
  readonly sysModule?: string;
}

/** The most bytes of a `/sys/module/<m>/taint` file read. */
const maxTaintBytes = 64;

/** The loaded modules of the live Linux kernel. */
export function linuxDriverSource(options: LinuxDriverSourceOptions = {}): DriverSource {
  return {
    name: "proc-modules",
    async read(): Promise<DriverSourceResult> {
      const procModules = options.procModules ?? "/proc/modules";
      let text: string;
      try {
        const read = await readProcText(procModules, maxProcModulesBytes);
        if (read.truncated) {
          return unread(procModules, `larger than ${maxProcModulesBytes} bytes: not read`);
        }
        text = read.text;
      } catch (error) {
        return unread(procModules, error instanceof Error ? error.message : String(error));
      }
      const modules = parseProcModules(text);
      const tree = options.moduleTree ?? join("/lib/modules", release());
      const index = await indexModuleFiles(tree);
      const result: DriverSourceResult = { records: [], skips: [], warnings: [] };
      if (index.missing) {
        result.warnings.push({
          code: "module-tree-missing",
          message: `${tree} is not there: module files are not hashed`,
        });
      }
      if (index.capped) {
        result.warnings.push({
          code: "module-tree-capped",
          message: `${tree} holds more entries than the cap: some module files were not found`,
        });
      }
      const sysModule = options.sysModule ?? "/sys/module";
      for (const module of modules) {
        const record = recordOf(module, index.files, tree, index.capped);
        const taint = module.taint ?? await sysTaint(sysModule, module.name);
        if (taint) record.taint = taint;
        result.records.push(record);
      }
      return result;
    },
  };
}

function recordOf(
  module: KernelModule,
  files: ReadonlyMap<string, string>,
  tree: string,
  capped: boolean,
): DriverRecord {
  const file = files.get(module.name.replaceAll("-", "_"));
  const record: DriverRecord = {
    name: module.name,
    key: module.name,
    imageSize: module.size,
    loaded: true,
    state: module.state,
    usedBy: module.usedBy,
  };
  if (module.address !== undefined && module.address !== 0n) record.imageBase = module.address;
  if (file !== undefined) {
    record.path = file;
    record.pathOpen = file;
  } else {
    // Built into a module file we could not find (or none: an out-of-tree module loaded by path).
    record.notOpened = capped
      ? `the module tree ${tree} was not read whole: its file was not found`
      : `no file for this module below ${tree}`;
  }
  return record;
}

/** A module's taint flags from `/sys/module/<m>/taint`, or undefined when not there. */
async function sysTaint(sysModule: string, name: string): Promise<string | undefined> {
  try {
    const read = await readProcText(join(sysModule, name, "taint"), maxTaintBytes);
    return read.text.trim() || undefined;
  } catch {
    return undefined;
  }
}

function unread(object: string, detail: string): DriverSourceResult {
  return {
    records: [],
    skips: [{
      object,
      reason: "source-unavailable",
      detail: `the loaded kernel modules cannot be listed: ${detail}`,
      unreadDocuments: ["DriverItem", "ModuleItem"],
    }],
    warnings: [],
  };
}

function release(): string {
  try {
    return Deno.osRelease();
  } catch {
    return "";
  }
}
