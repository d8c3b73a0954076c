import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { CollectorWarning, SkippedObject } from "../collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { sampleMbrImage } from "../../formats/partition_table/_image_builder.ts";
import { encodeDiskGeometry, encodeDriveLayout } from "../../windows/layouts/_disk_encode.ts";
import { diskIoctl, mediaTypes } from "../../windows/layouts/disk.ts";
import {
  alignedReadAt,
  createDiskCollector,
  type WindowsAnswer,
  type WindowsDiskApi,
  windowsDiskList,
} from "./mod.ts";

/** A recorded machine: drive 0 (fixed, the sample MBR image), 1 denied, 2 removable, 3-… absent. */
function recordedApi(layoutPartitions = [2048, 3072, 4096, 5122, 5634, 6658]) {
  const image = sampleMbrImage();
  const calls: string[] = [];
  const sizes: Record<number, number> = {
    2048: 1024,
    3072: 1024,
    4096: 1024,
    5122: 510,
    5634: 1022,
    6658: 1024,
  };
  const api: WindowsDiskApi<number> = {
    open(path) {
      calls.push(`open ${path}`);
      const n = Number(/(\d+)$/.exec(path)![1]);
      if (n === 1) return { ok: false, error: diskIoctl.ERROR_ACCESS_DENIED };
      if (n > 2) return { ok: false, error: diskIoctl.ERROR_FILE_NOT_FOUND };
      return { ok: true, value: n };
    },
    ioctl(handle, code): WindowsAnswer<Uint8Array> {
      if (code === diskIoctl.IOCTL_DISK_GET_DRIVE_GEOMETRY_EX) {
        const media = handle === 2 ? mediaTypes.RemovableMedia : mediaTypes.FixedMedia;
        return { ok: true, value: encodeDiskGeometry(media, 512, image.length) };
      }
      return {
        ok: true,
        value: encodeDriveLayout(
          "mbr",
          0x1234abcd,
          [
            ...layoutPartitions.map((lba, i) => ({
              number: i + 1,
              offset: lba * 512,
              length: (sizes[lba] ?? 1) * 512,
              type: 0x07,
            })),
            { number: 0, offset: 5120 * 512, length: 3072 * 512, type: 0x05 },
          ],
        ),
      };
    },
    read(_handle, offset, buffer) {
      calls.push(`read ${offset} ${buffer.length}`);
      ok(
        offset % 512 === 0 && buffer.length % 512 === 0,
        `unaligned read ${offset}+${buffer.length}`,
      );
      const part = image.subarray(offset, offset + buffer.length);
      buffer.set(part);
      return { ok: true, value: part.length };
    },
    close(handle) {
      calls.push(`close ${handle}`);
    },
  };
  return { api, calls };
}

async function collectWith(api: WindowsDiskApi<number>) {
  const skipped: SkippedObject[] = [];
  const warnings: CollectorWarning[] = [];
  const items: ObservedItem[] = [];
  const collector = createDiskCollector({
    source: {
      name: "physical drives",
      offline: false,
      list: () => Promise.resolve(windowsDiskList(api)),
    },
  });
  const reporter = {
    skipped: (s: SkippedObject) => skipped.push(s),
    warning: (w: CollectorWarning) => warnings.push(w),
    progress() {},
  };
  for await (const item of collector.collect({ needs: new Map(), reporter })) items.push(item);
  return { items, skipped, warnings };
}

Deno.test("windowsDiskList: fixed drives read in whole sectors, denied ones skipped, removable ones left out", async () => {
  const { api, calls } = recordedApi();
  const { items, skipped, warnings } = await collectWith(api);
  deepStrictEqual(items.map((item) => item.key), ["\\\\.\\PhysicalDrive0"]);
  const fields = items[0]!.fields as Record<string, unknown>;
  strictEqual(fields.DiskName, "PhysicalDrive0");
  strictEqual(fields.DiskSize, 8192 * 512);
  strictEqual(fields.PartitionScheme, "mbr");
  deepStrictEqual(skipped.map((s) => [s.object, s.reason, s.detail, s.unreadDocuments]), [[
    "\\\\.\\PhysicalDrive1",
    "unreadable",
    "\\\\.\\PhysicalDrive1 could not be opened: access denied (run as an administrator)",
    ["DiskItem"],
  ]]);
  deepStrictEqual(warnings, []);
  // Drives 3 to 10 were tried (eight missing in a row), then the search stopped.
  ok(calls.includes("open \\\\.\\PhysicalDrive10"));
  ok(!calls.includes("open \\\\.\\PhysicalDrive11"));
  // Every handle opened was closed.
  const opened = calls.filter((call) => call.startsWith("open") && /Drive[02]$/.test(call)).length;
  strictEqual(calls.filter((call) => call.startsWith("close")).length, opened);
});

Deno.test("windowsDiskList: a partition the system does not report is a disk-layout-mismatch warning", async () => {
  const { api } = recordedApi([2048, 3072, 4096, 5122, 5634]);
  const { items, warnings } = await collectWith(api);
  strictEqual(items.length, 1);
  deepStrictEqual(warnings.map((w) => w.code), ["disk-layout-mismatch"]);
  ok(warnings[0]!.message.includes(`on disk, not reported: ${6658 * 512}+${1024 * 512}`));
});

Deno.test("alignedReadAt: unaligned reads become whole-sector reads, the asked part copied out", () => {
  const disk = Uint8Array.from({ length: 2048 }, (_, i) => i % 251);
  const asked: [number, number][] = [];
  const readAt = alignedReadAt(512, (offset, buffer) => {
    asked.push([offset, buffer.length]);
    const part = disk.subarray(offset, offset + buffer.length);
    buffer.set(part);
    return part.length;
  });
  const buffer = new Uint8Array(8);
  strictEqual(readAt(buffer, 510), 8);
  deepStrictEqual([...buffer], [...disk.subarray(510, 518)]);
  deepStrictEqual(asked, [[0, 1024]]);
  const tail = new Uint8Array(100);
  strictEqual(readAt(tail, 2000), 48);
});
