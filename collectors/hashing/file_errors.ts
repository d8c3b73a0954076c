/**
 * Sorting the ways that opening, reading or stat-ing a file can fail into
 * skip reasons, the same for every opener (`node:fs`, libc over FFI, Deno).
 *
 * @module
 */
import type { FileFailure } from "./types.ts";

/**
 * Maps an error from opening, reading or stat-ing a file to a skip reason:
 * permission errors are `unreadable`, sharing violations and busy files
 * `locked`, an `ELOOP` from a no-follow open `symlink`, and so on.
 *
 * @example
 * ```ts
 * import { classifyFileError } from "./file_errors.ts";
 * classifyFileError(Object.assign(new Error("denied"), { code: "EACCES" })).reason; // "unreadable"
 * ```
 */
export function classifyFileError(error: unknown): FileFailure {
  const record = (typeof error === "object" && error !== null ? error : {}) as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
  };
  const code = typeof record.code === "string" ? record.code : "";
  const name = typeof record.name === "string" ? record.name : "";
  const detail = typeof record.message === "string" ? record.message : String(error);
  // Windows: 32 sharing violation, 33 lock violation.
  const windowsError = /\(os error (\d+)\)/.exec(detail)?.[1];
  if (code === "ESPECIAL") return { reason: "special-file", detail };
  if (code === "ETOOLARGE") return { reason: "too-large", detail };
  if (code === "EACCES" || code === "EPERM" || name === "PermissionDenied") {
    return { reason: "unreadable", detail };
  }
  if (name === "NotCapable") {
    // Deno's own sandbox, not the OS: /dev (e.g. /dev/shm), /proc and /sys need --allow-all
    // (denoland/deno#30979).
    return { reason: "unreadable", detail: `${detail} (a Deno permission, not a file mode)` };
  }
  if (
    code === "EBUSY" || code === "ETXTBSY" || code === "EAGAIN" || name === "Busy" ||
    windowsError === "32" || windowsError === "33"
  ) {
    return { reason: "locked", detail };
  }
  if (code === "ENOENT" || name === "NotFound") return { reason: "not-found", detail };
  if (code === "ENAMETOOLONG" || windowsError === "206") return { reason: "path-too-long", detail };
  if (code === "ELOOP" || name === "FilesystemLoop") return { reason: "symlink", detail };
  // ESPIPE: a positioned read on a FIFO or socket swapped in after the checks.
  if (code === "EISDIR" || code === "ENXIO" || code === "ENODEV" || code === "ESPIPE") {
    return { reason: "special-file", detail };
  }
  return { reason: "error", detail: code ? `${code}: ${detail}` : detail };
}
