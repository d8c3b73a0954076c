/**
 * Human-readable rendering of scan results.
 *
 * @module
 */
export * from "./scan_summary.ts";
export * from "./progress_bar.ts";
export * from "./terminal_text.ts";
