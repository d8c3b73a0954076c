/**
 * The collectors, one folder per data family, and the contract they share.
 *
 * @module
 */
export type * from "./collector.ts";
export { collectBatches } from "./collector.ts";
export {
  type EvidenceFile,
  type EvidenceRefusal,
  openEvidenceFile,
  readEvidenceFile,
} from "./evidence_file.ts";
export * as file from "./file/mod.ts";
export * as hashing from "./hashing/mod.ts";
export * as eventlog from "./eventlog/mod.ts";
export * as registry from "./registry/mod.ts";
export * as live from "./live/mod.ts";
export * as process from "./process/mod.ts";
export * as netTable from "./net_table/mod.ts";
export * as dns from "./dns/mod.ts";
export * as arp from "./arp/mod.ts";
export * as route from "./route/mod.ts";
export * as volume from "./volume/mod.ts";
export * as urlHistory from "./url_history/mod.ts";
