/**
 * A minimal ustar writer and reader, enough for release packages (`.tar.gz`) and npm tarballs
 * (`.tgz`): regular files and their folders, names up to 255 bytes through the ustar prefix,
 * pax headers skipped on read except for their `path`. gzip is the runtime's CompressionStream.
 *
 * @module
 */
import { type ArchiveEntry, assertSafeArchivePath } from "./archive_entry.ts";

const BLOCK = 512;
const NAME_BYTES = 100;
const PREFIX_BYTES = 155;
const TYPE_FILE = "0".charCodeAt(0);
const TYPE_OLD_FILE = 0;
const TYPE_DIRECTORY = "5".charCodeAt(0);
const TYPE_PAX_NEXT = "x".charCodeAt(0);
const TYPE_PAX_GLOBAL = "g".charCodeAt(0);
const DIRECTORY_MODE = 0o755;
/** The modification time written for every entry: fixed, so that builds are reproducible. */
const FIXED_MTIME_SECONDS = 0;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function writeOctal(block: Uint8Array, offset: number, width: number, value: number): void {
  const text = value.toString(8).padStart(width - 1, "0");
  if (text.length > width - 1) throw new Error(`tar field overflow: ${value}`);
  block.set(encoder.encode(text), offset);
  block[offset + width - 1] = 0;
}

function splitName(path: string): { name: string; prefix: string } {
  if (encoder.encode(path).length <= NAME_BYTES) return { name: path, prefix: "" };
  for (let cut = path.indexOf("/"); cut !== -1; cut = path.indexOf("/", cut + 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (
      encoder.encode(prefix).length <= PREFIX_BYTES && encoder.encode(name).length <= NAME_BYTES
    ) {
      return { name, prefix };
    }
  }
  throw new Error(`path too long for ustar: ${path}`);
}

function header(path: string, size: number, mode: number, type: number): Uint8Array {
  const block = new Uint8Array(BLOCK);
  const { name, prefix } = splitName(path);
  block.set(encoder.encode(name), 0);
  writeOctal(block, 100, 8, mode);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, FIXED_MTIME_SECONDS);
  block.fill(0x20, 148, 156);
  block[156] = type;
  block.set(encoder.encode("ustar\u0000"), 257);
  block.set(encoder.encode("00"), 263);
  block.set(encoder.encode("root"), 265);
  block.set(encoder.encode("root"), 297);
  block.set(encoder.encode(prefix), 345);
  const checksum = block.reduce((sum, byte) => sum + byte, 0);
  writeOctal(block, 148, 7, checksum);
  block[155] = 0x20;
  return block;
}

/** The folders `paths` need, parents first, each once. */
function foldersOf(paths: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const path of paths) {
    const segments = path.split("/");
    for (let i = 1; i < segments.length; i++) folders.add(segments.slice(0, i).join("/"));
  }
  return [...folders].sort();
}

/** The uncompressed tar of `entries` (their folders first, then the files in the given order). */
export function writeTar(entries: readonly ArchiveEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const entry of entries) assertSafeArchivePath(entry.path);
  for (const folder of foldersOf(entries.map((entry) => entry.path))) {
    chunks.push(header(`${folder}/`, 0, DIRECTORY_MODE, TYPE_DIRECTORY));
  }
  for (const entry of entries) {
    chunks.push(header(entry.path, entry.data.length, entry.mode, TYPE_FILE));
    chunks.push(entry.data);
    const pad = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
    if (pad > 0) chunks.push(new Uint8Array(pad));
  }
  chunks.push(new Uint8Array(BLOCK * 2));
  return concat(chunks);
}

function readString(block: Uint8Array, offset: number, width: number): string {
  const field = block.subarray(offset, offset + width);
  const end = field.indexOf(0);
  return decoder.decode(end === -1 ? field : field.subarray(0, end));
}

function readOctal(block: Uint8Array, offset: number, width: number): number {
  const text = readString(block, offset, width).trim();
  const value = text === "" ? 0 : parseInt(text, 8);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`bad tar number: ${text}`);
  return value;
}

function paxPath(data: Uint8Array): string | undefined {
  for (const record of decoder.decode(data).split("\n")) {
    const match = /^\d+ path=(.*)$/.exec(record);
    if (match) return match[1];
  }
  return undefined;
}

/** The regular files of an uncompressed tar (folders are implied by the paths). */
export function readTar(tar: Uint8Array): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [];
  let offset = 0;
  let nextPath: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const block = tar.subarray(offset, offset + BLOCK);
    if (block.every((byte) => byte === 0)) break;
    const size = readOctal(block, 124, 12);
    const type = block[156]!;
    const dataStart = offset + BLOCK;
    if (dataStart + size > tar.length) throw new Error("truncated tar");
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === TYPE_PAX_NEXT) {
      nextPath = paxPath(data);
      continue;
    }
    if (type === TYPE_PAX_GLOBAL) continue;
    const prefix = readString(block, 345, PREFIX_BYTES);
    const name = readString(block, 0, NAME_BYTES);
    const path = nextPath ?? (prefix ? `${prefix}/${name}` : name);
    nextPath = undefined;
    if (type !== TYPE_FILE && type !== TYPE_OLD_FILE) continue;
    assertSafeArchivePath(path);
    entries.push({ path, data: data.slice(), mode: readOctal(block, 100, 8) & 0o7777 });
  }
  return entries;
}

/** gzip (or gunzip) `bytes` through the runtime's compression streams. */
async function transform(
  bytes: Uint8Array,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array> {
  const output = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(output).arrayBuffer());
}

/** The `.tar.gz` of `entries`. */
export function writeTarGz(entries: readonly ArchiveEntry[]): Promise<Uint8Array> {
  return transform(writeTar(entries), new CompressionStream("gzip"));
}

/** The regular files of a `.tar.gz` / `.tgz`. */
export async function readTarGz(bytes: Uint8Array): Promise<ArchiveEntry[]> {
  return readTar(await transform(bytes, new DecompressionStream("gzip")));
}

/** The bytes of `chunks` one after the other. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
