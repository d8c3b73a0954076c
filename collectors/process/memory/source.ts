/**
 * What the memory library needs from a platform: a process's regions and a
 * way to read its memory. One implementation per platform
 * (`linux_source.ts`, `windows_source.ts`); tests give recorded ones.
 *
 * @module
 */
import type { MemoryRegion } from "./memory_region.ts";

/** Why a process's memory could not be listed or opened (access denied, gone…), in words. */
export class MemoryAccessError extends Error {
  /** `unreadable` for access denied, `not-found` for a process that has exited, else `error`. */
  readonly reason: "unreadable" | "not-found" | "error";
  constructor(reason: "unreadable" | "not-found" | "error", message: string) {
    super(message);
    this.name = "MemoryAccessError";
    this.reason = reason;
  }
}

/** A process's regions as listed, and whether the listing was cut. */
export interface RegionListing {
  readonly regions: readonly MemoryRegion[];
  /** Why the listing stopped before its end (a size cap on the maps text), if it did. */
  readonly truncated?: string;
  /** Lines or records that could not be read, in words, for warnings. */
  readonly problems?: readonly string[];
}

/** An open process whose memory can be read. */
export interface MemoryReader {
  /**
   * Reads up to `buffer.byteLength` bytes at `address`; returns how many were
   * read (0 at an unreadable page). Throws when the region cannot be read at all.
   */
  read(address: bigint, buffer: Uint8Array): Promise<number>;
  close(): void;
}

/** A platform's access to process memory. */
export interface ProcessMemorySource {
  /** Lists the regions of process `pid`; throws {@linkcode MemoryAccessError}. */
  regions(pid: number): Promise<RegionListing>;
  /** Opens process `pid` for reading; throws {@linkcode MemoryAccessError}. */
  open(pid: number): Promise<MemoryReader>;
}

/** Turns an OS error into a {@linkcode MemoryAccessError} naming what failed. */
export function memoryAccessError(what: string, error: unknown): MemoryAccessError {
  if (error instanceof MemoryAccessError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) {
    return new MemoryAccessError("unreadable", `${what}: ${message}`);
  }
  if (error instanceof Deno.errors.NotFound) {
    return new MemoryAccessError("not-found", `${what}: ${message}`);
  }
  return new MemoryAccessError("error", `${what}: ${message}`);
}
