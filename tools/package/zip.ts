/**
 * A minimal zip writer and reader for the Windows release package: deflated files with UTF-8
 * names and Unix modes, no zip64 (every file and the archive stay under 4 GiB), a fixed
 * timestamp so that builds are reproducible. Windows Explorer, Expand-Archive and unzip read it.
 *
 * @module
 */
import { type ArchiveEntry, assertSafeArchivePath } from "./archive_entry.ts";
import { crc32 } from "./crc32.ts";
import { concat } from "./tar.ts";

const LOCAL_SIGNATURE = 0x04034b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const END_SIGNATURE = 0x06054b50;
const LOCAL_HEADER_BYTES = 30;
const CENTRAL_HEADER_BYTES = 46;
const END_BYTES = 22;
const MAX_COMMENT_BYTES = 0xffff;
const VERSION_NEEDED = 20;
/** "Made by" Unix (3), spec 2.0: readers then take the mode from the external attributes. */
const VERSION_MADE_BY = (3 << 8) | VERSION_NEEDED;
const FLAG_UTF8 = 0x0800;
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;
/** 1980-01-01 00:00, the earliest DOS date: fixed so that two builds give the same bytes. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
const UNIX_REGULAR_FILE = 0o100000;
const ZIP32_LIMIT = 0xffffffff;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream) {
  const output = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(output).arrayBuffer());
}

/** The zip of `entries`, each deflated. */
export async function writeZip(entries: readonly ArchiveEntry[]): Promise<Uint8Array> {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    assertSafeArchivePath(entry.path);
    const name = encoder.encode(entry.path);
    const compressed = await pipe(entry.data, new CompressionStream("deflate-raw"));
    const crc = crc32(entry.data);
    if (entry.data.length >= ZIP32_LIMIT || offset >= ZIP32_LIMIT) {
      throw new Error(`zip64 would be needed for ${entry.path}`);
    }
    const local = new Uint8Array(LOCAL_HEADER_BYTES + name.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, LOCAL_SIGNATURE, true);
    l.setUint16(4, VERSION_NEEDED, true);
    l.setUint16(6, FLAG_UTF8, true);
    l.setUint16(8, METHOD_DEFLATED, true);
    l.setUint16(10, DOS_TIME, true);
    l.setUint16(12, DOS_DATE, true);
    l.setUint32(14, crc, true);
    l.setUint32(18, compressed.length, true);
    l.setUint32(22, entry.data.length, true);
    l.setUint16(26, name.length, true);
    local.set(name, LOCAL_HEADER_BYTES);

    const central = new Uint8Array(CENTRAL_HEADER_BYTES + name.length);
    const c = new DataView(central.buffer);
    c.setUint32(0, CENTRAL_SIGNATURE, true);
    c.setUint16(4, VERSION_MADE_BY, true);
    c.setUint16(6, VERSION_NEEDED, true);
    c.setUint16(8, FLAG_UTF8, true);
    c.setUint16(10, METHOD_DEFLATED, true);
    c.setUint16(12, DOS_TIME, true);
    c.setUint16(14, DOS_DATE, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, compressed.length, true);
    c.setUint32(24, entry.data.length, true);
    c.setUint16(28, name.length, true);
    c.setUint32(38, ((UNIX_REGULAR_FILE | entry.mode) << 16) >>> 0, true);
    c.setUint32(42, offset, true);
    central.set(name, CENTRAL_HEADER_BYTES);

    locals.push(local, compressed);
    centrals.push(central);
    offset += local.length + compressed.length;
  }
  const directory = concat(centrals);
  const end = new Uint8Array(END_BYTES);
  const e = new DataView(end.buffer);
  e.setUint32(0, END_SIGNATURE, true);
  e.setUint16(8, entries.length, true);
  e.setUint16(10, entries.length, true);
  e.setUint32(12, directory.length, true);
  e.setUint32(16, offset, true);
  return concat([...locals, directory, end]);
}

/** The files of a zip, inflated and checked against their CRC-32. */
export async function readZip(zip: Uint8Array): Promise<ArchiveEntry[]> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = -1;
  const lowest = Math.max(0, zip.length - END_BYTES - MAX_COMMENT_BYTES);
  for (let at = zip.length - END_BYTES; at >= lowest; at--) {
    if (view.getUint32(at, true) === END_SIGNATURE) {
      end = at;
      break;
    }
  }
  if (end === -1) throw new Error("not a zip: no end of central directory");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries: ArchiveEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (view.getUint32(at, true) !== CENTRAL_SIGNATURE) throw new Error("bad central directory");
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const external = view.getUint32(at + 38, true);
    const localOffset = view.getUint32(at + 42, true);
    const path = decoder.decode(zip.subarray(at + 46, at + 46 + nameLength));
    at += CENTRAL_HEADER_BYTES + nameLength + extraLength + commentLength;
    if (path.endsWith("/")) continue;
    assertSafeArchivePath(path);
    if (view.getUint32(localOffset, true) !== LOCAL_SIGNATURE) {
      throw new Error(`bad local header: ${path}`);
    }
    const dataStart = localOffset + LOCAL_HEADER_BYTES + view.getUint16(localOffset + 26, true) +
      view.getUint16(localOffset + 28, true);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    let data: Uint8Array;
    if (method === METHOD_STORED) data = raw.slice();
    else if (method === METHOD_DEFLATED) {
      data = await pipe(raw, new DecompressionStream("deflate-raw"));
    } else throw new Error(`unsupported zip method ${method}: ${path}`);
    if (data.length !== size || crc32(data) !== crc) throw new Error(`corrupt zip entry: ${path}`);
    entries.push({ path, data, mode: (external >>> 16) & 0o7777 });
  }
  return entries;
}
