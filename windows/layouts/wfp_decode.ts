/**
 * Decodes WFP structures from native memory (the filters `FwpmFilterEnum0` returns, or a block
 * wfp_encode.ts built), following their pointers through {@linkcode NativeMemory}: the FFI reads
 * the BFE's memory, tests read a fake one. Pure.
 *
 * @module
 */
import type { NativeMemory } from "./dns_cache_records.ts";
import {
  fwpByteBlob,
  FwpDataType,
  fwpmAction0,
  fwpmDisplayData0,
  fwpmFilter0,
  fwpmFilterCondition0,
  fwpmSublayer0,
  fwpV4AddrAndMask,
  fwpV6AddrAndMask,
  fwpValue0,
  guidSize,
  guidText,
} from "./wfp.ts";
import type { WfpConditionValue, WfpFilterRecord, WfpSublayerRecord } from "./wfp_encode.ts";

/** A condition value the isolation never writes: its `FWP_DATA_TYPE` only. */
export interface OtherConditionValue {
  readonly type: "other";
  readonly dataType: number;
}

/** A decoded `FWPM_FILTER_CONDITION0`. */
export interface DecodedCondition {
  readonly fieldKey: string;
  readonly matchType: number;
  readonly value: WfpConditionValue | OtherConditionValue;
}

/** A decoded `FWPM_FILTER0`. */
export interface DecodedFilter extends Omit<WfpFilterRecord, "conditions" | "weight"> {
  readonly conditions: readonly DecodedCondition[];
  /** The weight when it is an `FWP_UINT8`; undefined for other weight types. */
  readonly weight?: number;
  readonly filterId: bigint;
}

/** The most conditions a decoded filter may claim (ours have a handful). */
export const maxDecodedConditions = 256;
/** The longest display name read. */
export const maxDisplayChars = 1024;
/** The largest provider data read. */
export const maxProviderDataBytes = 64 * 1024;

function need(memory: NativeMemory, pointer: bigint, size: number, what: string): Uint8Array {
  const bytes = memory.bytes(pointer, size);
  if (bytes === undefined) throw new Error(`${what}: null pointer`);
  return bytes;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function readBlob(memory: NativeMemory, view: DataView, offset: number): Uint8Array | undefined {
  const length = view.getUint32(offset + fwpByteBlob.length, true);
  const data = view.getBigUint64(offset + fwpByteBlob.data, true);
  if (length === 0 || data === 0n) return undefined;
  if (length > maxProviderDataBytes) {
    throw new Error(`provider data of ${length} bytes, more than ${maxProviderDataBytes}`);
  }
  return need(memory, data, length, "provider data");
}

function readConditionValue(
  memory: NativeMemory,
  view: DataView,
  offset: number,
): WfpConditionValue | OtherConditionValue {
  const dataType = view.getUint32(offset + fwpValue0.type, true);
  const at = offset + fwpValue0.value;
  switch (dataType) {
    case FwpDataType.uint8:
      return { type: "uint8", value: view.getUint8(at) };
    case FwpDataType.uint16:
      return { type: "uint16", value: view.getUint16(at, true) };
    case FwpDataType.uint32:
      return { type: "uint32", value: view.getUint32(at, true) };
    case FwpDataType.v4AddrMask: {
      const data = viewOf(
        need(memory, view.getBigUint64(at, true), fwpV4AddrAndMask.size, "FWP_V4_ADDR_AND_MASK"),
      );
      return {
        type: "v4AddrMask",
        address: data.getUint32(fwpV4AddrAndMask.addr, true),
        mask: data.getUint32(fwpV4AddrAndMask.mask, true),
      };
    }
    case FwpDataType.v6AddrMask: {
      const data = need(
        memory,
        view.getBigUint64(at, true),
        fwpV6AddrAndMask.size,
        "FWP_V6_ADDR_AND_MASK",
      );
      return {
        type: "v6AddrMask",
        address: data.slice(fwpV6AddrAndMask.addr, fwpV6AddrAndMask.addr + 16),
        prefixLength: data[fwpV6AddrAndMask.prefixLength]!,
      };
    }
    default:
      return { type: "other", dataType };
  }
}

function optionalGuid(memory: NativeMemory, pointer: bigint): string | undefined {
  if (pointer === 0n) return undefined;
  return guidText(need(memory, pointer, guidSize, "GUID"));
}

/** The record without its undefined fields (exact optional properties). */
function compact<T>(record: Record<string, unknown>): T {
  for (const key of Object.keys(record)) {
    if (record[key] === undefined) delete record[key];
  }
  return record as T;
}

/** Decodes the `FWPM_FILTER0` at `pointer` with everything it points to. */
export function decodeFilter(memory: NativeMemory, pointer: bigint): DecodedFilter {
  const head = need(memory, pointer, fwpmFilter0.size, "FWPM_FILTER0");
  const view = viewOf(head);
  const count = view.getUint32(fwpmFilter0.numFilterConditions, true);
  if (count > maxDecodedConditions) {
    throw new Error(`a filter with ${count} conditions, more than ${maxDecodedConditions}`);
  }
  const conditions: DecodedCondition[] = [];
  if (count > 0) {
    const array = need(
      memory,
      view.getBigUint64(fwpmFilter0.filterCondition, true),
      count * fwpmFilterCondition0.size,
      "FWPM_FILTER_CONDITION0[]",
    );
    const arrayView = viewOf(array);
    for (let index = 0; index < count; index++) {
      const at = index * fwpmFilterCondition0.size;
      conditions.push({
        fieldKey: guidText(array, at + fwpmFilterCondition0.fieldKey),
        matchType: arrayView.getUint32(at + fwpmFilterCondition0.matchType, true),
        value: readConditionValue(memory, arrayView, at + fwpmFilterCondition0.conditionValue),
      });
    }
  }
  const filterKey = guidText(head, fwpmFilter0.filterKey);
  const weightType = view.getUint32(fwpmFilter0.weight + fwpValue0.type, true);
  return compact<DecodedFilter>({
    filterKey,
    name: memory.wideString(
      view.getBigUint64(fwpmFilter0.displayData + fwpmDisplayData0.name, true),
      maxDisplayChars,
    ) ?? "",
    description: memory.wideString(
      view.getBigUint64(fwpmFilter0.displayData + fwpmDisplayData0.description, true),
      maxDisplayChars,
    ),
    flags: view.getUint32(fwpmFilter0.flags, true),
    providerKey: optionalGuid(memory, view.getBigUint64(fwpmFilter0.providerKey, true)),
    providerData: readBlob(memory, view, fwpmFilter0.providerData),
    layerKey: guidText(head, fwpmFilter0.layerKey),
    subLayerKey: guidText(head, fwpmFilter0.subLayerKey),
    weight: weightType === FwpDataType.uint8
      ? view.getUint8(fwpmFilter0.weight + fwpValue0.value)
      : undefined,
    action: view.getUint32(fwpmFilter0.action + fwpmAction0.type, true),
    conditions,
    filterId: view.getBigUint64(fwpmFilter0.filterId, true),
  });
}

/** Decodes the `FWPM_SUBLAYER0` at `pointer`. */
export function decodeSublayer(memory: NativeMemory, pointer: bigint): WfpSublayerRecord {
  const head = need(memory, pointer, fwpmSublayer0.size, "FWPM_SUBLAYER0");
  const view = viewOf(head);
  return compact<WfpSublayerRecord>({
    subLayerKey: guidText(head, fwpmSublayer0.subLayerKey),
    name: memory.wideString(
      view.getBigUint64(fwpmSublayer0.displayData + fwpmDisplayData0.name, true),
      maxDisplayChars,
    ) ?? "",
    description: memory.wideString(
      view.getBigUint64(fwpmSublayer0.displayData + fwpmDisplayData0.description, true),
      maxDisplayChars,
    ),
    flags: view.getUint32(fwpmSublayer0.flags, true),
    providerKey: optionalGuid(memory, view.getBigUint64(fwpmSublayer0.providerKey, true)),
    weight: view.getUint16(fwpmSublayer0.weight, true),
  });
}
