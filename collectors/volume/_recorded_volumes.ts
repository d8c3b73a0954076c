/**
 * Test helper: a table source that gives recorded volume records.
 *
 * @module
 */
import type { TableSource } from "../net_table/mod.ts";
import type { VolumeRecord } from "./volume_record.ts";

/** A source that reads `records`. */
export function tableSourceOf(records: readonly VolumeRecord[]): TableSource<VolumeRecord> {
  return { name: "recorded", read: () => Promise.resolve({ ok: true, rows: records }) };
}
