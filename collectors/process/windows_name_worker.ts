/**
 * The program of the worker that asks `NtQueryObject(ObjectNameInformation)`
 * for one handle at a time: the call can block for ever (a synchronous named
 * pipe), so the source waits for each answer with a timeout and abandons the
 * worker when it passes (windows_source.ts). Like the hashing wing's workers,
 * it starts from text, so that it runs the same from a checkout, a bundle and
 * a compiled binary.
 *
 * Not yet run on Windows: written against the documented signatures.
 *
 * @module
 */
import { processApi, unicodeString } from "../../windows/layouts/process.ts";

/** A request: the duplicated handle's value; an answer: the name, or the NTSTATUS. */
export type NameWorkerAnswer = { readonly name: string } | { readonly status: number };

/** The worker's program as module text. */
export const nameWorkerSource: string = `
const ntdll = Deno.dlopen("ntdll.dll", {
  NtQueryObject: { parameters: ["pointer", "u32", "buffer", "u32", "buffer"], result: "i32" },
});
const buffer = new Uint8Array(64 * 1024);
self.onmessage = (event) => {
  const handle = Deno.UnsafePointer.create(BigInt(event.data));
  const returned = new Uint32Array(1);
  const status = ntdll.symbols.NtQueryObject(
    handle, ${processApi.objectNameInformation}, buffer, buffer.byteLength, new Uint8Array(returned.buffer),
  ) >>> 0;
  if (status !== 0) { self.postMessage({ status }); return; }
  const view = new DataView(buffer.buffer);
  const length = view.getUint16(${unicodeString.length}, true);
  const pointer = view.getBigUint64(${unicodeString.buffer}, true);
  const base = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(buffer)));
  const at = Number(pointer - base);
  const name = length === 0 || at < 0 || at + length > buffer.byteLength
    ? ""
    : new TextDecoder("utf-16le").decode(buffer.subarray(at, at + length));
  self.postMessage({ name });
};
`;
