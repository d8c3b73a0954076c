/**
 * The WFP filter builder: an isolation plan to the list of filters the Windows backend adds
 * (layer, action, weight, conditions), and that list to the `FWPM_FILTER0` records the FFI
 * encodes (windows/layouts/wfp_encode.ts). Pure: `render` and `rulesetHash` of the WFP backend
 * are this list as JSON and its SHA-256, so `--what-if` shows exactly what `apply` adds.
 *
 * The filters live in our own provider and sublayer (fixed GUIDs below, the sublayer at the
 * highest weight, 0xFFFF, so it is evaluated before the Windows Firewall's). In it, at
 * `FWPM_LAYER_ALE_AUTH_CONNECT_V4/V6` (outbound connections, and the first datagram of a UDP
 * flow) and `FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4/V6` (inbound ones):
 *
 * - permit at weight 15: loopback (`FWP_CONDITION_FLAG_IS_LOOPBACK`), DHCP (UDP 67/68 both
 *   ends), DHCPv6 (UDP 546/547), neighbour discovery (ICMPv6 types 133–137), and each allow
 *   rule (remote address or prefix, remote port, protocol, as given);
 * - block everything else at weight 0.
 *
 * Conditions on the same field are ORed by WFP, conditions on different fields ANDed; the
 * permit with the highest weight that matches wins inside the sublayer. Across sublayers, a
 * filter's block is a hard block by default and its permit a soft one
 * (https://learn.microsoft.com/windows/win32/fwp/filter-arbitration, "Filter permit: soft
 * permit; filter block: hard block"): no permit in another sublayer, hard or soft, reopens what
 * our block blocks, while a block elsewhere (the Windows Firewall's) can still close a peer we
 * permit, as it could before the isolation.
 *
 * @module
 */
import { canonicalIp, parseCidr } from "../../engine/value_types.ts";
import {
  FwpActionType,
  fwpConditionFlagIsLoopback,
  FwpMatchType,
  fwpmFilterFlagNone,
  ipProtocol,
  type WfpConditionName,
  wfpConditions,
  type WfpLayerName,
  wfpLayers,
} from "../../windows/layouts/wfp.ts";
import type {
  WfpConditionValue,
  WfpFilterRecord,
  WfpProviderRecord,
  WfpSublayerRecord,
} from "../../windows/layouts/wfp_encode.ts";
import type { AllowRule, IsolationPlan } from "./contract.ts";

/** Our provider's GUID: every filter and the sublayer belong to it (release deletes by it). */
export const wfpProviderKey = "471a71d8-c914-4af9-bf06-87f530a7c9d9";
/** Our sublayer's GUID. */
export const wfpSublayerKey = "0f039359-917b-4806-b6d9-35ded98cb24b";
/** The sublayer's weight: the highest, so our block is arbitrated before other sublayers. */
export const wfpSublayerWeight = 0xffff;
/** The weight of permit filters inside our sublayer (`FWP_UINT8`, 0–15): above the block. */
export const wfpPermitWeight = 15;
/** The weight of the block filters inside our sublayer. */
export const wfpBlockWeight = 0;
/** The name every object we add carries (display data). */
export const wfpDisplayName = "iocscan isolation";

/** The layers of each address family: outbound connect, inbound accept. */
export const wfpFamilyLayers: Readonly<Record<"v4" | "v6", readonly WfpLayerName[]>> = {
  v4: ["ALE_AUTH_CONNECT_V4", "ALE_AUTH_RECV_ACCEPT_V4"],
  v6: ["ALE_AUTH_CONNECT_V6", "ALE_AUTH_RECV_ACCEPT_V6"],
};

/** Every layer our filters sit at. */
export const wfpIsolationLayers: readonly WfpLayerName[] = [
  ...wfpFamilyLayers.v4,
  ...wfpFamilyLayers.v6,
];

/** One condition of a filter, as `--what-if` shows it. */
export interface WfpConditionSpec {
  readonly field: WfpConditionName;
  readonly match: keyof typeof FwpMatchType;
  /** A CIDR prefix for `IP_REMOTE_ADDRESS`, a number otherwise. */
  readonly value: string | number;
}

/** One filter the backend adds. */
export interface WfpFilterSpec {
  readonly name: string;
  readonly layer: WfpLayerName;
  readonly action: "permit" | "block";
  readonly weight: number;
  readonly conditions: readonly WfpConditionSpec[];
  /** Why it is there (the allow rule's `why`, or the built-in reason). */
  readonly why: string;
}

/** The value type of each condition field (`FWP_CONDITION_VALUE0`), variants as data. */
const fieldValueTypes: Readonly<
  Record<WfpConditionName, "address" | "uint8" | "uint16" | "uint32">
> = {
  FLAGS: "uint32",
  IP_PROTOCOL: "uint8",
  IP_REMOTE_ADDRESS: "address",
  IP_REMOTE_PORT: "uint16",
  IP_LOCAL_PORT: "uint16",
};

const equal = (field: WfpConditionName, value: string | number): WfpConditionSpec => ({
  field,
  match: "equal",
  value,
});

/** The ICMPv6 types of neighbour discovery (RFC 4861): router/neighbour solicit/advert, redirect. */
export const neighbourDiscoveryTypes: readonly number[] = [133, 134, 135, 136, 137];

/** The built-in permits: what an isolated host needs to stay on its network. */
const builtinPermits: readonly {
  readonly name: string;
  readonly families: readonly ("v4" | "v6")[];
  readonly conditions: readonly WfpConditionSpec[];
  readonly why: string;
}[] = [
  {
    name: "loopback",
    families: ["v4", "v6"],
    conditions: [{ field: "FLAGS", match: "flagsAllSet", value: fwpConditionFlagIsLoopback }],
    why: "loopback: local services keep working",
  },
  {
    name: "dhcp",
    families: ["v4"],
    conditions: [
      equal("IP_PROTOCOL", ipProtocol.udp),
      equal("IP_REMOTE_PORT", 67),
      equal("IP_REMOTE_PORT", 68),
      equal("IP_LOCAL_PORT", 67),
      equal("IP_LOCAL_PORT", 68),
    ],
    why: "DHCP (UDP 67/68): the host keeps its address",
  },
  {
    name: "dhcpv6",
    families: ["v6"],
    conditions: [
      equal("IP_PROTOCOL", ipProtocol.udp),
      equal("IP_REMOTE_PORT", 546),
      equal("IP_REMOTE_PORT", 547),
      equal("IP_LOCAL_PORT", 546),
      equal("IP_LOCAL_PORT", 547),
    ],
    why: "DHCPv6 (UDP 546/547): the host keeps its address",
  },
  {
    name: "neighbour-discovery",
    families: ["v6"],
    conditions: [
      equal("IP_PROTOCOL", ipProtocol.icmpv6),
      // At the ALE layers the ICMP type is in IP_LOCAL_PORT (FWPM_CONDITION_ICMP_TYPE).
      ...neighbourDiscoveryTypes.map((type) => equal("IP_LOCAL_PORT", type)),
    ],
    why: "neighbour discovery (ICMPv6 133-137): the host keeps its neighbours and routers",
  },
];

/** An allow rule's address as a canonical prefix and its family; throws when it is not one. */
export function allowPrefix(rule: AllowRule): { cidr: string; family: "v4" | "v6" } {
  const text = rule.address.includes("/") ? rule.address : undefined;
  const network = text !== undefined ? parseCidr(text) : parseCidr(`${rule.address}/128`) ??
    parseCidr(`${rule.address}/32`);
  if (network === undefined) {
    throw new Error(`the allow rule's address '${rule.address}' is not an IP address or prefix`);
  }
  const width = network.v4 ? 32 : 128;
  const value = network.prefix << BigInt(width - network.bits);
  const address = network.v4 ? v4Text(value) : v6Text(value);
  return { cidr: `${address}/${network.bits}`, family: network.v4 ? "v4" : "v6" };
}

function v4Text(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join(".");
}

function v6Text(value: bigint): string {
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) {
    groups.push(((value >> shift) & 0xffffn).toString(16));
  }
  const text = groups.join(":");
  return canonicalIp(text) ?? text;
}

function allowConditions(rule: AllowRule, cidr: string): WfpConditionSpec[] {
  if (
    rule.port !== undefined &&
    !(Number.isInteger(rule.port) && rule.port >= 1 && rule.port <= 65535)
  ) {
    throw new Error(`the allow rule's port ${rule.port} is not between 1 and 65535`);
  }
  return [
    equal("IP_REMOTE_ADDRESS", cidr),
    ...(rule.protocol !== undefined ? [equal("IP_PROTOCOL", ipProtocol[rule.protocol])] : []),
    ...(rule.port !== undefined ? [equal("IP_REMOTE_PORT", rule.port)] : []),
  ];
}

function allowName(rule: AllowRule, cidr: string): string {
  const port = rule.port !== undefined ? `:${rule.port}` : "";
  const protocol = rule.protocol !== undefined ? `/${rule.protocol}` : "";
  return `allow ${cidr}${port}${protocol}`;
}

/**
 * The filters that isolate the host under `plan`: the built-in permits, one permit per allow
 * rule at each layer of its family, and the block at every layer. Throws (before anything is
 * applied) when an allow rule is not an address or prefix, or its port is out of range.
 *
 * @example
 * ```ts
 * import { buildWfpFilters } from "./wfp_filters.ts";
 * const filters = buildWfpFilters({
 *   id: "iso-1", expiresAt: "2026-12-07T14:00:00.000Z",
 *   allow: [{ address: "10.0.0.5", port: 443, protocol: "tcp", why: "management" }],
 * });
 * console.log(filters.filter((f) => f.action === "block").length); // 4
 * ```
 */
export function buildWfpFilters(plan: IsolationPlan): WfpFilterSpec[] {
  const filters: WfpFilterSpec[] = [];
  for (const permit of builtinPermits) {
    for (const family of permit.families) {
      for (const layer of wfpFamilyLayers[family]) {
        filters.push({
          name: `${wfpDisplayName}: permit ${permit.name}`,
          layer,
          action: "permit",
          weight: wfpPermitWeight,
          conditions: permit.conditions,
          why: permit.why,
        });
      }
    }
  }
  for (const rule of plan.allow) {
    const { cidr, family } = allowPrefix(rule);
    const conditions = allowConditions(rule, cidr);
    for (const layer of wfpFamilyLayers[family]) {
      filters.push({
        name: `${wfpDisplayName}: ${allowName(rule, cidr)}`,
        layer,
        action: "permit",
        weight: wfpPermitWeight,
        conditions,
        why: rule.why,
      });
    }
  }
  for (const layer of wfpIsolationLayers) {
    filters.push({
      name: `${wfpDisplayName}: block`,
      layer,
      action: "block",
      weight: wfpBlockWeight,
      conditions: [],
      why: "everything the permits above do not name",
    });
  }
  return filters;
}

/** The rule set as `--what-if` prints it and the audit hashes it: provider, sublayer, filters. */
export function renderWfpFilters(plan: IsolationPlan): string {
  return JSON.stringify(
    {
      mechanism: "wfp",
      provider: wfpProviderKey,
      sublayer: { key: wfpSublayerKey, weight: wfpSublayerWeight },
      lifetime: "static",
      filters: buildWfpFilters(plan),
    },
    null,
    2,
  );
}

/** SHA-256 (hex) of {@linkcode renderWfpFilters}. */
export async function wfpRulesetHash(plan: IsolationPlan): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(renderWfpFilters(plan)),
  );
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A prefix as `FWP_V4_ADDR_AND_MASK` / `FWP_V6_ADDR_AND_MASK`. */
function addressValue(cidr: string): WfpConditionValue {
  const network = parseCidr(cidr);
  if (network === undefined) throw new Error(`not a prefix: ${cidr}`);
  if (network.v4) {
    const address = Number(network.prefix << BigInt(32 - network.bits));
    const mask = network.bits === 0 ? 0 : (0xffffffff << (32 - network.bits)) >>> 0;
    return { type: "v4AddrMask", address, mask };
  }
  const value = network.prefix << BigInt(128 - network.bits);
  const address = new Uint8Array(16);
  for (let index = 0; index < 16; index++) {
    address[index] = Number((value >> BigInt(8 * (15 - index))) & 0xffn);
  }
  return { type: "v6AddrMask", address, prefixLength: network.bits };
}

function conditionValue(spec: WfpConditionSpec): WfpConditionValue {
  const type = fieldValueTypes[spec.field];
  if (type === "address") return addressValue(String(spec.value));
  return { type, value: Number(spec.value) };
}

/** The `FWPM_FILTER0` record of one filter spec, tagged with our provider and its data. */
export function toFilterRecord(spec: WfpFilterSpec, providerData: Uint8Array): WfpFilterRecord {
  return {
    name: spec.name,
    description: spec.why,
    flags: fwpmFilterFlagNone,
    providerKey: wfpProviderKey,
    providerData,
    layerKey: wfpLayers[spec.layer],
    subLayerKey: wfpSublayerKey,
    weight: spec.weight,
    action: spec.action === "permit" ? FwpActionType.permit : FwpActionType.block,
    conditions: spec.conditions.map((condition) => ({
      fieldKey: wfpConditions[condition.field],
      matchType: FwpMatchType[condition.match],
      value: conditionValue(condition),
    })),
  };
}

/** Our provider (static: no `FWPM_PROVIDER_FLAG_PERSISTENT`). */
export function providerRecord(providerData: Uint8Array): WfpProviderRecord {
  return {
    providerKey: wfpProviderKey,
    name: wfpDisplayName,
    description: "iocscan host isolation (iocscan isolation release removes it)",
    flags: 0,
    providerData,
  };
}

/** Our sublayer, at the highest weight (static). */
export const sublayerRecord: WfpSublayerRecord = {
  subLayerKey: wfpSublayerKey,
  name: wfpDisplayName,
  description: "iocscan host isolation: permits for the allow-list, block for the rest",
  flags: 0,
  providerKey: wfpProviderKey,
  weight: wfpSublayerWeight,
};

/** What our filters carry in their provider data: whose isolation, until when, which rule set. */
export interface WfpIsolationTag {
  readonly isolationId: string;
  readonly expiresAt: string;
  readonly rulesetHash: string;
}

/** The provider data bytes of a tag (JSON, UTF-8). */
export function encodeTag(tag: WfpIsolationTag): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(tag));
}

/** The tag in provider data, or undefined when it is not one of ours. */
export function decodeTag(bytes: Uint8Array | undefined): WfpIsolationTag | undefined {
  if (bytes === undefined) return undefined;
  try {
    const value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    if (
      typeof value?.isolationId === "string" && typeof value.expiresAt === "string" &&
      typeof value.rulesetHash === "string"
    ) {
      return {
        isolationId: value.isolationId,
        expiresAt: value.expiresAt,
        rulesetHash: value.rulesetHash,
      };
    }
  } catch {
    // Not ours: no tag.
  }
  return undefined;
}
