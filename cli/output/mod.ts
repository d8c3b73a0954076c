/**
 * The output side of the CLI: the one writer of stdout (NDJSON events and
 * human text, with the EPIPE rule of docs/events.md) and its fast RegistryItem
 * lines.
 *
 * @module
 */
export * from "./command_output.ts";
export * from "./output_writer.ts";
export * from "./registry_ndjson.ts";
export { ScanConsole } from "./scan_console.ts";
