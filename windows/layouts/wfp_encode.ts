/**
 * Encodes the WFP structures the isolation adds (`FWPM_PROVIDER0`, `FWPM_SUBLAYER0`,
 * `FWPM_FILTER0` with its conditions, `FWPM_FILTER_ENUM_TEMPLATE0`) into one block of bytes
 * each, laid out by wfp.ts: the structure first, then everything it points to (conditions,
 * address-and-mask values, GUIDs, UTF-16 names, blob bytes), with every pointer written as
 * `base` + its offset in the block. The FFI caller allocates the block, learns its address and
 * encodes again with that base; tests encode at a made-up base and decode the bytes back
 * (wfp_decode.ts). Pure: no FFI here.
 *
 * @module
 */
import {
  fwpByteBlob,
  FwpDataType,
  fwpmAction0,
  fwpmDisplayData0,
  fwpmFilter0,
  fwpmFilterCondition0,
  fwpmFilterEnumTemplate0,
  fwpmProvider0,
  fwpmSublayer0,
  fwpV4AddrAndMask,
  fwpV6AddrAndMask,
  fwpValue0,
  guidBytes,
} from "./wfp.ts";

/** The value of one filter condition (`FWP_CONDITION_VALUE0`), as the isolation uses them. */
export type WfpConditionValue =
  | { readonly type: "uint8" | "uint16" | "uint32"; readonly value: number }
  /** `FWP_V4_ADDR_AND_MASK`: host-order address and mask. */
  | { readonly type: "v4AddrMask"; readonly address: number; readonly mask: number }
  /** `FWP_V6_ADDR_AND_MASK`: 16 address bytes and a prefix length. */
  | {
    readonly type: "v6AddrMask";
    readonly address: Uint8Array;
    readonly prefixLength: number;
  };

/** One `FWPM_FILTER_CONDITION0`. */
export interface WfpConditionRecord {
  /** The field's GUID (wfp.ts `wfpConditions`). */
  readonly fieldKey: string;
  /** `FWP_MATCH_TYPE`. */
  readonly matchType: number;
  readonly value: WfpConditionValue;
}

/** The fields of an `FWPM_FILTER0` the isolation sets or reads. */
export interface WfpFilterRecord {
  /** Zero (the BFE assigns one) unless given. */
  readonly filterKey?: string;
  readonly name: string;
  readonly description?: string;
  readonly flags: number;
  readonly providerKey?: string;
  readonly providerData?: Uint8Array;
  readonly layerKey: string;
  readonly subLayerKey: string;
  /** `FWP_UINT8` weight (0–15). */
  readonly weight: number;
  /** `FWP_ACTION_TYPE`. */
  readonly action: number;
  readonly conditions: readonly WfpConditionRecord[];
  /** Set by the BFE (enumeration). */
  readonly filterId?: bigint;
}

/** The fields of an `FWPM_PROVIDER0`. */
export interface WfpProviderRecord {
  readonly providerKey: string;
  readonly name: string;
  readonly description?: string;
  readonly flags: number;
  readonly providerData?: Uint8Array;
}

/** The fields of an `FWPM_SUBLAYER0`. */
export interface WfpSublayerRecord {
  readonly subLayerKey: string;
  readonly name: string;
  readonly description?: string;
  readonly flags: number;
  readonly providerKey?: string;
  /** `UINT16`: higher is evaluated first. */
  readonly weight: number;
}

/** Sizes of the pointed-to data of each condition value type (8-aligned in the block). */
const valueDataTypes: Readonly<Record<WfpConditionValue["type"], number>> = {
  uint8: FwpDataType.uint8,
  uint16: FwpDataType.uint16,
  uint32: FwpDataType.uint32,
  v4AddrMask: FwpDataType.v4AddrMask,
  v6AddrMask: FwpDataType.v6AddrMask,
};

/** A block under construction: a fixed head, then appended, 8-aligned tails. */
class Block {
  readonly #parts: Uint8Array[] = [];
  #length: number;

  constructor(readonly head: Uint8Array, readonly base: bigint) {
    this.#parts.push(head);
    this.#length = head.byteLength;
  }

  /** Appends bytes (8-aligned); returns their address. */
  append(bytes: Uint8Array): bigint {
    const padding = (8 - (this.#length % 8)) % 8;
    if (padding > 0) this.#parts.push(new Uint8Array(padding));
    this.#length += padding;
    const at = this.base + BigInt(this.#length);
    this.#parts.push(bytes);
    this.#length += bytes.byteLength;
    return at;
  }

  /** Appends a NUL-terminated UTF-16LE string; returns its address. */
  wide(text: string): bigint {
    const bytes = new Uint8Array(2 * (text.length + 1));
    const view = new DataView(bytes.buffer);
    for (let index = 0; index < text.length; index++) {
      view.setUint16(2 * index, text.charCodeAt(index), true);
    }
    return this.append(bytes);
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (const part of this.#parts) {
      out.set(part, at);
      at += part.byteLength;
    }
    return out;
  }
}

function writeDisplayData(
  view: DataView,
  offset: number,
  block: Block,
  name: string,
  description?: string,
): void {
  view.setBigUint64(offset + fwpmDisplayData0.name, block.wide(name), true);
  view.setBigUint64(
    offset + fwpmDisplayData0.description,
    description === undefined ? 0n : block.wide(description),
    true,
  );
}

function writeBlob(view: DataView, offset: number, block: Block, data?: Uint8Array): void {
  if (data === undefined || data.byteLength === 0) return;
  view.setUint32(offset + fwpByteBlob.length, data.byteLength, true);
  view.setBigUint64(offset + fwpByteBlob.data, block.append(data.slice()), true);
}

/** Writes one `FWP_CONDITION_VALUE0` at `offset`; pointed-to data goes into the block. */
function writeConditionValue(
  view: DataView,
  offset: number,
  block: Block,
  value: WfpConditionValue,
): void {
  view.setUint32(offset + fwpValue0.type, valueDataTypes[value.type], true);
  const at = offset + fwpValue0.value;
  switch (value.type) {
    case "uint8":
      view.setUint8(at, value.value);
      return;
    case "uint16":
      view.setUint16(at, value.value, true);
      return;
    case "uint32":
      view.setUint32(at, value.value >>> 0, true);
      return;
    case "v4AddrMask": {
      const data = new Uint8Array(fwpV4AddrAndMask.size);
      const dataView = new DataView(data.buffer);
      dataView.setUint32(fwpV4AddrAndMask.addr, value.address >>> 0, true);
      dataView.setUint32(fwpV4AddrAndMask.mask, value.mask >>> 0, true);
      view.setBigUint64(at, block.append(data), true);
      return;
    }
    case "v6AddrMask": {
      if (value.address.byteLength !== 16) throw new Error("an IPv6 address has 16 bytes");
      const data = new Uint8Array(fwpV6AddrAndMask.size);
      data.set(value.address, fwpV6AddrAndMask.addr);
      data[fwpV6AddrAndMask.prefixLength] = value.prefixLength;
      view.setBigUint64(at, block.append(data), true);
      return;
    }
  }
}

/**
 * One `FWPM_FILTER0` with its conditions, names and GUIDs, pointers relative to `base`.
 *
 * @example
 * ```ts
 * import { encodeFilter } from "./wfp_encode.ts";
 * import { FwpActionType, wfpLayers } from "./wfp.ts";
 * const bytes = encodeFilter({
 *   name: "block", flags: 0, layerKey: wfpLayers.ALE_AUTH_CONNECT_V4,
 *   subLayerKey: "0f039359-917b-4806-b6d9-35ded98cb24b", weight: 0,
 *   action: FwpActionType.block, conditions: [],
 * }, 0x10000n);
 * console.log(bytes.byteLength > 200); // true
 * ```
 */
export function encodeFilter(filter: WfpFilterRecord, base: bigint): Uint8Array {
  const head = new Uint8Array(fwpmFilter0.size);
  const view = new DataView(head.buffer);
  const block = new Block(head, base);
  if (filter.filterKey !== undefined) head.set(guidBytes(filter.filterKey), fwpmFilter0.filterKey);
  writeDisplayData(view, fwpmFilter0.displayData, block, filter.name, filter.description);
  view.setUint32(fwpmFilter0.flags, filter.flags, true);
  if (filter.providerKey !== undefined) {
    view.setBigUint64(fwpmFilter0.providerKey, block.append(guidBytes(filter.providerKey)), true);
  }
  writeBlob(view, fwpmFilter0.providerData, block, filter.providerData);
  head.set(guidBytes(filter.layerKey), fwpmFilter0.layerKey);
  head.set(guidBytes(filter.subLayerKey), fwpmFilter0.subLayerKey);
  view.setUint32(fwpmFilter0.weight + fwpValue0.type, FwpDataType.uint8, true);
  view.setUint8(fwpmFilter0.weight + fwpValue0.value, filter.weight);
  view.setUint32(fwpmFilter0.numFilterConditions, filter.conditions.length, true);
  view.setUint32(fwpmFilter0.action + fwpmAction0.type, filter.action, true);
  if (filter.conditions.length > 0) {
    const conditions = new Uint8Array(fwpmFilterCondition0.size * filter.conditions.length);
    const address = block.append(conditions);
    const conditionView = new DataView(conditions.buffer);
    filter.conditions.forEach((condition, index) => {
      const at = index * fwpmFilterCondition0.size;
      conditions.set(guidBytes(condition.fieldKey), at + fwpmFilterCondition0.fieldKey);
      conditionView.setUint32(at + fwpmFilterCondition0.matchType, condition.matchType, true);
      writeConditionValue(
        conditionView,
        at + fwpmFilterCondition0.conditionValue,
        block,
        condition.value,
      );
    });
    view.setBigUint64(fwpmFilter0.filterCondition, address, true);
  }
  return block.bytes();
}

/** One `FWPM_PROVIDER0` with its names and data, pointers relative to `base`. */
export function encodeProvider(provider: WfpProviderRecord, base: bigint): Uint8Array {
  const head = new Uint8Array(fwpmProvider0.size);
  const view = new DataView(head.buffer);
  const block = new Block(head, base);
  head.set(guidBytes(provider.providerKey), fwpmProvider0.providerKey);
  writeDisplayData(view, fwpmProvider0.displayData, block, provider.name, provider.description);
  view.setUint32(fwpmProvider0.flags, provider.flags, true);
  writeBlob(view, fwpmProvider0.providerData, block, provider.providerData);
  return block.bytes();
}

/** One `FWPM_SUBLAYER0` with its names and provider GUID, pointers relative to `base`. */
export function encodeSublayer(sublayer: WfpSublayerRecord, base: bigint): Uint8Array {
  const head = new Uint8Array(fwpmSublayer0.size);
  const view = new DataView(head.buffer);
  const block = new Block(head, base);
  head.set(guidBytes(sublayer.subLayerKey), fwpmSublayer0.subLayerKey);
  writeDisplayData(view, fwpmSublayer0.displayData, block, sublayer.name, sublayer.description);
  view.setUint32(fwpmSublayer0.flags, sublayer.flags, true);
  if (sublayer.providerKey !== undefined) {
    view.setBigUint64(
      fwpmSublayer0.providerKey,
      block.append(guidBytes(sublayer.providerKey)),
      true,
    );
  }
  view.setUint16(fwpmSublayer0.weight, sublayer.weight, true);
  return block.bytes();
}

/**
 * An `FWPM_FILTER_ENUM_TEMPLATE0` that lists one provider's filters at one layer, every action,
 * pointers relative to `base`.
 */
export function encodeFilterEnumTemplate(
  providerKey: string,
  layerKey: string,
  enumType: number,
  actionMask: number,
  base: bigint,
): Uint8Array {
  const head = new Uint8Array(fwpmFilterEnumTemplate0.size);
  const view = new DataView(head.buffer);
  const block = new Block(head, base);
  view.setBigUint64(
    fwpmFilterEnumTemplate0.providerKey,
    block.append(guidBytes(providerKey)),
    true,
  );
  head.set(guidBytes(layerKey), fwpmFilterEnumTemplate0.layerKey);
  view.setUint32(fwpmFilterEnumTemplate0.enumType, enumType, true);
  view.setUint32(fwpmFilterEnumTemplate0.actionMask, actionMask >>> 0, true);
  return block.bytes();
}
