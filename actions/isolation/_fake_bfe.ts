/**
 * A fake Base Filtering Engine behind {@linkcode WfpApi} for the WFP backend's tests: it keeps
 * providers, sublayers and filters, honours transactions (abort restores the snapshot), returns
 * the `FWP_E_*` codes the real one documents, records every call, and can be told to fail a
 * given call. Filters cross the boundary as bytes: each added record is encoded with
 * windows/layouts/wfp_encode.ts and enumeration decodes them with wfp_decode.ts, as the FFI does.
 * A test helper.
 *
 * @module
 */
import { WfpError } from "../../windows/layouts/wfp.ts";
import { decodeFilter } from "../../windows/layouts/wfp_decode.ts";
import { encodeFilter } from "../../windows/layouts/wfp_encode.ts";
import { BlockMemory } from "../../windows/layouts/_wfp_memory.ts";
import type { WfpApi, WfpSession } from "./wfp_api.ts";

interface State {
  providers: Set<string>;
  sublayers: Set<string>;
  filters: Map<bigint, Uint8Array>;
}

/** The fake engine; `failures` maps a call (`FwpmFilterAdd0#3`, `FwpmEngineOpen0`) to a code. */
export class FakeBfe implements WfpApi {
  state: State = { providers: new Set(), sublayers: new Set(), filters: new Map() };
  readonly calls: string[] = [];
  readonly failures = new Map<string, number>();
  #counts = new Map<string, number>();
  #nextId = 1000n;
  #snapshot: State | undefined;

  #call(name: string): number | undefined {
    const count = (this.#counts.get(name) ?? 0) + 1;
    this.#counts.set(name, count);
    this.calls.push(name);
    return this.failures.get(`${name}#${count}`) ?? this.failures.get(name);
  }

  /** The filters now in place, decoded. */
  filters() {
    return [...this.state.filters.entries()].map(([id, bytes]) => decodeStored(id, bytes));
  }

  open(): { status: number; session?: WfpSession } {
    const failure = this.#call("FwpmEngineOpen0");
    if (failure !== undefined) return { status: failure };
    const copy = (state: State): State => ({
      providers: new Set(state.providers),
      sublayers: new Set(state.sublayers),
      filters: new Map(state.filters),
    });
    const session: WfpSession = {
      transactionBegin: () => {
        const failure = this.#call("FwpmTransactionBegin0");
        if (failure !== undefined) return failure;
        this.#snapshot = copy(this.state);
        return 0;
      },
      transactionCommit: () => {
        const failure = this.#call("FwpmTransactionCommit0");
        if (failure !== undefined) {
          this.state = this.#snapshot!;
          this.#snapshot = undefined;
          return failure;
        }
        this.#snapshot = undefined;
        return 0;
      },
      transactionAbort: () => {
        this.#call("FwpmTransactionAbort0");
        if (this.#snapshot !== undefined) this.state = this.#snapshot;
        this.#snapshot = undefined;
        return 0;
      },
      addProvider: (provider) => {
        const failure = this.#call("FwpmProviderAdd0");
        if (failure !== undefined) return failure;
        if (this.state.providers.has(provider.providerKey)) return WfpError.alreadyExists;
        this.state.providers.add(provider.providerKey);
        return 0;
      },
      addSublayer: (sublayer) => {
        const failure = this.#call("FwpmSubLayerAdd0");
        if (failure !== undefined) return failure;
        if (this.state.sublayers.has(sublayer.subLayerKey)) return WfpError.alreadyExists;
        if (sublayer.providerKey && !this.state.providers.has(sublayer.providerKey)) {
          return WfpError.providerNotFound;
        }
        this.state.sublayers.add(sublayer.subLayerKey);
        return 0;
      },
      addFilter: (filter) => {
        const failure = this.#call("FwpmFilterAdd0");
        if (failure !== undefined) return { status: failure };
        if (!this.state.sublayers.has(filter.subLayerKey)) {
          return { status: WfpError.sublayerNotFound };
        }
        const id = this.#nextId++;
        const bytes = encodeFilter(filter, 0x10000n);
        new DataView(bytes.buffer).setBigUint64(176, id, true);
        this.state.filters.set(id, bytes);
        return { status: 0, filterId: id };
      },
      enumFilters: (providerKey, layerKey) => {
        const failure = this.#call("FwpmFilterEnum0");
        if (failure !== undefined) return { status: failure, filters: [] };
        return {
          status: 0,
          filters: this.filters().filter((f) =>
            f.providerKey === providerKey && f.layerKey === layerKey
          ),
        };
      },
      deleteFilterById: (id) => {
        const failure = this.#call("FwpmFilterDeleteById0");
        if (failure !== undefined) return failure;
        return this.state.filters.delete(id) ? 0 : WfpError.filterNotFound;
      },
      deleteSublayer: (key) => {
        const failure = this.#call("FwpmSubLayerDeleteByKey0");
        if (failure !== undefined) return failure;
        return this.state.sublayers.delete(key) ? 0 : WfpError.sublayerNotFound;
      },
      deleteProvider: (key) => {
        const failure = this.#call("FwpmProviderDeleteByKey0");
        if (failure !== undefined) return failure;
        return this.state.providers.delete(key) ? 0 : WfpError.providerNotFound;
      },
      close: () => {
        this.#call("FwpmEngineClose0");
      },
    };
    return { status: 0, session };
  }
}

function decodeStored(_id: bigint, bytes: Uint8Array) {
  const memory = new BlockMemory();
  memory.place(0x10000n, bytes);
  return decodeFilter(memory, 0x10000n);
}
