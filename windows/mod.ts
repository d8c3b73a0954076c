/**
 * Facts about Windows naming that several parts of iocscan share.
 *
 * @module
 */
export * from "./registry_roots.ts";
export * from "./drive_letters.ts";
export * from "./long_path.ts";
export * from "./sddl.ts";
export * from "./win32_errors.ts";
export * from "./guid.ts";
