import { deepStrictEqual, rejects } from "node:assert/strict";
import { byteSourceFromBytes, byteSourceFromSeekable } from "./byte_source.ts";

Deno.test("byteSourceFromBytes() clamps reads to the data", async () => {
  const source = byteSourceFromBytes(Uint8Array.of(1, 2, 3, 4));
  deepStrictEqual(source.size, 4);
  deepStrictEqual(await source.read(1, 2), Uint8Array.of(2, 3));
  deepStrictEqual(await source.read(3, 10), Uint8Array.of(4));
  deepStrictEqual(await source.read(9, 1), new Uint8Array(0));
  deepStrictEqual(await source.read(-5, 1), Uint8Array.of(1));
});

Deno.test("byteSourceFromSeekable() reads a real file at offsets, serialising concurrent reads", async () => {
  const path = await Deno.makeTempFile();
  try {
    await Deno.writeFile(path, Uint8Array.from({ length: 100_000 }, (_, index) => index % 251));
    using file = await Deno.open(path);
    const source = byteSourceFromSeekable(file, 100_000);
    const [head, middle, tail] = await Promise.all([
      source.read(0, 3),
      source.read(50_000, 2),
      source.read(99_999, 5),
    ]);
    deepStrictEqual(head, Uint8Array.of(0, 1, 2));
    deepStrictEqual(middle, Uint8Array.of(50_000 % 251, 50_001 % 251));
    deepStrictEqual(tail, Uint8Array.of(99_999 % 251));
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("byteSourceFromSeekable() passes a failed read on and keeps working", async () => {
  let fail = true;
  const source = byteSourceFromSeekable({
    seek: (offset) => Promise.resolve(offset),
    read: (buffer) => {
      if (fail) {
        fail = false;
        return Promise.reject(new Error("EIO"));
      }
      buffer.fill(7);
      return Promise.resolve(buffer.length);
    },
  }, 10);
  await rejects(source.read(0, 4), /EIO/);
  deepStrictEqual(await source.read(0, 2), Uint8Array.of(7, 7));
});
