/**
 * A pure parser of Windows shortcuts (`.lnk`, MS-SHLLINK): what a link starts.
 * No OS access: it takes bytes.
 *
 * @module
 */
export * from "./shell_link.ts";
