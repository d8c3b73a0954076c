/**
 * The system's OpenSSL (libcrypto) over FFI: one-shot digests and reusable
 * streaming contexts, each falling back on `node:crypto` where OpenSSL is not
 * at hand.
 *
 * @module
 */
import type { CreateHash, DigestOnce } from "./types.ts";

/**
 * The system's OpenSSL (libcrypto) through FFI, or `undefined` where it cannot
 * be loaded (Windows, no FFI permission). Opened once per thread: each
 * `Deno.dlopen` binds its symbols anew, about a millisecond. `libraryNames`
 * are tried in order.
 *
 * @example
 * ```ts
 * import { openLibcrypto } from "./libcrypto.ts";
 * const libcrypto = openLibcrypto(); // undefined without FFI or OpenSSL
 * ```
 */
export function openLibcrypto(
  libraryNames: readonly string[] = ["libcrypto.so.3", "libcrypto.so"],
) {
  const oneShot = { parameters: ["buffer", "usize", "buffer"], result: "pointer" } as const;
  const symbols = {
    MD5: oneShot,
    SHA1: oneShot,
    SHA256: oneShot,
    EVP_MD_CTX_new: { parameters: [], result: "pointer" },
    EVP_get_digestbyname: { parameters: ["buffer"], result: "pointer" },
    EVP_DigestInit_ex: { parameters: ["pointer", "pointer", "pointer"], result: "i32" },
    EVP_DigestUpdate: { parameters: ["pointer", "buffer", "usize"], result: "i32" },
    EVP_DigestFinal_ex: { parameters: ["pointer", "buffer", "pointer"], result: "i32" },
  } as const;
  for (const name of libraryNames) {
    try {
      return Deno.dlopen(name, symbols).symbols;
    } catch {
      // Not here, or FFI not permitted.
    }
  }
  return undefined;
}

/** What {@linkcode openLibcrypto} gives where OpenSSL loads. */
export type Libcrypto = NonNullable<ReturnType<typeof openLibcrypto>>;

/**
 * One-shot digests from OpenSSL (libcrypto's `MD5`, `SHA1` and `SHA256`, one
 * FFI call each), or from `fallback` (`node:crypto`) when `libcrypto` is
 * `undefined`. OpenSSL's MD5 is about a third faster than the one behind
 * Deno's `node:crypto`, and a call costs less than a `node:crypto` hash
 * object.
 *
 * @example
 * ```ts
 * import { createHash } from "node:crypto";
 * import { libcryptoDigestOnce, openLibcrypto } from "./libcrypto.ts";
 * const digestOnce = libcryptoDigestOnce(createHash, openLibcrypto());
 * digestOnce("md5", new Uint8Array(0)); // "d41d8cd98f00b204e9800998ecf8427e"
 * ```
 */
export function libcryptoDigestOnce(
  fallback: CreateHash,
  libcrypto: Libcrypto | undefined,
): DigestOnce {
  const viaFallback: DigestOnce = (algorithm, data) => {
    const hash = fallback(algorithm);
    hash.update(data);
    return hash.digest("hex");
  };
  if (libcrypto === undefined) return viaFallback;
  const functions = { md5: libcrypto.MD5, sha1: libcrypto.SHA1, sha256: libcrypto.SHA256 };
  const lengths = { md5: 16, sha1: 20, sha256: 32 };
  const hex: string[] = [];
  for (let byte = 0; byte < 256; byte++) hex.push(byte.toString(16).padStart(2, "0"));
  const out = new Uint8Array(64);
  return (algorithm, data) => {
    const digest = functions[algorithm];
    if (digest === undefined) return viaFallback(algorithm, data);
    if (digest(data, BigInt(data.length), out) === null) {
      throw new Error(`OpenSSL ${algorithm} failed`);
    }
    let text = "";
    for (let index = 0; index < lengths[algorithm]; index++) text += hex[out[index]!];
    return text;
  };
}

/**
 * Wraps a hash factory so that digests come from OpenSSL (`libcrypto`): its
 * assembly MD5 is about a third faster than the one behind Deno's
 * `node:crypto` (MD5 is the slowest of the three digests and sets the pace of
 * a hash scan), and its SHA-1 and SHA-256 use SHA-NI too. Without `libcrypto`,
 * or for an algorithm OpenSSL does not give, `fallback`. One OpenSSL context
 * per algorithm is reused, so the result suits a caller that hashes one file
 * at a time (a worker, or one MD5 lane).
 *
 * @example
 * ```ts
 * import { createHash } from "node:crypto";
 * import { openLibcrypto, withLibcrypto } from "./libcrypto.ts";
 * const hash = withLibcrypto(createHash, openLibcrypto())("sha1");
 * hash.update(new Uint8Array([1, 2, 3]));
 * hash.digest("hex"); // "7037807198c22a7d2b0807371d763779a84fdfcf"
 * ```
 */
export function withLibcrypto(fallback: CreateHash, libcrypto: Libcrypto | undefined): CreateHash {
  if (libcrypto === undefined) return fallback;
  const ssl = libcrypto;
  const hex: string[] = [];
  for (let byte = 0; byte < 256; byte++) hex.push(byte.toString(16).padStart(2, "0"));
  const out = new Uint8Array(64);
  const engines = new Map<string, { md: Deno.PointerValue; context: Deno.PointerValue } | null>();
  const engineOf = (algorithm: string) => {
    let engine = engines.get(algorithm);
    if (engine === undefined) {
      const md = ["md5", "sha1", "sha256"].includes(algorithm)
        ? ssl.EVP_get_digestbyname(new TextEncoder().encode(`${algorithm}\0`))
        : null;
      const context = md === null ? null : ssl.EVP_MD_CTX_new();
      engine = md === null || context === null ? null : { md, context };
      engines.set(algorithm, engine);
    }
    return engine;
  };
  return (algorithm) => {
    const engine = engineOf(algorithm);
    if (engine === null || ssl.EVP_DigestInit_ex(engine.context, engine.md, null) !== 1) {
      return fallback(algorithm);
    }
    const { context } = engine;
    return {
      update(data: Uint8Array) {
        if (ssl.EVP_DigestUpdate(context, data, BigInt(data.length)) !== 1) {
          throw new Error(`OpenSSL ${algorithm} update failed`);
        }
      },
      digest() {
        const length = new Uint32Array(1);
        if (ssl.EVP_DigestFinal_ex(context, out, Deno.UnsafePointer.of(length)) !== 1) {
          throw new Error(`OpenSSL ${algorithm} final failed`);
        }
        let text = "";
        for (let index = 0; index < length[0]!; index++) text += hex[out[index]!];
        return text;
      },
    };
  };
}
