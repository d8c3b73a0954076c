import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import {
  FwpActionType,
  FwpDataType,
  fwpmAction0,
  FwpMatchType,
  fwpmDisplayData0,
  fwpmFilter0,
  fwpmFilterCondition0,
  fwpmFilterEnumTemplate0,
  fwpmProvider0,
  fwpmSublayer0,
  fwpValue0,
  guidBytes,
  guidText,
  wfpConditions,
  wfpLayers,
} from "./wfp.ts";
import {
  encodeFilter,
  encodeFilterEnumTemplate,
  encodeProvider,
  encodeSublayer,
  type WfpFilterRecord,
} from "./wfp_encode.ts";
import { decodeFilter, decodeSublayer } from "./wfp_decode.ts";
import { BlockMemory } from "./_wfp_memory.ts";

/** C layout rules for x64: each field aligned to its own alignment, the struct to the largest. */
function layout(fields: readonly [string, number, number][]): Record<string, number> {
  const offsets: Record<string, number> = {};
  let at = 0;
  let largest = 1;
  for (const [name, size, align] of fields) {
    at = Math.ceil(at / align) * align;
    offsets[name] = at;
    at += size;
    largest = Math.max(largest, align);
  }
  offsets.size = Math.ceil(at / largest) * largest;
  return offsets;
}

const pointer = [8, 8] as const;
const guid = [16, 4] as const;
const u32 = [4, 4] as const;
const blob = [16, 8] as const;
const display = [16, 8] as const;
const value = [16, 8] as const;

Deno.test("wfp layouts: offsets follow the x64 C rules for every structure", () => {
  const filter = layout([
    ["filterKey", ...guid],
    ["displayData", ...display],
    ["flags", ...u32],
    ["providerKey", ...pointer],
    ["providerData", ...blob],
    ["layerKey", ...guid],
    ["subLayerKey", ...guid],
    ["weight", ...value],
    ["numFilterConditions", ...u32],
    ["filterCondition", ...pointer],
    ["action", fwpmAction0.size, 4],
    ["providerContext", 16, 8],
    ["reserved", ...pointer],
    ["filterId", 8, 8],
    ["effectiveWeight", ...value],
  ]);
  deepStrictEqual(filter, { ...fwpmFilter0 });
  deepStrictEqual(
    layout([["fieldKey", ...guid], ["matchType", ...u32], ["conditionValue", ...value]]),
    { ...fwpmFilterCondition0 },
  );
  deepStrictEqual(
    layout([
      ["providerKey", ...guid],
      ["displayData", ...display],
      ["flags", ...u32],
      ["providerData", ...blob],
      ["serviceName", ...pointer],
    ]),
    { ...fwpmProvider0 },
  );
  deepStrictEqual(
    layout([
      ["subLayerKey", ...guid],
      ["displayData", ...display],
      ["flags", ...u32],
      ["providerKey", ...pointer],
      ["providerData", ...blob],
      ["weight", 2, 2],
    ]),
    { ...fwpmSublayer0 },
  );
  deepStrictEqual(
    layout([
      ["providerKey", ...pointer],
      ["layerKey", ...guid],
      ["enumType", ...u32],
      ["flags", ...u32],
      ["providerContextTemplate", ...pointer],
      ["numFilterConditions", ...u32],
      ["filterCondition", ...pointer],
      ["actionMask", ...u32],
      ["calloutKey", ...pointer],
    ]),
    { ...fwpmFilterEnumTemplate0 },
  );
  deepStrictEqual(layout([["type", ...u32], ["key", ...guid]]), { ...fwpmAction0 });
});

Deno.test("guidBytes: Data1-3 little-endian, Data4 as written; guidText reads it back", () => {
  const bytes = guidBytes(wfpLayers.ALE_AUTH_CONNECT_V4);
  deepStrictEqual(
    Array.from(bytes),
    [
      0xd1,
      0x57,
      0x8d,
      0xc3,
      0xa7,
      0x05,
      0x33,
      0x4c,
      0x90,
      0x4f,
      0x7f,
      0xbc,
      0xee,
      0xe6,
      0x0e,
      0x82,
    ],
  );
  strictEqual(guidText(bytes), wfpLayers.ALE_AUTH_CONNECT_V4);
  throws(() => guidBytes("not-a-guid"), /not a GUID/);
});

const base = 0x7f0000010000n;
const provider = "471a71d8-c914-4af9-bf06-87f530a7c9d9";
const sublayer = "0f039359-917b-4806-b6d9-35ded98cb24b";

const sample: WfpFilterRecord = {
  name: "iocscan isolation: permit 10.0.0.0/8 tcp/443",
  description: "management",
  flags: 0,
  providerKey: provider,
  providerData: new TextEncoder().encode('{"id":"iso-1"}'),
  layerKey: wfpLayers.ALE_AUTH_CONNECT_V4,
  subLayerKey: sublayer,
  weight: 15,
  action: FwpActionType.permit,
  conditions: [
    {
      fieldKey: wfpConditions.IP_REMOTE_ADDRESS,
      matchType: FwpMatchType.equal,
      value: { type: "v4AddrMask", address: 0x0a000000, mask: 0xff000000 },
    },
    {
      fieldKey: wfpConditions.IP_REMOTE_PORT,
      matchType: FwpMatchType.equal,
      value: { type: "uint16", value: 443 },
    },
    {
      fieldKey: wfpConditions.IP_PROTOCOL,
      matchType: FwpMatchType.equal,
      value: { type: "uint8", value: 6 },
    },
    {
      fieldKey: wfpConditions.FLAGS,
      matchType: FwpMatchType.flagsAllSet,
      value: { type: "uint32", value: 1 },
    },
  ],
};

Deno.test("encodeFilter: the FWPM_FILTER0 head holds the fields at their offsets", () => {
  const bytes = encodeFilter(sample, base);
  const view = new DataView(bytes.buffer);
  strictEqual(guidText(bytes, fwpmFilter0.layerKey), wfpLayers.ALE_AUTH_CONNECT_V4);
  strictEqual(guidText(bytes, fwpmFilter0.subLayerKey), sublayer);
  strictEqual(view.getUint32(fwpmFilter0.weight + fwpValue0.type, true), FwpDataType.uint8);
  strictEqual(view.getUint8(fwpmFilter0.weight + fwpValue0.value), 15);
  strictEqual(view.getUint32(fwpmFilter0.numFilterConditions, true), 4);
  strictEqual(view.getUint32(fwpmFilter0.action, true), 0x1002);
  strictEqual(view.getBigUint64(fwpmFilter0.filterId, true), 0n);
  // Every pointer lands inside the block, 8-aligned.
  for (
    const at of [
      fwpmFilter0.displayData + fwpmDisplayData0.name,
      fwpmFilter0.displayData + fwpmDisplayData0.description,
      fwpmFilter0.providerKey,
      fwpmFilter0.providerData + 8,
      fwpmFilter0.filterCondition,
    ]
  ) {
    const target = view.getBigUint64(at, true);
    strictEqual(target >= base + BigInt(fwpmFilter0.size), true);
    strictEqual(target < base + BigInt(bytes.byteLength), true);
    strictEqual(target % 8n, 0n);
  }
  strictEqual(view.getUint32(fwpmFilter0.providerData, true), 14);
  // The first condition: the remote address as an FWP_V4_ADDR_AND_MASK pointer.
  const conditions = Number(view.getBigUint64(fwpmFilter0.filterCondition, true) - base);
  strictEqual(guidText(bytes, conditions), wfpConditions.IP_REMOTE_ADDRESS);
  strictEqual(view.getUint32(conditions + fwpmFilterCondition0.conditionValue, true), 0x100);
  const mask = Number(
    view.getBigUint64(conditions + fwpmFilterCondition0.conditionValue + 8, true) - base,
  );
  strictEqual(view.getUint32(mask, true), 0x0a000000);
  strictEqual(view.getUint32(mask + 4, true), 0xff000000);
  // The port, inline in the union.
  const second = conditions + fwpmFilterCondition0.size;
  strictEqual(view.getUint32(second + fwpmFilterCondition0.conditionValue, true), 2);
  strictEqual(view.getUint16(second + fwpmFilterCondition0.conditionValue + 8, true), 443);
});

Deno.test("decodeFilter: reads back what encodeFilter wrote, v4 and v6 masks", () => {
  const v6: WfpFilterRecord = {
    ...sample,
    layerKey: wfpLayers.ALE_AUTH_RECV_ACCEPT_V6,
    action: FwpActionType.block,
    weight: 0,
    conditions: [{
      fieldKey: wfpConditions.IP_REMOTE_ADDRESS,
      matchType: FwpMatchType.equal,
      value: {
        type: "v6AddrMask",
        address: Uint8Array.from([0xfd, 0, ...new Array(13).fill(0), 1]),
        prefixLength: 64,
      },
    }],
  };
  for (const record of [sample, v6]) {
    const memory = new BlockMemory();
    memory.place(base, encodeFilter(record, base));
    const decoded = decodeFilter(memory, base);
    strictEqual(decoded.filterId, 0n);
    strictEqual(decoded.filterKey, "00000000-0000-0000-0000-000000000000");
    const { filterId: _id, filterKey: _key, ...rest } = decoded;
    deepStrictEqual(rest, record);
  }
});

Deno.test("decodeFilter: refuses a filter claiming more conditions than the cap", () => {
  const bytes = encodeFilter(sample, base);
  new DataView(bytes.buffer).setUint32(fwpmFilter0.numFilterConditions, 100_000, true);
  const memory = new BlockMemory();
  memory.place(base, bytes);
  throws(() => decodeFilter(memory, base), /more than 256/);
});

Deno.test("encodeSublayer and encodeProvider: keys, weight, names", () => {
  const bytes = encodeSublayer(
    { subLayerKey: sublayer, name: "iocscan", flags: 0, providerKey: provider, weight: 0xffff },
    base,
  );
  const memory = new BlockMemory();
  memory.place(base, bytes);
  deepStrictEqual(decodeSublayer(memory, base), {
    subLayerKey: sublayer,
    name: "iocscan",
    flags: 0,
    providerKey: provider,
    weight: 0xffff,
  });
  const providerBytes = encodeProvider({ providerKey: provider, name: "iocscan", flags: 0 }, base);
  strictEqual(providerBytes.byteLength > fwpmProvider0.size, true);
  strictEqual(guidText(providerBytes, fwpmProvider0.providerKey), provider);
  const view = new DataView(providerBytes.buffer);
  strictEqual(view.getBigUint64(fwpmProvider0.providerData + 8, true), 0n);
  strictEqual(view.getBigUint64(fwpmProvider0.serviceName, true), 0n);
});

Deno.test("encodeFilterEnumTemplate: our provider, one layer, every action", () => {
  const bytes = encodeFilterEnumTemplate(
    provider,
    wfpLayers.ALE_AUTH_CONNECT_V6,
    0,
    0xffffffff,
    base,
  );
  const view = new DataView(bytes.buffer);
  const key = Number(view.getBigUint64(fwpmFilterEnumTemplate0.providerKey, true) - base);
  strictEqual(guidText(bytes, key), provider);
  strictEqual(guidText(bytes, fwpmFilterEnumTemplate0.layerKey), wfpLayers.ALE_AUTH_CONNECT_V6);
  strictEqual(view.getUint32(fwpmFilterEnumTemplate0.actionMask, true), 0xffffffff);
  strictEqual(view.getUint32(fwpmFilterEnumTemplate0.numFilterConditions, true), 0);
});
