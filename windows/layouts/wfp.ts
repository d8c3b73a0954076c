/**
 * The byte layouts (x64) and constants of the Windows Filtering Platform structures the
 * isolation's WFP backend hands to `fwpuclnt.dll` and reads back from it: `FWPM_FILTER0`,
 * `FWPM_FILTER_CONDITION0`, `FWP_VALUE0` / `FWP_CONDITION_VALUE0`, `FWP_V4_ADDR_AND_MASK`,
 * `FWP_V6_ADDR_AND_MASK`, `FWPM_SUBLAYER0`, `FWPM_PROVIDER0`, `FWP_BYTE_BLOB`,
 * `FWPM_DISPLAY_DATA0`, `FWPM_ACTION0` and `FWPM_FILTER_ENUM_TEMPLATE0`. One definition of each
 * offset: the encoder and decoder (wfp_encode.ts, wfp_decode.ts), the FFI calls
 * (actions/isolation/wfp_api.ts) and the tests read them here.
 *
 * Values and GUIDs as fwpmtypes.h, fwptypes.h and fwpmu.h define them (checked against the
 * Windows SDK headers as published by windows-sys and the NtFuzz header set, 2026-12-07).
 * Offsets follow the C rules for x64 (pointers 8 bytes and 8-aligned, GUIDs 16 bytes and
 * 4-aligned, enums 4 bytes); they have not been checked against a live Windows yet.
 *
 * @module
 */

/** `GUID`: 16 bytes (Data1 u32 LE, Data2 u16 LE, Data3 u16 LE, Data4 8 bytes). */
export const guidSize = 16;

/** `FWP_BYTE_BLOB` (x64): a size, then a pointer to the bytes. */
export const fwpByteBlob = { size: 16, length: 0, data: 8 } as const;

/** `FWPM_DISPLAY_DATA0` (x64): two `wchar_t*`. */
export const fwpmDisplayData0 = { size: 16, name: 0, description: 8 } as const;

/** `FWP_VALUE0` and `FWP_CONDITION_VALUE0` (x64): the type, then an 8-byte union. */
export const fwpValue0 = { size: 16, type: 0, value: 8 } as const;

/** `FWP_V4_ADDR_AND_MASK`: address and mask, both host-order `UINT32`. */
export const fwpV4AddrAndMask = { size: 8, addr: 0, mask: 4 } as const;

/** `FWP_V6_ADDR_AND_MASK`: 16 address bytes (network order), then the prefix length. */
export const fwpV6AddrAndMask = { size: 17, addr: 0, prefixLength: 16 } as const;

/** `FWPM_FILTER_CONDITION0` (x64). */
export const fwpmFilterCondition0 = {
  size: 40,
  fieldKey: 0,
  matchType: 16,
  conditionValue: 24,
} as const;

/** `FWPM_ACTION0`: the type, then a GUID union (filterType / calloutKey); 4-aligned. */
export const fwpmAction0 = { size: 20, type: 0, key: 4 } as const;

/** `FWPM_PROVIDER0` (x64). */
export const fwpmProvider0 = {
  size: 64,
  providerKey: 0,
  displayData: 16,
  flags: 32,
  providerData: 40,
  serviceName: 56,
} as const;

/** `FWPM_SUBLAYER0` (x64). */
export const fwpmSublayer0 = {
  size: 72,
  subLayerKey: 0,
  displayData: 16,
  flags: 32,
  /** `GUID*`. */
  providerKey: 40,
  providerData: 48,
  /** `UINT16`. */
  weight: 64,
} as const;

/** `FWPM_FILTER0` (x64). */
export const fwpmFilter0 = {
  size: 200,
  filterKey: 0,
  displayData: 16,
  flags: 32,
  /** `GUID*`. */
  providerKey: 40,
  providerData: 48,
  layerKey: 64,
  subLayerKey: 80,
  /** `FWP_VALUE0`. */
  weight: 96,
  numFilterConditions: 112,
  /** `FWPM_FILTER_CONDITION0*`. */
  filterCondition: 120,
  action: 128,
  /** The `rawContext` / `providerContextKey` union (8-aligned after the 20-byte action). */
  providerContext: 152,
  /** `GUID*` reserved. */
  reserved: 168,
  /** `UINT64`, set by `FwpmFilterAdd0` and on enumeration. */
  filterId: 176,
  /** `FWP_VALUE0`. */
  effectiveWeight: 184,
} as const;

/** `FWPM_FILTER_ENUM_TEMPLATE0` (x64). */
export const fwpmFilterEnumTemplate0 = {
  size: 72,
  /** `GUID*`: only this provider's filters. */
  providerKey: 0,
  layerKey: 8,
  enumType: 24,
  flags: 28,
  providerContextTemplate: 32,
  numFilterConditions: 40,
  filterCondition: 48,
  actionMask: 56,
  calloutKey: 64,
} as const;

/** `FWP_DATA_TYPE` (fwptypes.h). */
export const FwpDataType = {
  empty: 0,
  uint8: 1,
  uint16: 2,
  uint32: 3,
  uint64: 4,
  byteArray16: 11,
  byteBlob: 12,
  v4AddrMask: 0x100,
  v6AddrMask: 0x101,
} as const;

/** `FWP_MATCH_TYPE` (fwptypes.h). */
export const FwpMatchType = {
  equal: 0,
  flagsAllSet: 6,
} as const;

/** `FWP_ACTION_TYPE` (fwptypes.h): the action bit or `FWP_ACTION_FLAG_TERMINATING` (0x1000). */
export const FwpActionType = {
  block: 0x1001,
  permit: 0x1002,
} as const;

/** `FWPM_FILTER_FLAG_*` (fwpmtypes.h): none used, so filters are static (not persistent). */
export const fwpmFilterFlagNone = 0;
/** `FWPM_FILTER_FLAG_PERSISTENT`: not used (a static filter dies with the BFE or a reboot). */
export const fwpmFilterFlagPersistent = 0x1;

/** `FWP_CONDITION_FLAG_IS_LOOPBACK` (fwptypes.h), matched on `FWPM_CONDITION_FLAGS`. */
export const fwpConditionFlagIsLoopback = 0x1;

/** `FWP_FILTER_ENUM_FULLY_CONTAINED` (fwpmtypes.h). */
export const fwpFilterEnumFullyContained = 0;
/** An enumeration template's `actionMask` that lets every action through. */
export const fwpActionMaskAll = 0xffffffff;

/** `RPC_C_AUTHN_WINNT`, the authentication service `FwpmEngineOpen0` is given. */
export const rpcCAuthnWinnt = 10;

/** Win32 / `FWP_E_*` results of the calls (winerror.h). */
export const WfpError = {
  success: 0,
  filterNotFound: 0x80320003,
  providerNotFound: 0x80320005,
  sublayerNotFound: 0x80320007,
  notFound: 0x80320008,
  alreadyExists: 0x80320009,
  inUse: 0x8032000a,
  accessDenied: 5,
} as const;

/** The `FWPM_LAYER_*` GUIDs the isolation filters at (fwpmu.h). */
export const wfpLayers = {
  ALE_AUTH_CONNECT_V4: "c38d57d1-05a7-4c33-904f-7fbceee60e82",
  ALE_AUTH_CONNECT_V6: "4a72393b-319f-44bc-84c3-ba54dcb3b6b4",
  ALE_AUTH_RECV_ACCEPT_V4: "e1cd9fe7-f4b5-4273-96c0-592e487b8650",
  ALE_AUTH_RECV_ACCEPT_V6: "a3b42c97-9f04-4672-b87e-cee9c483257f",
} as const;

/** A layer the isolation uses, by its fwpmu.h name without `FWPM_LAYER_`. */
export type WfpLayerName = keyof typeof wfpLayers;

/**
 * The `FWPM_CONDITION_*` GUIDs the filters match on (fwpmu.h). At the ALE layers the ICMP
 * type is carried in `FWPM_CONDITION_IP_LOCAL_PORT` (`#define FWPM_CONDITION_ICMP_TYPE
 * FWPM_CONDITION_IP_LOCAL_PORT`).
 */
export const wfpConditions = {
  FLAGS: "632ce23b-5167-435c-86d7-e903684aa80c",
  IP_PROTOCOL: "3971ef2b-623e-4f9a-8cb1-6e79b806b9a7",
  IP_REMOTE_ADDRESS: "b235ae9a-1d64-49b8-a44c-5ff3d9095045",
  IP_REMOTE_PORT: "c35a604d-d22b-4e1a-91b4-68f674ee674b",
  IP_LOCAL_PORT: "0c1ba1af-5765-453f-af22-a8f791ac775b",
} as const;

/** A condition field the isolation uses, by its fwpmu.h name without `FWPM_CONDITION_`. */
export type WfpConditionName = keyof typeof wfpConditions;

/** IP protocol numbers (`IPPROTO_*`) the filters name. */
export const ipProtocol = { tcp: 6, udp: 17, icmpv6: 58 } as const;

/** The bytes of a GUID written `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, in memory order. */
export function guidBytes(text: string): Uint8Array {
  const hex = text.replace(/-/g, "");
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a GUID: ${text}`);
  const bytes = new Uint8Array(guidSize);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, parseInt(hex.slice(0, 8), 16), true);
  view.setUint16(4, parseInt(hex.slice(8, 12), 16), true);
  view.setUint16(6, parseInt(hex.slice(12, 16), 16), true);
  for (let index = 0; index < 8; index++) {
    bytes[8 + index] = parseInt(hex.slice(16 + 2 * index, 18 + 2 * index), 16);
  }
  return bytes;
}

/** The text of a GUID from its 16 bytes in memory order (lower case). */
export function guidText(bytes: Uint8Array, offset = 0): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, guidSize);
  const hex = (value: number, digits: number) => value.toString(16).padStart(digits, "0");
  const tail = Array.from(bytes.subarray(offset + 8, offset + 16), (byte) => hex(byte, 2)).join(
    "",
  );
  return [
    hex(view.getUint32(0, true), 8),
    hex(view.getUint16(4, true), 4),
    hex(view.getUint16(6, true), 4),
    tail.slice(0, 4),
    tail.slice(4),
  ].join("-");
}
