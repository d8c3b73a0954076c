import { deepStrictEqual } from "node:assert/strict";
import { ShareSizer } from "./share_size.ts";

Deno.test("ShareSizer: 8 files until 16 are answered, then about 1 MiB of files, 16 to 128", () => {
  const shares = new ShareSizer();
  deepStrictEqual(shares.size(), 8);
  shares.answered(new Array(15).fill(1000));
  deepStrictEqual(shares.size(), 8);
  shares.answered([1000]);
  // 1 MiB of 1000-byte files is 1049 files: capped at 128.
  deepStrictEqual(shares.size(), 128);
  // Failed and split files (negative sizes) count as 0 bytes.
  const failing = new ShareSizer();
  failing.answered(new Array(16).fill(-1));
  deepStrictEqual(failing.size(), 128);
  // Large files: the floor of 16, two messages that fill every MD5 lane.
  const large = new ShareSizer();
  large.answered(new Array(16).fill(64 << 20));
  deepStrictEqual(large.size(), 16);
});

Deno.test("ShareSizer follows the mean of roughly the last 64 files", () => {
  const shares = new ShareSizer();
  shares.answered(new Array(64).fill(64 << 20));
  deepStrictEqual(shares.size(), 16);
  for (let message = 0; message < 100; message++) shares.answered(new Array(16).fill(16 << 10));
  // The mean is now close to 16 KiB: 1 MiB of them is 64 files.
  deepStrictEqual(shares.size(), 64);
});
