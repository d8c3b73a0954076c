/**
 * A recorded `/proc` tree for the process source's tests: paths map to text,
 * link targets, folder listings or errors, so the collector logic runs under
 * the `test` permission set (which Deno does not let read `/proc`).
 *
 * @module
 */
import type { ProcFs, ProcTargetInfo } from "./proc_fs.ts";

/** One recorded entry. */
export type RecordedEntry =
  | { text: string }
  | { link: string }
  | { dir: string[] }
  | { error: "NotFound" | "PermissionDenied" | "InvalidData" };

/** What `stat` says of a path target, by kind. */
export type RecordedKind = "file" | "fifo" | "dir" | "char";

/** A {@linkcode ProcFs} over `entries`; `targets` gives the kind, inode (and device) of paths. */
export function recordedProcFs(
  entries: Readonly<Record<string, RecordedEntry>>,
  targets: Readonly<Record<string, { kind: RecordedKind; ino: number; dev?: number }>> = {},
): ProcFs {
  const entry = (path: string): RecordedEntry => {
    const found = entries[path];
    if (found === undefined) throw new Deno.errors.NotFound(`${path}: no such file`);
    if ("error" in found) {
      if (found.error === "NotFound") throw new Deno.errors.NotFound(`${path}: no such file`);
      if (found.error === "InvalidData") {
        // What Deno throws for a link whose target is not UTF-8.
        throw new Deno.errors.InvalidData(`File name or path "${path}" is not valid UTF-8`);
      }
      throw new Deno.errors.PermissionDenied(`${path}: permission denied`);
    }
    return found;
  };
  const text = (path: string): string => {
    const found = entry(path);
    if (!("text" in found)) throw new Error(`${path} is not a file in the recording`);
    return found.text;
  };
  return {
    readText(path, maxBytes) {
      try {
        const whole = text(path);
        return Promise.resolve({
          text: whole.slice(0, maxBytes),
          truncated: whole.length > maxBytes,
        });
      } catch (error) {
        return Promise.reject(error);
      }
    },
    readBytes(path, maxBytes) {
      try {
        const data = new TextEncoder().encode(text(path));
        return Promise.resolve({
          data: data.subarray(0, maxBytes),
          truncated: data.byteLength > maxBytes,
        });
      } catch (error) {
        return Promise.reject(error);
      }
    },
    readLink(path) {
      try {
        const found = entry(path);
        if (!("link" in found)) throw new Error(`${path} is not a link in the recording`);
        return Promise.resolve(found.link);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    readDir(path, max) {
      try {
        const found = entry(path);
        if (!("dir" in found)) throw new Error(`${path} is not a folder in the recording`);
        return Promise.resolve({
          names: found.dir.slice(0, max),
          truncated: found.dir.length > max,
        });
      } catch (error) {
        return Promise.reject(error);
      }
    },
    stat(path) {
      const target = targets[path];
      if (target === undefined) return Promise.reject(new Deno.errors.NotFound(path));
      const info: ProcTargetInfo = {
        isFile: target.kind === "file",
        isDirectory: target.kind === "dir",
        isFifo: target.kind === "fifo",
        isSocket: false,
        isCharDevice: target.kind === "char",
        isBlockDevice: false,
        ino: target.ino,
        dev: target.dev ?? null,
      };
      return Promise.resolve(info);
    },
  };
}

/** A `/proc/<pid>/stat` line. */
export function statLine(
  pid: number,
  comm: string,
  fields: {
    state?: string;
    ppid: number;
    flags?: number;
    utime?: number;
    stime?: number;
    start?: number;
  },
): string {
  const values = [
    fields.state ?? "S", // 3 state
    fields.ppid, // 4 ppid
    pid, // 5 pgrp
    pid, // 6 session
    0, // 7 tty
    -1, // 8 tpgid
    fields.flags ?? 4194560, // 9 flags
    0,
    0,
    0,
    0, // 10-13 faults
    fields.utime ?? 0, // 14 utime
    fields.stime ?? 0, // 15 stime
    0,
    0,
    20,
    0,
    1,
    0, // 16-21
    fields.start ?? 0, // 22 starttime
    1000,
    100, // 23-24
  ];
  return `${pid} (${comm}) ${values.join(" ")}\n`;
}

/** A `/proc/<pid>/status` with this effective uid. */
export function statusText(name: string, uid: number): string {
  return `Name:\t${name}\nState:\tS (sleeping)\nUid:\t${uid}\t${uid}\t${uid}\t${uid}\nGid:\t0\t0\t0\t0\n`;
}
