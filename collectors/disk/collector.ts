/**
 * The disk collector: one `DiskItem` per disk of its source (the live host's
 * fixed disks, or the disk images given), with its partition table and its
 * boot records (MBR, EBRs, GPT headers, each partition's volume boot record)
 * hashed and checked. A disk that cannot be opened is an `unreadable` skip
 * naming it, with `DiskItem` unread: the scan is then incomplete, never clean.
 *
 * @module
 */
import type { Collector } from "../collector.ts";
import { parsePartitionTable, readVolumeBootRecords } from "../../formats/partition_table/mod.ts";
import { thisComputerName } from "../live/mod.ts";
import type { DiskSource } from "./disk_source.ts";
import { diskDocument, toDiskItem } from "./disk_record.ts";
import { layoutMismatch } from "./layout_check.ts";

/** The collector's name. */
export const diskCollectorName = "disk";
/** The documents it produces. */
export const diskDocuments: readonly string[] = [diskDocument];
/** The finding each structure-check problem is (docs/disk.md, docs/critical-scan.md). */
export const bootRecordProblem = "boot-record-problem";
/** The finding of a disk, or of the disk list, not read (the boot-records area not covered). */
export const areaNotRead = "area-not-read";
/** The most disks read (a SAN host can show hundreds of LUNs). */
export const maxDisks = 1_024;

/** The figures `collect disk` prints. */
export interface DiskStats {
  source: string;
  disks: number;
  unreadable: number;
  bootRecords: number;
  partitions: number;
  problems: number;
}

/** How the collector is made. */
export interface DiskCollectorOptions {
  readonly source: DiskSource;
  /** The clock (tests fix it). */
  readonly now?: () => Date;
}

/** Creates the disk collector over a source. */
export function createDiskCollector(
  options: DiskCollectorOptions,
): Collector & { readonly stats: Readonly<DiskStats> } {
  const { source } = options;
  const now = options.now ?? (() => new Date());
  const stats: DiskStats = {
    source: source.name,
    disks: 0,
    unreadable: 0,
    bootRecords: 0,
    partitions: 0,
    problems: 0,
  };
  return {
    name: diskCollectorName,
    documents: diskDocuments,
    stats,
    async *collect({ reporter: outer, signal }) {
      // Every skip leaves DiskItem unread and says, as a finding, that boot records went unread.
      const reporter = {
        ...outer,
        skipped(entry: Parameters<typeof outer.skipped>[0]) {
          outer.skipped(entry);
          outer.finding?.({
            source: diskCollectorName,
            time: now().toISOString(),
            kind: areaNotRead,
            object: entry.object,
            severity: "incomplete",
            detail: `boot records not read (${entry.reason}): ${entry.detail}`,
          });
        },
      };
      const listed = await source.list();
      if (!listed.ok) {
        reporter.skipped({
          collector: diskCollectorName,
          object: listed.object,
          reason: "source-unavailable",
          detail: listed.detail,
          unreadDocuments: diskDocuments,
        });
        return;
      }
      if (listed.disks.length > maxDisks) {
        reporter.skipped({
          collector: diskCollectorName,
          object: source.name,
          reason: "too-large",
          detail: `${listed.disks.length} disks: only the first ${maxDisks} are read`,
          unreadDocuments: diskDocuments,
        });
      }
      const computer = source.offline ? undefined : thisComputerName();
      for (const entry of listed.disks.slice(0, maxDisks)) {
        if (signal?.aborted) return;
        reporter.progress({
          collector: diskCollectorName,
          objects: stats.disks,
          current: entry.devicePath,
        });
        const opened = await entry.open();
        if ("refused" in opened) {
          stats.unreadable++;
          reporter.skipped({
            collector: diskCollectorName,
            object: entry.devicePath,
            reason: opened.reason,
            detail: opened.detail,
            unreadDocuments: diskDocuments,
          });
          continue;
        }
        let item;
        try {
          const table = await parsePartitionTable(
            opened.source,
            entry.sectorSize === undefined ? {} : { sectorSize: entry.sectorSize },
          );
          const volumeBootRecords = await readVolumeBootRecords(opened.source, table);
          const mismatch = entry.osPartitions === undefined
            ? []
            : layoutMismatch(table, entry.osPartitions);
          if (mismatch.length > 0) {
            reporter.warning({
              collector: diskCollectorName,
              code: "disk-layout-mismatch",
              message: `${entry.devicePath}: the partition table on the disk and the system's ` +
                `partitions differ (${mismatch.join("; ")})`,
              file: entry.devicePath,
            });
          }
          const problems = [
            ...table.problems,
            ...volumeBootRecords.flatMap((record) =>
              record.problems.map((code) => ({
                code,
                message: `the volume boot record of partition ${record.partitionNumber}: ${code}`,
                record: record.kind,
                lba: record.lba,
              }))
            ),
          ];
          for (const problem of problems) {
            reporter.finding?.({
              source: diskCollectorName,
              time: now().toISOString(),
              kind: bootRecordProblem,
              object: `${entry.devicePath} ${problem.record}`,
              severity: "notice",
              detail: problem.message,
              data: { code: problem.code, record: problem.record, lba: problem.lba },
            });
          }
          stats.bootRecords += table.records.length + volumeBootRecords.length;
          stats.partitions += table.partitions.length;
          stats.problems += table.problems.length +
            volumeBootRecords.reduce((sum, record) => sum + record.problems.length, 0);
          item = toDiskItem({ entry, size: opened.source.size, table, volumeBootRecords }, {
            ...(entry.evidenceFile === undefined ? {} : { source: entry.evidenceFile }),
            time: now().toISOString(),
            ...(computer === undefined ? {} : { computer }),
          });
        } catch (error) {
          // A read that fails half-way (a disk going away, an I/O error): the disk is unread.
          stats.unreadable++;
          reporter.skipped({
            collector: diskCollectorName,
            object: entry.devicePath,
            reason: "unreadable",
            detail: (error as Error).message,
            unreadDocuments: diskDocuments,
          });
          continue;
        } finally {
          opened.close();
        }
        stats.disks++;
        yield item;
      }
    },
  };
}
