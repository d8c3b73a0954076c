/**
 * Where drivers are read from: one source per platform or evidence kind.
 *
 * @module
 */
import type { SourceSkip } from "../service/mod.ts";

/** One kernel driver or module. */
export interface DriverRecord {
  /** `nf_tables`, `Disk`. */
  name: string;
  /** The object's key, as an analyst writes it (a module name, the service key of a driver). */
  key: string;
  /** The image as the system names it (`C:\Windows\System32\drivers\disk.sys`, a `.ko` path). */
  path?: string;
  /** Where this machine opens it. */
  pathOpen?: string;
  /** Why it cannot be opened, when it cannot. */
  notOpened?: string;
  imageBase?: bigint;
  imageSize?: number;
  /** The kernel's state of a loaded module: `Live`, `Loading`, `Unloading`. */
  state?: string;
  /** The modules that use it. */
  usedBy?: string[];
  /** Linux: the taint flags the module set (`E` unsigned, `O` out-of-tree…), when it set any. */
  taint?: string;
  /** Whether the kernel has it loaded now (live); false for a driver configured in a hive. */
  loaded: boolean;
  /** Fields the source could not read for it, with why (DriverItem names). */
  unknown?: Readonly<Record<string, string>>;
  /** The file read (a hive), for provenance. */
  source?: string;
  /** When its configuration was last written, ISO 8601 UTC. */
  time?: string;
}

/** What a source read. */
export interface DriverSourceResult {
  records: DriverRecord[];
  skips: SourceSkip[];
  warnings: { code: string; message: string }[];
}

/** One way to read the drivers of a system. */
export interface DriverSource {
  readonly name: string;
  read(signal?: AbortSignal): Promise<DriverSourceResult>;
}
