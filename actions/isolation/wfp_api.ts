/**
 * The small interface between the WFP backend and the Base Filtering Engine, and its one real
 * implementation over `fwpuclnt.dll` (Deno FFI). Every call returns the Win32 / `FWP_E_*` code
 * the API gave, so the backend's logic (transaction, rollback, release by provider) is tested
 * with recorded results (windows_wfp_backend_test.ts) and the FFI stays a thin layer of
 * encode-call-decode around windows/layouts/wfp_encode.ts and wfp_decode.ts.
 *
 * **Not yet run on Windows**: written against the documented signatures and the x64 layouts of
 * windows/layouts/wfp.ts, type-checked here only.
 *
 * @module
 */
import type { NativeMemory } from "../../windows/layouts/dns_cache_records.ts";
import {
  fwpActionMaskAll,
  fwpFilterEnumFullyContained,
  guidBytes,
  rpcCAuthnWinnt,
} from "../../windows/layouts/wfp.ts";
import { type DecodedFilter, decodeFilter } from "../../windows/layouts/wfp_decode.ts";
import {
  encodeFilter,
  encodeFilterEnumTemplate,
  encodeProvider,
  encodeSublayer,
  type WfpFilterRecord,
  type WfpProviderRecord,
  type WfpSublayerRecord,
} from "../../windows/layouts/wfp_encode.ts";

/** One open engine session (`FwpmEngineOpen0`); every method returns the API's result code. */
export interface WfpSession {
  transactionBegin(): number;
  transactionCommit(): number;
  transactionAbort(): number;
  addProvider(provider: WfpProviderRecord): number;
  addSublayer(sublayer: WfpSublayerRecord): number;
  addFilter(filter: WfpFilterRecord): { status: number; filterId?: bigint };
  /** One provider's filters at one layer (`FwpmFilterCreateEnumHandle0`/`Enum0`/`FreeMemory0`). */
  enumFilters(providerKey: string, layerKey: string): {
    status: number;
    filters: DecodedFilter[];
  };
  deleteFilterById(filterId: bigint): number;
  deleteSublayer(subLayerKey: string): number;
  deleteProvider(providerKey: string): number;
  /** `FwpmEngineClose0`. */
  close(): void;
}

/** Opens sessions with the Base Filtering Engine. */
export interface WfpApi {
  /** `FwpmEngineOpen0` with no session (objects are static: they outlive the process). */
  open(): { status: number; session?: WfpSession };
}

/** How many filters one `FwpmFilterEnum0` call asks for. */
export const filtersPerEnumCall = 256;
/** The most filters read from one layer (ours are a few dozen). */
export const maxEnumeratedFilters = 65_536;

const symbols = {
  FwpmEngineOpen0: {
    parameters: ["pointer", "u32", "pointer", "pointer", "buffer"],
    result: "u32",
  },
  FwpmEngineClose0: { parameters: ["pointer"], result: "u32" },
  FwpmTransactionBegin0: { parameters: ["pointer", "u32"], result: "u32" },
  FwpmTransactionCommit0: { parameters: ["pointer"], result: "u32" },
  FwpmTransactionAbort0: { parameters: ["pointer"], result: "u32" },
  FwpmProviderAdd0: { parameters: ["pointer", "buffer", "pointer"], result: "u32" },
  FwpmSubLayerAdd0: { parameters: ["pointer", "buffer", "pointer"], result: "u32" },
  FwpmFilterAdd0: { parameters: ["pointer", "buffer", "pointer", "buffer"], result: "u32" },
  FwpmFilterCreateEnumHandle0: { parameters: ["pointer", "buffer", "buffer"], result: "u32" },
  FwpmFilterEnum0: {
    parameters: ["pointer", "pointer", "u32", "buffer", "buffer"],
    result: "u32",
  },
  FwpmFilterDestroyEnumHandle0: { parameters: ["pointer", "pointer"], result: "u32" },
  FwpmFreeMemory0: { parameters: ["buffer"], result: "void" },
  FwpmFilterDeleteById0: { parameters: ["pointer", "u64"], result: "u32" },
  FwpmSubLayerDeleteByKey0: { parameters: ["pointer", "buffer"], result: "u32" },
  FwpmProviderDeleteByKey0: { parameters: ["pointer", "buffer"], result: "u32" },
} as const;

type Fwpuclnt = Deno.DynamicLibrary<typeof symbols>["symbols"];

/**
 * Encodes a structure into a buffer whose own address its pointers use: encoded once to learn
 * the size (it does not depend on the base), then again at the buffer's address.
 */
export function encodeAtOwnAddress(
  encode: (base: bigint) => Uint8Array,
): Uint8Array<ArrayBuffer> {
  const size = encode(0n).byteLength;
  const buffer = new Uint8Array(size);
  const base = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(buffer)));
  buffer.set(encode(base));
  return buffer;
}

/** Native memory the BFE returned, read through `Deno.UnsafePointerView`. */
export const ffiMemory: NativeMemory = {
  bytes(pointer, size) {
    const native = Deno.UnsafePointer.create(pointer);
    if (native === null) return undefined;
    return new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(native, size)).slice();
  },
  wideString(pointer, maxChars) {
    const native = Deno.UnsafePointer.create(pointer);
    if (native === null) return undefined;
    const view = new Deno.UnsafePointerView(native);
    let text = "";
    for (let index = 0; index < maxChars; index++) {
      const unit = view.getUint16(2 * index);
      if (unit === 0) break;
      text += String.fromCharCode(unit);
    }
    return text;
  },
};

function pointerAt(buffer: Uint8Array<ArrayBuffer>): Deno.PointerValue {
  return Deno.UnsafePointer.create(new BigUint64Array(buffer.buffer, 0, 1)[0]!);
}

class FfiSession implements WfpSession {
  constructor(readonly api: Fwpuclnt, readonly engine: Deno.PointerValue) {}

  transactionBegin(): number {
    return this.api.FwpmTransactionBegin0(this.engine, 0);
  }
  transactionCommit(): number {
    return this.api.FwpmTransactionCommit0(this.engine);
  }
  transactionAbort(): number {
    return this.api.FwpmTransactionAbort0(this.engine);
  }
  addProvider(provider: WfpProviderRecord): number {
    const bytes = encodeAtOwnAddress((base) => encodeProvider(provider, base));
    return this.api.FwpmProviderAdd0(this.engine, bytes, null);
  }
  addSublayer(sublayer: WfpSublayerRecord): number {
    const bytes = encodeAtOwnAddress((base) => encodeSublayer(sublayer, base));
    return this.api.FwpmSubLayerAdd0(this.engine, bytes, null);
  }
  addFilter(filter: WfpFilterRecord): { status: number; filterId?: bigint } {
    const bytes = encodeAtOwnAddress((base) => encodeFilter(filter, base));
    const id = new BigUint64Array(1);
    const status = this.api.FwpmFilterAdd0(this.engine, bytes, null, id);
    return status === 0 ? { status, filterId: id[0]! } : { status };
  }
  enumFilters(providerKey: string, layerKey: string): { status: number; filters: DecodedFilter[] } {
    const template = encodeAtOwnAddress((base) =>
      encodeFilterEnumTemplate(
        providerKey,
        layerKey,
        fwpFilterEnumFullyContained,
        fwpActionMaskAll,
        base,
      )
    );
    const handleOut = new Uint8Array(8);
    let status = this.api.FwpmFilterCreateEnumHandle0(this.engine, template, handleOut);
    if (status !== 0) return { status, filters: [] };
    const enumHandle = pointerAt(handleOut);
    const filters: DecodedFilter[] = [];
    try {
      while (filters.length < maxEnumeratedFilters) {
        const entriesOut = new Uint8Array(8);
        const countOut = new Uint32Array(1);
        status = this.api.FwpmFilterEnum0(
          this.engine,
          enumHandle,
          filtersPerEnumCall,
          entriesOut,
          countOut,
        );
        if (status !== 0) return { status, filters };
        const count = countOut[0]!;
        const array = new BigUint64Array(entriesOut.buffer)[0]!;
        try {
          if (count > 0) {
            const pointers = new BigUint64Array(ffiMemory.bytes(array, 8 * count)!.buffer);
            for (const pointer of pointers) filters.push(decodeFilter(ffiMemory, pointer));
          }
        } finally {
          if (array !== 0n) this.api.FwpmFreeMemory0(entriesOut);
        }
        if (count < filtersPerEnumCall) break;
      }
    } finally {
      this.api.FwpmFilterDestroyEnumHandle0(this.engine, enumHandle);
    }
    return { status: 0, filters };
  }
  deleteFilterById(filterId: bigint): number {
    return this.api.FwpmFilterDeleteById0(this.engine, filterId);
  }
  deleteSublayer(subLayerKey: string): number {
    return this.api.FwpmSubLayerDeleteByKey0(this.engine, guidBytes(subLayerKey));
  }
  deleteProvider(providerKey: string): number {
    return this.api.FwpmProviderDeleteByKey0(this.engine, guidBytes(providerKey));
  }
  close(): void {
    this.api.FwpmEngineClose0(this.engine);
  }
}

let library: Fwpuclnt | undefined;

/** The Base Filtering Engine through `fwpuclnt.dll`; opening fails off Windows. */
export function fwpuclntApi(): WfpApi {
  return {
    open() {
      library ??= Deno.dlopen("fwpuclnt.dll", symbols).symbols;
      const handleOut = new Uint8Array(8);
      const status = library.FwpmEngineOpen0(null, rpcCAuthnWinnt, null, null, handleOut);
      if (status !== 0) return { status };
      return { status, session: new FfiSession(library, pointerAt(handleOut)) };
    },
  };
}
