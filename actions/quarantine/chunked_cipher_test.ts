import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import {
  CHUNK_BYTES,
  decryptChunks,
  encryptChunks,
  HEADER_BYTES,
  importChunkKey,
  TamperedCopyError,
} from "./chunked_cipher.ts";
import { seededBytes, sha256 } from "./_quarantine_fixtures.ts";

const SEALED = CHUNK_BYTES + 16;

function reader(bytes: Uint8Array) {
  let offset = 0;
  return {
    read(buffer: Uint8Array) {
      if (offset >= bytes.length) return Promise.resolve(null);
      const count = Math.min(buffer.length, bytes.length - offset, 65536);
      buffer.set(bytes.subarray(offset, offset + count));
      offset += count;
      return Promise.resolve(count);
    },
  };
}

async function seal(key: CryptoKey, plain: Uint8Array): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const sink = {
    write(bytes: Uint8Array) {
      parts.push(bytes.slice());
      return Promise.resolve(bytes.length);
    },
  };
  await encryptChunks(key, reader(plain), sink, () => {});
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

async function open(key: CryptoKey, sealed: Uint8Array): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  await decryptChunks(key, reader(sealed), (chunk) => void parts.push(chunk.slice()));
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function chunkAt(sealed: Uint8Array, index: number): Uint8Array {
  return sealed.subarray(HEADER_BYTES + index * SEALED, HEADER_BYTES + (index + 1) * SEALED);
}

function join(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const key = await importChunkKey(crypto.getRandomValues(new Uint8Array(32)));
const plain = seededBytes(7, 3 * CHUNK_BYTES + 1234);

Deno.test("chunked cipher: round trips empty, exact-multiple and ragged sizes", async () => {
  for (const size of [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 2 * CHUNK_BYTES]) {
    const bytes = seededBytes(size, size);
    const sealed = await seal(key, bytes);
    strictEqual(
      sealed.length,
      HEADER_BYTES + Math.max(1, Math.ceil(size / CHUNK_BYTES)) * 16 + size,
    );
    strictEqual(sha256(await open(key, sealed)), sha256(bytes), `size ${size}`);
  }
});

Deno.test("chunked cipher: the copy is not the plaintext", async () => {
  const sealed = await seal(key, plain);
  const probe = plain.subarray(1000, 1032);
  const text = Array.from(sealed).join(",");
  strictEqual(text.includes(Array.from(probe).join(",")), false);
});

Deno.test("chunked cipher: reordered, dropped, truncated, flipped, foreign chunks are detected", async () => {
  const sealed = await seal(key, plain);
  const header = sealed.subarray(0, HEADER_BYTES);
  const [c0, c1, c2, last] = [0, 1, 2, 3].map((index) => chunkAt(sealed, index)) as Uint8Array[];
  const other = await seal(key, plain);
  const flipped = sealed.slice();
  flipped[HEADER_BYTES + SEALED + 5]! ^= 1;
  const flippedHeader = sealed.slice();
  flippedHeader[14]! ^= 1;
  const cases: Record<string, Uint8Array> = {
    reordered: join(header, c1!, c0!, c2!, last!),
    "middle chunk dropped": join(header, c0!, c2!, last!),
    "last chunk dropped": join(header, c0!, c1!, c2!),
    "cut inside the last chunk": sealed.subarray(0, sealed.length - 7),
    "cut to the header": sealed.subarray(0, HEADER_BYTES),
    "cut inside the header": sealed.subarray(0, 10),
    "a byte flipped": flipped,
    "the header's nonce prefix changed": flippedHeader,
    "a chunk of another copy": join(header, c0!, chunkAt(other, 1), c2!, last!),
    "a chunk appended": join(sealed, c0!),
  };
  for (const [name, bytes] of Object.entries(cases)) {
    await rejects(open(key, bytes), TamperedCopyError, name);
  }
  deepStrictEqual(sha256(await open(key, sealed)), sha256(plain));
});

Deno.test("chunked cipher: another key does not open a copy", async () => {
  const sealed = await seal(key, seededBytes(1, 100));
  const otherKey = await importChunkKey(crypto.getRandomValues(new Uint8Array(32)));
  await rejects(open(otherKey, sealed), TamperedCopyError);
});
