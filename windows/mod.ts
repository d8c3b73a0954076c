/**
 * Facts about Windows naming that several parts of iocscan share.
 *
 * @module
 */
export * from "./registry_roots.ts";
export * from "./drive_letters.ts";
export * from "./guid.ts";
