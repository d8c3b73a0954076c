/**
 * File names that are not valid UTF-8 (Linux allows any bytes but `/` and
 * NUL). Deno hands such names over with U+FFFD in place of the bad bytes, and
 * that lossy name no longer opens; this module recovers the real bytes so that
 * the skip record can name the file losslessly.
 *
 * @module
 */

/**
 * Spells a name's bytes as text without losing any: valid UTF-8 stays as it
 * is, every byte outside a valid sequence becomes `\xHH`, and a literal
 * backslash becomes `\x5c` so that the escape cannot be mistaken.
 *
 * @example
 * ```ts
 * import { escapeNameBytes } from "./raw_names.ts";
 * escapeNameBytes(new Uint8Array([0x62, 0xff, 0x2e, 0x74])); // "b\\xff.t"
 * ```
 */
export function escapeNameBytes(bytes: Uint8Array): string {
  let out = "";
  let index = 0;
  const decoder = new TextDecoder();
  while (index < bytes.length) {
    const length = validSequenceLength(bytes, index);
    if (length === 0) {
      out += `\\x${bytes[index]!.toString(16).padStart(2, "0")}`;
      index++;
    } else {
      const text = decoder.decode(bytes.subarray(index, index + length));
      out += text === "\\" ? "\\x5c" : text;
      index += length;
    }
  }
  return out;
}

/** Whether `bytes` are valid UTF-8 as a whole. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  for (let index = 0; index < bytes.length;) {
    const length = validSequenceLength(bytes, index);
    if (length === 0) return false;
    index += length;
  }
  return true;
}

// The length of the valid UTF-8 sequence at `index`, or 0 (RFC 3629 table 3-7:
// no overlong forms, no surrogates, nothing above U+10FFFF).
function validSequenceLength(bytes: Uint8Array, index: number): number {
  const lead = bytes[index]!;
  if (lead < 0x80) return 1;
  const continuation = (offset: number, low = 0x80, high = 0xbf) => {
    const byte = bytes[index + offset];
    return byte !== undefined && byte >= low && byte <= high;
  };
  if (lead >= 0xc2 && lead <= 0xdf) return continuation(1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    const low = lead === 0xe0 ? 0xa0 : 0x80;
    const high = lead === 0xed ? 0x9f : 0xbf;
    return continuation(1, low, high) && continuation(2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const low = lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xf4 ? 0x8f : 0xbf;
    return continuation(1, low, high) && continuation(2) && continuation(3) ? 4 : 0;
  }
  return 0;
}

// glibc and musl on 64-bit Linux: d_ino (8), d_off (8), d_reclen (2), d_type (1), then d_name.
const direntNameOffset = 19;
const maxNameBytes = 255;

/**
 * Lists the raw byte names in `folder` through libc (opendir/readdir), on
 * Linux only. Returns `undefined` when that is not possible (another OS, FFI
 * not permitted, libc not found); callers then fall back to the lossy name.
 */
export function readRawNames(folder: string): Uint8Array[] | undefined {
  if (Deno.build.os !== "linux") return undefined;
  let libc;
  try {
    libc = Deno.dlopen("libc.so.6", {
      opendir: { parameters: ["buffer"], result: "pointer" },
      readdir: { parameters: ["pointer"], result: "pointer" },
      closedir: { parameters: ["pointer"], result: "i32" },
    });
  } catch {
    return undefined;
  }
  try {
    const directory = libc.symbols.opendir(new TextEncoder().encode(`${folder}\0`));
    if (directory === null) return undefined;
    const names: Uint8Array[] = [];
    try {
      for (;;) {
        const entry = libc.symbols.readdir(directory);
        if (entry === null) break;
        const view = new Deno.UnsafePointerView(entry);
        const name: number[] = [];
        for (let offset = 0; offset < maxNameBytes; offset++) {
          const byte = view.getUint8(direntNameOffset + offset);
          if (byte === 0) break;
          name.push(byte);
        }
        const bytes = new Uint8Array(name);
        const isDot = (bytes.length === 1 || bytes.length === 2) && bytes.every((b) => b === 0x2e);
        if (!isDot) names.push(bytes);
      }
    } finally {
      libc.symbols.closedir(directory);
    }
    return names;
  } finally {
    libc.close();
  }
}
