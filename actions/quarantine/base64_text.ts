/**
 * Bytes as base64 text and back (extended attribute values in entry records).
 *
 * @module
 */
import { Buffer } from "node:buffer";

/** Bytes → base64. */
export function encodeBase64Text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** Base64 → bytes. */
export function decodeBase64Text(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "base64"));
}
