/**
 * The neutered copy's format: AES-256-GCM (WebCrypto) over independent chunks of
 * {@linkcode CHUNK_BYTES}, so that no file is ever held whole in memory and a changed, dropped,
 * reordered or truncated chunk is detected on its own (docs/quarantine.md, "Store format").
 *
 * A copy is a 32-byte header then the chunks' ciphertexts (each `plaintext + 16-byte tag`):
 *
 * | offset | bytes | field                                                            |
 * | ------ | ----- | ---------------------------------------------------------------- |
 * | 0      | 8     | magic `IOCSCNQ1`                                                 |
 * | 8      | 4     | chunk size, big-endian (1 MiB)                                   |
 * | 12     | 8     | the copy's random nonce prefix                                   |
 * | 20     | 12    | zero                                                             |
 *
 * Chunk `i`'s nonce is `prefix ‖ u32be(i)`; its additional data is `header ‖ u64be(i) ‖ final`
 * (`final` 1 on the last chunk, else 0): a chunk moved to another place, another copy's chunk,
 * a dropped last chunk (the new last one was not sealed as final) or a header edit all fail the
 * tag check. An empty file is one empty final chunk.
 *
 * @module
 */

/** Plaintext bytes per chunk. */
export const CHUNK_BYTES = 1024 * 1024;
/** The header's size. */
export const HEADER_BYTES = 32;
/** AES-GCM's tag. */
const TAG_BYTES = 16;
const MAGIC = new TextEncoder().encode("IOCSCNQ1");
const PREFIX_BYTES = 8;
/** Chunk indexes are 32-bit in the nonce. */
const MAX_CHUNKS = 2 ** 32;

/** The copy cannot be decrypted as it was written: changed, truncated, or not a copy. */
export class TamperedCopyError extends Error {
  override readonly name = "TamperedCopyError";
}

/** Imports a 32-byte key for AES-256-GCM. */
export function importChunkKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
}

function makeHeader(prefix: Uint8Array): Uint8Array<ArrayBuffer> {
  const header = new Uint8Array(HEADER_BYTES);
  header.set(MAGIC, 0);
  new DataView(header.buffer).setUint32(8, CHUNK_BYTES, false);
  header.set(prefix, 12);
  return header;
}

function nonce(prefix: Uint8Array, index: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(12);
  bytes.set(prefix, 0);
  new DataView(bytes.buffer).setUint32(8, index, false);
  return bytes;
}

function additionalData(header: Uint8Array, index: number, final: boolean) {
  const bytes = new Uint8Array(HEADER_BYTES + 9);
  bytes.set(header, 0);
  new DataView(bytes.buffer).setBigUint64(HEADER_BYTES, BigInt(index), false);
  bytes[HEADER_BYTES + 8] = final ? 1 : 0;
  return bytes;
}

/** Reads until `buffer` is full or the end; returns how many bytes were read. */
export async function readFull(
  source: { read(p: Uint8Array): Promise<number | null> },
  buffer: Uint8Array,
): Promise<number> {
  let filled = 0;
  while (filled < buffer.length) {
    const count = await source.read(buffer.subarray(filled));
    if (count === null) break;
    filled += count;
  }
  return filled;
}

async function writeAll(sink: { write(p: Uint8Array): Promise<number> }, bytes: Uint8Array) {
  let written = 0;
  while (written < bytes.length) written += await sink.write(bytes.subarray(written));
}

/**
 * Encrypts what `source` yields (plaintext chunks of exactly {@linkcode CHUNK_BYTES} but the
 * last) into `sink`, calling `onPlain` with each chunk first (for hashing). Returns the
 * plaintext length.
 */
export async function encryptChunks(
  key: CryptoKey,
  source: { read(p: Uint8Array): Promise<number | null> },
  sink: { write(p: Uint8Array): Promise<number> },
  onPlain: (chunk: Uint8Array) => void,
): Promise<number> {
  const prefix = crypto.getRandomValues(new Uint8Array(PREFIX_BYTES));
  const header = makeHeader(prefix);
  await writeAll(sink, header);
  let current = new Uint8Array(CHUNK_BYTES);
  let next = new Uint8Array(CHUNK_BYTES);
  let currentLength = await readFull(source, current);
  let total = 0;
  for (let index = 0;; index++) {
    if (index >= MAX_CHUNKS) throw new Error("file too large for the copy format");
    const nextLength = currentLength === CHUNK_BYTES ? await readFull(source, next) : 0;
    const final = nextLength === 0;
    const plain = current.subarray(0, currentLength);
    // WebCrypto copies its input when called and seals off the main thread: hash meanwhile.
    const sealing = crypto.subtle.encrypt(
      {
        name: "AES-GCM",
        iv: nonce(prefix, index),
        additionalData: additionalData(header, index, final),
      },
      key,
      plain,
    );
    onPlain(plain);
    total += currentLength;
    const sealed = await sealing;
    await writeAll(sink, new Uint8Array(sealed));
    if (final) return total;
    [current, next] = [next, current];
    currentLength = nextLength;
  }
}

/**
 * Decrypts a copy from `source`, calling `onPlain` with each plaintext chunk in order; returns
 * the plaintext length.
 *
 * @throws TamperedCopyError when a header, chunk or tag does not check out.
 */
export async function decryptChunks(
  key: CryptoKey,
  source: { read(p: Uint8Array): Promise<number | null> },
  onPlain: (chunk: Uint8Array) => void | Promise<void>,
): Promise<number> {
  const header = new Uint8Array(HEADER_BYTES);
  if (await readFull(source, header) !== HEADER_BYTES) {
    throw new TamperedCopyError("the copy is shorter than its header");
  }
  if (!MAGIC.every((byte, at) => header[at] === byte)) {
    throw new TamperedCopyError("the copy's header is not a quarantine copy's");
  }
  if (new DataView(header.buffer).getUint32(8, false) !== CHUNK_BYTES) {
    throw new TamperedCopyError("the copy's chunk size is not this version's");
  }
  const prefix = header.slice(12, 12 + PREFIX_BYTES);
  const sealedBytes = CHUNK_BYTES + TAG_BYTES;
  let current = new Uint8Array(sealedBytes);
  let next = new Uint8Array(sealedBytes);
  let currentLength = await readFull(source, current);
  let total = 0;
  for (let index = 0;; index++) {
    if (currentLength < TAG_BYTES) {
      throw new TamperedCopyError(`chunk ${index} is truncated`);
    }
    const nextLength = currentLength === sealedBytes ? await readFull(source, next) : 0;
    const final = nextLength === 0;
    let plain: ArrayBuffer;
    try {
      plain = await crypto.subtle.decrypt(
        {
          name: "AES-GCM",
          iv: nonce(prefix, index),
          additionalData: additionalData(header, index, final),
        },
        key,
        current.subarray(0, currentLength),
      );
    } catch {
      throw new TamperedCopyError(
        `chunk ${index} does not authenticate (changed, moved, or the copy was cut short)`,
      );
    }
    total += plain.byteLength;
    await onPlain(new Uint8Array(plain));
    if (final) return total;
    [current, next] = [next, current];
    currentLength = nextLength;
  }
}
