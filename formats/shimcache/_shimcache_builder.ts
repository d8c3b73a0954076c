/**
 * Builds AppCompatCache values with code, for tests: every layout of
 * formats/shimcache/app_compat_cache.ts from a list of entries.
 *
 * @module
 */

/** An entry to write. */
export interface BuiltEntry {
  /** The path. */
  path: string;
  /** The last-modified time. */
  modified: Date;
  /** Insert flags (Vista, 7, 8); 0x2 is "executed". */
  flags?: number;
  /** Opaque data bytes (7, 8, 10). */
  data?: number;
  /** The file size (XP). */
  fileSize?: number;
}

/** The layouts the builder writes. */
export type BuiltFormat =
  | "xp"
  | "vista-x86"
  | "vista-x64"
  | "win7-x86"
  | "win7-x64"
  | "win8"
  | "win81"
  | "win10";

const EPOCH_DIFF_MS = 11644473600000;

function filetime(view: DataView, at: number, date: Date): void {
  const ticks = BigInt(date.getTime() + EPOCH_DIFF_MS) * 10000n;
  view.setBigUint64(at, ticks, true);
}

function utf16(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[i * 2] = text.charCodeAt(i) & 0xff;
    out[i * 2 + 1] = text.charCodeAt(i) >> 8;
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** An AppCompatCache value in `format` holding `entries`. */
export function buildShimCache(format: BuiltFormat, entries: readonly BuiltEntry[]): Uint8Array {
  switch (format) {
    case "xp":
      return buildXp(entries);
    case "vista-x86":
    case "vista-x64":
    case "win7-x86":
    case "win7-x64":
      return buildFixed(format, entries);
    case "win8":
    case "win81":
    case "win10":
      return buildTagged(format, entries);
  }
}

function buildXp(entries: readonly BuiltEntry[]): Uint8Array {
  const out = new Uint8Array(0x190 + entries.length * 552);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0xdeadbeef, true);
  view.setUint32(4, entries.length, true);
  entries.forEach((entry, i) => {
    const at = 0x190 + i * 552;
    out.set(utf16(entry.path).subarray(0, 518), at);
    filetime(view, at + 520, entry.modified);
    view.setUint32(at + 528, entry.fileSize ?? 0, true);
  });
  return out;
}

function buildFixed(format: BuiltFormat, entries: readonly BuiltEntry[]): Uint8Array {
  const vista = format.startsWith("vista");
  const x64 = format.endsWith("x64");
  const header = vista ? 8 : 0x80;
  const size = vista ? (x64 ? 32 : 24) : (x64 ? 48 : 32);
  const paths = entries.map((entry) => utf16(entry.path));
  const table = header + entries.length * size;
  const out = new Uint8Array(table + paths.reduce((n, p) => n + p.length + 2, 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, vista ? 0xbadc0ffe : 0xbadc0fee, true);
  view.setUint32(4, entries.length, true);
  let pathAt = table;
  entries.forEach((entry, i) => {
    const at = header + i * size;
    const path = paths[i]!;
    view.setUint16(at, path.length, true);
    view.setUint16(at + 2, path.length + 2, true);
    if (x64) view.setBigUint64(at + 8, BigInt(pathAt), true);
    else view.setUint32(at + 4, pathAt, true);
    filetime(view, at + (x64 ? 16 : 8), entry.modified);
    view.setUint32(at + (x64 ? 24 : 16), entry.flags ?? 0, true);
    if (!vista) {
      if (x64) view.setBigUint64(at + 32, BigInt(entry.data ?? 0), true);
      else view.setUint32(at + 24, entry.data ?? 0, true);
    }
    out.set(path, pathAt);
    pathAt += path.length + 2;
  });
  return out;
}

function buildTagged(format: BuiltFormat, entries: readonly BuiltEntry[]): Uint8Array {
  const header = new Uint8Array(format === "win10" ? 0x34 : 0x80);
  const headerView = new DataView(header.buffer);
  if (format === "win10") headerView.setUint32(0, 0x34, true);
  else headerView.setUint32(0, 0x80, true);
  const tag = format === "win8" ? "00ts" : "10ts";
  const records = entries.map((entry) => {
    const path = utf16(entry.path);
    const win8 = format !== "win10";
    const data = new Uint8Array(entry.data ?? 0).fill(0x11);
    const body = new Uint8Array(2 + path.length + (win8 ? 2 + 8 : 0) + 12 + data.length);
    const view = new DataView(body.buffer);
    view.setUint16(0, path.length, true);
    body.set(path, 2);
    let at = 2 + path.length;
    if (win8) {
      view.setUint16(at, 0, true);
      view.setUint32(at + 2, entry.flags ?? 0, true);
      at += 10;
    }
    filetime(view, at, entry.modified);
    view.setUint32(at + 8, data.length, true);
    body.set(data, at + 12);
    const head = new Uint8Array(12);
    const headView = new DataView(head.buffer);
    head.set(new TextEncoder().encode(tag), 0);
    headView.setUint32(4, 0x12345678, true);
    headView.setUint32(8, body.length, true);
    return concat([head, body]);
  });
  return concat([header, ...records]);
}
