/**
 * The demo scan shipped with iocscan (`deno task demo`).
 *
 * @module
 */
export * from "./demo_tree.ts";
export * from "./demo_iocs.ts";
