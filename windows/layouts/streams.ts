/**
 * The byte layout of `WIN32_FIND_STREAM_DATA`, what `FindFirstStreamW` and
 * `FindNextStreamW` fill for each stream of a file: a `LARGE_INTEGER
 * StreamSize`, then `WCHAR cStreamName[MAX_PATH + 36]` (`::$DATA` for the
 * main stream, `:Zone.Identifier:$DATA` for an alternate one). A pure
 * decoder and the rules of a stream's name, tested on bytes built by code.
 * Offsets follow the Windows SDK (fileapi.h); not yet checked against a live
 * Windows.
 *
 * @module
 */

/** `MAX_PATH + 36`: the characters of `cStreamName`. */
export const streamNameChars = 260 + 36;

/** `WIN32_FIND_STREAM_DATA` (600 bytes, 8-aligned). */
export const win32FindStreamData = {
  size: 8 + streamNameChars * 2,
  streamSize: 0x00,
  streamName: 0x08,
} as const;

/** `STREAM_INFO_LEVELS` FindStreamInfoStandard. */
export const findStreamInfoStandard = 0;

/** The type suffix of a data stream's name. */
export const dataStreamSuffix = ":$DATA";

/** One stream as the find calls give it. */
export interface FoundStream {
  /** The name as given, `:Zone.Identifier:$DATA`; `::$DATA` for the main stream. */
  readonly rawName: string;
  readonly size: bigint;
}

/** Decodes one `WIN32_FIND_STREAM_DATA`; throws `RangeError` on a short buffer. */
export function decodeFindStreamData(bytes: Uint8Array): FoundStream {
  const layout = win32FindStreamData;
  if (bytes.byteLength < layout.size) {
    throw new RangeError(
      `WIN32_FIND_STREAM_DATA needs ${layout.size} bytes, ${bytes.byteLength} given`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = view.getBigInt64(layout.streamSize, true);
  const units: number[] = [];
  for (let i = 0; i < streamNameChars; i++) {
    const unit = view.getUint16(layout.streamName + i * 2, true);
    if (unit === 0) break;
    units.push(unit);
  }
  return { rawName: String.fromCharCode(...units), size: BigInt.asUintN(64, size) };
}

/**
 * The name of an alternate data stream from its raw name
 * (`:Zone.Identifier:$DATA` → `Zone.Identifier`); undefined for the main
 * stream (`::$DATA`) and for a name that is not a data stream's.
 *
 * @example
 * ```ts
 * import { alternateStreamName } from "./streams.ts";
 * alternateStreamName(":Zone.Identifier:$DATA"); // "Zone.Identifier"
 * alternateStreamName("::$DATA"); // undefined
 * ```
 */
export function alternateStreamName(rawName: string): string | undefined {
  if (!rawName.startsWith(":") || !rawName.toUpperCase().endsWith(dataStreamSuffix)) {
    return undefined;
  }
  const name = rawName.slice(1, rawName.length - dataStreamSuffix.length);
  return name === "" ? undefined : name;
}

/** The longest stream name NTFS keeps (255 UTF-16 units). */
export const maxStreamNameChars = 255;

/**
 * Why `name` cannot be a stream name written back (it would name another
 * file, another stream type or nothing), or undefined when it can.
 */
export function streamNameProblem(name: string): string | undefined {
  if (name === "") return "an empty stream name";
  if (name.length > maxStreamNameChars) {
    return `a stream name of ${name.length} characters (${maxStreamNameChars} at most)`;
  }
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f:\\/]/.test(name)) {
    return "a stream name with a colon, a slash, a backslash or a control character";
  }
  return undefined;
}
