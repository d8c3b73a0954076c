/**
 * Opening evidence files (hives, their transaction logs, EVTX files) so that
 * an attacker-shaped path cannot hang or flood the scan: the open is
 * non-blocking (a FIFO opens at once instead of waiting for a writer), the
 * check is made on the opened descriptor (a file swapped after a `stat` is
 * still caught), only regular files are read, and reads never go past the
 * size the descriptor reported. On Linux, a file whose descriptor leads into
 * `/proc` or `/sys` (kernel state: `/proc/kmsg` claims to be an empty regular
 * file whose reads wait, `/proc/kcore` a 128 TB one) is refused unread.
 *
 * @module
 */
import * as fs from "node:fs";
import type { SkipReason } from "./collector.ts";

/** Why an evidence file was refused: a skip reason and a detail naming the cause. */
export interface EvidenceRefusal {
  /** The file as given. */
  file: string;
  reason: SkipReason;
  /** What went wrong, for people. */
  detail: string;
}

/** An evidence file open for positioned reads, bounded by its size at open. */
export interface EvidenceFile extends Disposable {
  /** The file as given. */
  readonly file: string;
  /** Its size when opened (from the descriptor); reads never go past it. */
  readonly size: number;
  /**
   * Reads up to `buffer.length` bytes at `position`, stopping at `size`;
   * returns the count read (short at the end of the file or when it shrank).
   */
  readAt(buffer: Uint8Array, position: number): number;
  /** Closes the file (idempotent). */
  close(): void;
}

/** Options of {@linkcode openEvidenceFile}. */
export interface EvidenceOpenOptions {
  /** Files larger than this are refused as `too-large`. */
  maxSize?: number;
  /** What the file should be, for the `too-large` detail (`hive`, `transaction log`…). */
  kind?: string;
}

/** The `node:fs` calls used here (tests inject a double to swap files at awkward moments). */
export interface EvidenceFs {
  constants: { O_RDONLY: number; O_NONBLOCK?: number };
  openSync(path: string, flags: number | string): number;
  fstatSync(fd: number): { size: number; isFile(): boolean };
  readSync(
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): number;
  closeSync(fd: number): void;
  /** Where an open descriptor leads (`/proc/self/fd/N` on Linux); absent elsewhere. */
  readlinkSync?(path: string): string;
}

/**
 * Pseudo file systems whose "files" are kernel state: `/proc/kcore` claims to
 * be a 128 TB regular file, `/proc/kmsg` an empty one whose reads wait for
 * kernel messages (and consume them). Evidence there is never read.
 */
const LINUX_PSEUDO_FILE_SYSTEMS = ["/proc/", "/sys/"] as const;

const windows = Deno.build.os === "windows";
const linux = Deno.build.os === "linux";

/** The path an open descriptor leads to, links resolved, or undefined when it cannot be told. */
function openedPath(nodeFs: EvidenceFs, fd: number): string | undefined {
  try {
    return nodeFs.readlinkSync?.(`/proc/self/fd/${fd}`);
  } catch {
    // Without /proc (or the permission to read it) the other checks still hold.
    return undefined;
  }
}

/** Maps an open/stat/read error to a refusal naming the file. */
export function evidenceRefusal(file: string, error: unknown): EvidenceRefusal {
  const record = (typeof error === "object" && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
  };
  const code = typeof record.code === "string" ? record.code : "";
  const message = typeof record.message === "string" ? record.message : String(error);
  if (error instanceof Deno.errors.NotFound || code === "ENOENT") {
    return { file, reason: "not-found", detail: "no such file" };
  }
  if (error instanceof Deno.errors.PermissionDenied || code === "EACCES" || code === "EPERM") {
    return { file, reason: "unreadable", detail: "permission denied" };
  }
  if (code === "EAGAIN" || code === "EWOULDBLOCK" || code === "ENXIO" || code === "ESPIPE") {
    return { file, reason: "special-file", detail: `would block (${code}): not a regular file` };
  }
  return { file, reason: "unreadable", detail: code ? `${code}: ${message}` : message };
}

/**
 * Opens `file` for reading if it is a regular file (links are followed to
 * what they name), checked on the opened descriptor; returns the open file or
 * the refusal. Never blocks on a FIFO, device or socket; never throws.
 *
 * @example
 * ```ts ignore
 * import { openEvidenceFile } from "./evidence_file.ts";
 * const opened = openEvidenceFile("/mnt/image/Windows/System32/config/SYSTEM");
 * if ("readAt" in opened) {
 *   const head = new Uint8Array(4);
 *   opened.readAt(head, 0);
 *   opened.close();
 * } else console.error(opened.reason, opened.detail);
 * ```
 */
export function openEvidenceFile(
  file: string,
  options: EvidenceOpenOptions = {},
  nodeFs: EvidenceFs = fs as unknown as EvidenceFs,
): EvidenceFile | EvidenceRefusal {
  let fd: number;
  try {
    const flags = windows ? "r" : nodeFs.constants.O_RDONLY | (nodeFs.constants.O_NONBLOCK ?? 0);
    fd = nodeFs.openSync(file, flags);
  } catch (error) {
    return evidenceRefusal(file, error);
  }
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    try {
      nodeFs.closeSync(fd);
    } catch {
      // Nothing to do about a failed close of a read-only descriptor.
    }
  };
  let size: number;
  try {
    const info = nodeFs.fstatSync(fd);
    if (!info.isFile()) {
      close();
      return {
        file,
        reason: "special-file",
        detail: "not a regular file (a folder, FIFO, socket or device is never read)",
      };
    }
    size = info.size;
  } catch (error) {
    close();
    return evidenceRefusal(file, error);
  }
  const target = linux ? openedPath(nodeFs, fd) : undefined;
  if (target !== undefined && LINUX_PSEUDO_FILE_SYSTEMS.some((root) => target.startsWith(root))) {
    close();
    return {
      file,
      reason: "special-file",
      detail: `leads to ${target}, in a pseudo file system (kernel state, never read)`,
    };
  }
  if (options.maxSize !== undefined && size > options.maxSize) {
    close();
    return {
      file,
      reason: "too-large",
      detail: `${size} bytes: larger than any ${
        options.kind ?? "evidence file"
      } (${options.maxSize})`,
    };
  }
  return {
    file,
    size,
    readAt(buffer: Uint8Array, position: number): number {
      const wanted = Math.max(0, Math.min(buffer.length, size - position));
      let filled = 0;
      while (filled < wanted) {
        const got = nodeFs.readSync(fd, buffer, filled, wanted - filled, position + filled);
        if (got <= 0) break;
        filled += got;
      }
      return filled;
    },
    close,
    [Symbol.dispose]: close,
  };
}

/**
 * Reads a whole evidence file (see {@linkcode openEvidenceFile}): its bytes,
 * at most the size its descriptor reported, or the refusal.
 */
export function readEvidenceFile(
  file: string,
  options: EvidenceOpenOptions = {},
  nodeFs?: EvidenceFs,
): Uint8Array | EvidenceRefusal {
  const opened = openEvidenceFile(file, options, nodeFs);
  if (!("readAt" in opened)) return opened;
  try {
    const bytes = new Uint8Array(opened.size);
    return bytes.subarray(0, opened.readAt(bytes, 0));
  } catch (error) {
    return evidenceRefusal(file, error);
  } finally {
    opened.close();
  }
}
