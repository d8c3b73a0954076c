/**
 * The few file operations the Linux process source performs on `/proc`,
 * behind an interface so that the collector logic is tested with a recorded
 * tree (`_recorded_proc.ts`) under the `test` permission set, which Deno
 * does not let read `/proc`.
 *
 * @module
 */
import { readProcBytes, readProcText } from "../live/mod.ts";

/** What `stat` (following the link) says of a descriptor's target. */
export interface ProcTargetInfo {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly isFifo: boolean;
  readonly isSocket: boolean;
  readonly isCharDevice: boolean;
  readonly isBlockDevice: boolean;
  readonly ino: number | null;
  /** The device the target lives on (`st_dev`; glibc's encoding of major and minor). */
  readonly dev: number | null;
}

/** Reads of `/proc` and `/etc/passwd`. Each throws what Deno throws (`NotFound`, `PermissionDenied`…). */
export interface ProcFs {
  readText(path: string, maxBytes: number): Promise<{ text: string; truncated: boolean }>;
  readBytes(path: string, maxBytes: number): Promise<{ data: Uint8Array; truncated: boolean }>;
  readLink(path: string): Promise<string>;
  /** The entry names of a folder, at most `max` (then `truncated`). */
  readDir(path: string, max: number): Promise<{ names: string[]; truncated: boolean }>;
  stat(path: string): Promise<ProcTargetInfo>;
}

/** The real `/proc` (needs every Deno permission). */
export const denoProcFs: ProcFs = {
  readText: readProcText,
  readBytes: readProcBytes,
  readLink: (path) => Deno.readLink(path),
  async readDir(path, max) {
    const names: string[] = [];
    for await (const entry of Deno.readDir(path)) {
      if (names.length >= max) return { names, truncated: true };
      names.push(entry.name);
    }
    return { names, truncated: false };
  },
  async stat(path) {
    const info = await Deno.stat(path);
    return {
      isFile: info.isFile,
      isDirectory: info.isDirectory,
      isFifo: info.isFifo === true,
      isSocket: info.isSocket === true,
      isCharDevice: info.isCharDevice === true,
      isBlockDevice: info.isBlockDevice === true,
      ino: info.ino,
      dev: info.dev,
    };
  },
};
