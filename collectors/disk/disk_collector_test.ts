import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { CollectorFinding, SkippedObject } from "../collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { sampleGptImage, sampleMbrImage } from "../../formats/partition_table/_image_builder.ts";
import {
  connectionOfSysPath,
  createDiskCollector,
  diskImageSource,
  type DiskSource,
  linuxDiskSource,
} from "./mod.ts";

async function collect(source: DiskSource) {
  const skipped: SkippedObject[] = [];
  const items: ObservedItem[] = [];
  const findings: CollectorFinding[] = [];
  const collector = createDiskCollector({ source, now: () => new Date("2026-12-07T00:00:00Z") });
  const reporter = {
    skipped: (s: SkippedObject) => skipped.push(s),
    warning() {},
    progress() {},
    finding: (f: CollectorFinding) => findings.push(f),
  };
  for await (const item of collector.collect({ needs: new Map(), reporter })) items.push(item);
  return { items, skipped, findings, stats: collector.stats };
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
// deno-lint-ignore no-explicit-any
const fieldsOf = (item: ObservedItem | undefined): any => item?.fields;

Deno.test("createDiskCollector: an MBR image's partitions and hashed boot records", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-disk-" });
  try {
    const image = sampleMbrImage();
    const path = join(dir, "case.dd");
    await Deno.writeFile(path, image);
    const { items, skipped, stats } = await collect(diskImageSource([path]));
    deepStrictEqual(skipped, []);
    strictEqual(items.length, 1);
    const fields = fieldsOf(items[0]);
    strictEqual(items[0]!.key, path);
    deepStrictEqual(items[0]!.provenance, { source: path, time: "2026-12-07T00:00:00.000Z" });
    strictEqual(fields.DiskName, "case.dd");
    strictEqual(fields.DiskSize, image.length);
    strictEqual(fields.Type, "image");
    strictEqual(fields.PartitionScheme, "mbr");
    strictEqual(fields.DiskSignature, "0x1234abcd");
    deepStrictEqual(
      fields.PartitionList.Partition.map((p: Record<string, unknown>) => [
        p.PartitionNumber,
        p.PartitionOffset,
        p.PartitionLength,
        p.PartitionType,
      ]),
      [
        [1, 2048 * 512, 1024 * 512, "HPFS/NTFS/exFAT"],
        [2, 3072 * 512, 1024 * 512, "Linux"],
        [3, 4096 * 512, 1024 * 512, "Linux swap"],
        [4, 5120 * 512, 3072 * 512, "Extended"],
        [5, 5122 * 512, 510 * 512, "Linux"],
        [6, 5634 * 512, 1022 * 512, "HPFS/NTFS/exFAT"],
        [7, 6658 * 512, 1024 * 512, "Linux"],
      ],
    );
    const records = fields.BootRecordList.BootRecord;
    deepStrictEqual(
      records.map((r: Record<string, unknown>) => [r.Kind, r.Offset, r.PartitionNumber ?? null]),
      [
        ["mbr", 0, null],
        ["ebr", 5120 * 512, 5],
        ["ebr", 5632 * 512, 6],
        ["ebr", 6656 * 512, 7],
        ["vbr", 2048 * 512, 1],
        ["vbr", 3072 * 512, 2],
        ["vbr", 4096 * 512, 3],
        ["vbr", 5122 * 512, 5],
        ["vbr", 5634 * 512, 6],
        ["vbr", 6658 * 512, 7],
      ],
    );
    const mbr = image.subarray(0, 512);
    strictEqual(records[0].Sha256sum, sha256(mbr));
    strictEqual(records[0].Md5sum, createHash("md5").update(mbr).digest("hex"));
    strictEqual(records[0].Sha1sum, createHash("sha1").update(mbr).digest("hex"));
    deepStrictEqual(records[0].Problem, []);
    deepStrictEqual(stats, {
      source: "disk images",
      disks: 1,
      unreadable: 0,
      bootRecords: 10,
      partitions: 7,
      problems: 0,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createDiskCollector: a GPT image with a damaged header carries the problem on its record", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-disk-" });
  try {
    const { bytes, layout } = sampleGptImage();
    bytes[layout.header + 16]! ^= 0xff;
    const path = join(dir, "gpt.img");
    await Deno.writeFile(path, bytes);
    const { items, findings } = await collect(diskImageSource([path]));
    const fields = fieldsOf(items[0]);
    strictEqual(fields.PartitionScheme, "gpt");
    strictEqual(fields.DiskGuid, "11111111-2222-3333-4444-555555555555");
    // The structure check is reported without an IOC too (the critical-areas scan's boot records).
    deepStrictEqual(
      findings.map((f) => [f.kind, f.severity, f.object, f.data?.["code"], f.data?.["record"]]),
      [["boot-record-problem", "notice", `${path} gpt-header`, "gpt-header-crc", "gpt-header"]],
    );
    deepStrictEqual(
      fields.PartitionList.Partition.map((p: Record<string, unknown>) => p.PartitionName),
      ["EFI system partition", "Basic data partition", "root"],
    );
    const header = fields.BootRecordList.BootRecord.find((r: Record<string, unknown>) =>
      r.Kind === "gpt-header"
    );
    deepStrictEqual(header.Problem, ["gpt-header-crc"]);
    strictEqual(header.Sha256sum, sha256(bytes.subarray(512, 1024)));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createDiskCollector: an image that cannot be opened is a skip that leaves DiskItem unread", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-disk-" });
  try {
    const fifo = join(dir, "pipe.img");
    await new Deno.Command("mkfifo", { args: [fifo] }).output();
    const { items, skipped, stats, findings } = await collect(
      diskImageSource([join(dir, "missing.img"), fifo, dir]),
    );
    strictEqual(items.length, 0);
    deepStrictEqual(
      skipped.map((s) => [s.object, s.reason, s.unreadDocuments]),
      [
        [join(dir, "missing.img"), "not-found", ["DiskItem"]],
        [fifo, "special-file", ["DiskItem"]],
        [dir, "special-file", ["DiskItem"]],
      ],
    );
    strictEqual(stats.unreadable, 3);
    // A boot-records area not read is said as such (the critical-areas scan is then incomplete).
    deepStrictEqual(
      findings.map((f) => [f.kind, f.severity, f.object]),
      [
        ["area-not-read", "incomplete", join(dir, "missing.img")],
        ["area-not-read", "incomplete", fifo],
        ["area-not-read", "incomplete", dir],
      ],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A /sys/block and /dev of a test's own: vda (virtio, fixed), sdb (USB, removable), loop0. */
async function fakeHost(dir: string, image: Uint8Array) {
  const devices = join(dir, "sys/devices/pci0000:00/0000:00:04.0/virtio2/block/vda");
  const usb = join(dir, "sys/devices/pci0000:00/0000:00:14.0/usb1/1-1/host3/target3:0:0/block/sdb");
  const loop = join(dir, "sys/devices/virtual/block/loop0");
  for (
    const [folder, removable, sectors] of [[devices, "0", 8192], [usb, "1", 100], [
      loop,
      "0",
      8,
    ]] as const
  ) {
    await Deno.mkdir(join(folder, "queue"), { recursive: true });
    await Deno.mkdir(join(folder, "device"), { recursive: true });
    await Deno.writeTextFile(join(folder, "removable"), `${removable}\n`);
    await Deno.writeTextFile(join(folder, "size"), `${sectors}\n`);
    await Deno.writeTextFile(join(folder, "queue", "logical_block_size"), "512\n");
  }
  await Deno.writeTextFile(join(devices, "device", "model"), "QEMU HARDDISK   \n");
  await Deno.mkdir(join(dir, "sys/block"), { recursive: true });
  await Deno.symlink(devices, join(dir, "sys/block/vda"));
  await Deno.symlink(usb, join(dir, "sys/block/sdb"));
  await Deno.symlink(loop, join(dir, "sys/block/loop0"));
  await Deno.mkdir(join(dir, "dev"));
  await Deno.writeFile(join(dir, "dev/vda"), image);
  return { sysBlock: join(dir, "sys/block"), dev: join(dir, "dev") };
}

Deno.test("linuxDiskSource: fixed disks of /sys/block, read from /dev, with model and connection", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-disk-sys-" });
  try {
    const image = sampleMbrImage();
    const host = await fakeHost(dir, image);
    const { items, skipped } = await collect(
      linuxDiskSource({ host: { ...host, blockDevicesOnly: false } }),
    );
    deepStrictEqual(skipped, []);
    deepStrictEqual(items.map((item) => item.key), [join(host.dev, "vda")]);
    const fields = fieldsOf(items[0]);
    strictEqual(fields.DiskName, "vda");
    strictEqual(fields.DiskSize, 8192 * 512);
    strictEqual(fields.Type, "fixed");
    strictEqual(fields.DiskConnection, "virtio");
    strictEqual(fields.Model, "QEMU HARDDISK");
    strictEqual(fields.SectorSize, 512);
    strictEqual(fields.PartitionList.Partition.length, 7);
    ok(typeof items[0]!.provenance?.computer === "string");

    const all = await collect(
      linuxDiskSource({ host: { ...host, blockDevicesOnly: false }, includeAll: true }),
    );
    deepStrictEqual(all.items.map((item) => item.key), [join(host.dev, "vda")]);
    deepStrictEqual(
      all.skipped.map((s) => [s.object, s.reason]),
      [[join(host.dev, "loop0"), "not-found"], [join(host.dev, "sdb"), "not-found"]],
    );

    // The live host's rule: only block devices are read, never a regular file named like a disk.
    const live = await collect(linuxDiskSource({ host: { ...host, blockDevicesOnly: true } }));
    deepStrictEqual(live.items, []);
    deepStrictEqual(live.skipped.map((s) => [s.object, s.reason, s.unreadDocuments]), [
      [join(host.dev, "vda"), "special-file", ["DiskItem"]],
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("linuxDiskSource: no /sys/block is a source-unavailable skip, DiskItem unread", async () => {
  const { items, skipped, findings } = await collect(linuxDiskSource({
    host: { sysBlock: "/nonexistent/sys/block", dev: "/dev", blockDevicesOnly: true },
  }));
  strictEqual(items.length, 0);
  deepStrictEqual(skipped.map((s) => [s.reason, s.unreadDocuments]), [
    ["source-unavailable", ["DiskItem"]],
  ]);
  deepStrictEqual(findings.map((f) => [f.kind, f.severity, f.object]), [
    ["area-not-read", "incomplete", "/nonexistent/sys/block"],
  ]);
});

Deno.test("connectionOfSysPath: how a disk is attached, from its sysfs path", () => {
  strictEqual(
    connectionOfSysPath("/sys/devices/pci0000:00/0000:00:04.0/virtio2/block/vda"),
    "virtio",
  );
  strictEqual(
    connectionOfSysPath("/sys/devices/pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0/nvme0n1"),
    "nvme",
  );
  strictEqual(
    connectionOfSysPath(
      "/sys/devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda",
    ),
    "ata",
  );
  strictEqual(
    connectionOfSysPath(
      "/sys/devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host4/target4:0:0/4:0:0:0/block/sdc",
    ),
    "usb",
  );
  strictEqual(connectionOfSysPath("/sys/devices/virtual/block/loop0"), undefined);
});

Deno.test("linuxDiskSource: a hidden block device (an NVMe multipath controller path, no /dev node) is no disk to read", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-disk-hidden-" });
  try {
    const host = await fakeHost(dir, sampleMbrImage());
    const hidden = join(dir, "devices/pci0000:00/nvme/nvme0/nvme0c0n1");
    await Deno.mkdir(join(hidden, "queue"), { recursive: true });
    await Deno.writeTextFile(join(hidden, "removable"), "0\n");
    await Deno.writeTextFile(join(hidden, "hidden"), "1\n");
    await Deno.writeTextFile(join(hidden, "size"), "8192\n");
    await Deno.symlink(hidden, join(host.sysBlock, "nvme0c0n1"));
    const { items, skipped, findings } = await collect(
      linuxDiskSource({ host: { ...host, blockDevicesOnly: false } }),
    );
    deepStrictEqual(items.map((item) => item.key), [join(host.dev, "vda")]);
    deepStrictEqual(skipped, []);
    deepStrictEqual(findings.filter((f) => f.kind === "area-not-read"), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
