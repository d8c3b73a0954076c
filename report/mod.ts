/**
 * Human-readable rendering: the end of a scan, the tables and lines of every
 * command's text output, and the escaping every human output goes through.
 *
 * @module
 */
export * from "./action_lines.ts";
export * from "./collected_lines.ts";
export * from "./findings_report.ts";
export * from "./indicator_table.ts";
export * from "./isolation_lines.ts";
export * from "./match_report.ts";
export * from "./progress_bar.ts";
export * from "./quarantine_table.ts";
export * from "./run_listing.ts";
export * from "./scan_summary.ts";
export * from "./terminal_text.ts";
export * from "./text_table.ts";
