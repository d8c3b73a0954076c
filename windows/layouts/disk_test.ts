import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { encodeDiskGeometry, encodeDriveLayout } from "./_disk_encode.ts";
import {
  decodeDiskGeometry,
  decodeDriveLayout,
  driveLayoutInformationEx,
  mediaTypes,
  partitionInformationEx,
} from "./disk.ts";

Deno.test("decodeDiskGeometry: sector size, media type and disk size of DISK_GEOMETRY_EX", () => {
  deepStrictEqual(decodeDiskGeometry(encodeDiskGeometry(mediaTypes.FixedMedia, 4096, 512e9)), {
    mediaType: 12,
    bytesPerSector: 4096,
    diskSize: 512e9,
  });
  strictEqual(decodeDiskGeometry(new Uint8Array(31)), undefined);
});

Deno.test("decodeDriveLayout: an MBR layout (empty slots left out) and a GPT one", () => {
  const mbr = encodeDriveLayout("mbr", 0x1234abcd, [
    { number: 1, offset: 1048576, length: 524288, type: 0x07 },
    { number: 0, offset: 0, length: 0, type: 0 },
    { number: 2, offset: 2097152, length: 1048576, type: 0x83 },
  ]);
  deepStrictEqual(decodeDriveLayout(mbr), {
    style: "mbr",
    diskId: "0x1234abcd",
    partitions: [
      { number: 1, offset: 1048576, length: 524288, typeId: "0x07" },
      { number: 2, offset: 2097152, length: 1048576, typeId: "0x83" },
    ],
  });
  const gpt = encodeDriveLayout("gpt", "11111111-2222-3333-4444-555555555555", [
    { number: 1, offset: 1048576, length: 104857600, type: "c12a7328-f81f-11d2-ba4b-00a0c93ec93b" },
  ]);
  deepStrictEqual(decodeDriveLayout(gpt), {
    style: "gpt",
    diskId: "11111111-2222-3333-4444-555555555555",
    partitions: [{
      number: 1,
      offset: 1048576,
      length: 104857600,
      typeId: "c12a7328-f81f-11d2-ba4b-00a0c93ec93b",
    }],
  });
});

Deno.test("decodeDriveLayout: a count larger than the bytes reads only the entries present", () => {
  const bytes = encodeDriveLayout("mbr", 1, [{ number: 1, offset: 512, length: 512, type: 0x83 }]);
  new DataView(bytes.buffer).setUint32(driveLayoutInformationEx.partitionCount, 0xffffffff, true);
  strictEqual(decodeDriveLayout(bytes)?.partitions.length, 1);
  strictEqual(decodeDriveLayout(bytes.subarray(0, 47)), undefined);
  strictEqual(partitionInformationEx.size, 144);
});
