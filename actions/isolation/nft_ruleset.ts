/**
 * The isolation's nftables rule set, built as JSON objects (libnftables' JSON schema, applied with
 * `nft -j -f -`), never as text: one table of our own (`inet iocscan_isolation`), replaced as a
 * whole in one transaction; base chains `input`, `output` and `forward` at priority filter − 10
 * (before the usual filter tables, so an accept elsewhere cannot reopen what we reject) with
 * policy accept; the fixed allow part (loopback, `ct state related` ICMP, neighbour discovery,
 * DHCP and DHCPv6), one rule per allowed peer, then the rejects: TCP with a reset, the rest with
 * ICMP admin-prohibited. The rejects are guarded by the set `armed` (type `inet_proto`, one element
 * per protocol number 0–255, each with the isolation's timeout): when the kernel lets the
 * elements expire at the deadline, the rejects match nothing and the host is open again, with no
 * process alive. The first rule's comment names the isolation and its rule set's hash.
 *
 * @module
 */
import { isIP } from "node:net";
import type { AllowRule, IsolationPlan } from "./contract.ts";
import { ISOLATION_TABLE } from "./isolation_limits.ts";

/** One libnftables JSON object. */
export type NftObject = Record<string, unknown>;

/** A whole `nft -j -f` input. */
export interface NftDocument {
  nftables: NftObject[];
}

/** The set whose elements arm the rejects. */
export const ARMED_SET = "armed";

/** What the first rule's comment starts with. */
export const RULE_COMMENT_PREFIX = "iocscan";

/** Every IP protocol number: each is an element of the armed set. */
const PROTOCOL_NUMBERS = Array.from({ length: 256 }, (_, number) => number);

/** Neighbour discovery and router discovery (ICMPv6), kept open. */
const NEIGHBOUR_DISCOVERY = [
  "nd-router-solicit",
  "nd-router-advert",
  "nd-neighbor-solicit",
  "nd-neighbor-advert",
  "nd-redirect",
];

/** DHCP and DHCPv6: client port → server port. */
const DHCP_PORTS = [{ client: 68, server: 67 }, { client: 546, server: 547 }] as const;

const table = { family: "inet", name: ISOLATION_TABLE } as const;

/** The base chains, their hook and which address of a packet names the peer. */
const CHAINS = [
  { name: "input", hook: "input", peer: "saddr", peerPort: "sport", localPort: "dport" },
  { name: "output", hook: "output", peer: "daddr", peerPort: "dport", localPort: "sport" },
  { name: "forward", hook: "forward", peer: undefined, peerPort: undefined, localPort: undefined },
] as const;

type Chain = typeof CHAINS[number];

/** The priority of our base chains: `filter - 10`. */
export const CHAIN_PRIORITY = -10;

/**
 * The whole rule set of `plan`, the armed elements timing out after `timeoutSeconds`.
 *
 * @param rulesetHash Written into the first rule's comment (empty while the hash is computed).
 */
export function isolationRuleset(
  plan: IsolationPlan,
  timeoutSeconds: number,
  rulesetHash = "",
): NftDocument {
  const objects: NftObject[] = [
    { metainfo: { json_schema_version: 1 } },
    // add + delete + add: the table is replaced whether or not it was there, in one transaction.
    { add: { table } },
    { delete: { table } },
    { add: { table } },
    {
      add: {
        set: { ...tableRef(), name: ARMED_SET, type: "inet_proto", flags: ["timeout"] },
      },
    },
    {
      add: {
        element: {
          ...tableRef(),
          name: ARMED_SET,
          elem: PROTOCOL_NUMBERS.map((val) => ({ elem: { val, timeout: timeoutSeconds } })),
        },
      },
    },
  ];
  for (const chain of CHAINS) {
    objects.push({
      add: {
        chain: {
          ...tableRef(),
          name: chain.name,
          type: "filter",
          hook: chain.hook,
          prio: CHAIN_PRIORITY,
          policy: "accept",
        },
      },
    });
  }
  let first = true;
  for (const chain of CHAINS) {
    for (const expr of chainRules(chain, plan.allow)) {
      const comment = first ? { comment: `${RULE_COMMENT_PREFIX} ${plan.id} ${rulesetHash}` } : {};
      first = false;
      objects.push({ add: { rule: { ...tableRef(), chain: chain.name, ...comment, expr } } });
    }
  }
  return { nftables: objects };
}

/** Deleting our table (the release); fails when it is not there. */
export function deleteTableDocument(): NftDocument {
  return { nftables: [{ metainfo: { json_schema_version: 1 } }, { delete: { table } }] };
}

function tableRef() {
  return { family: table.family, table: table.name };
}

function chainRules(chain: Chain, allow: readonly AllowRule[]): NftObject[][] {
  const rules: NftObject[][] = [];
  if (chain.peer !== undefined) {
    const loopback = chain.name === "input" ? "iifname" : "oifname";
    rules.push([match(meta(loopback), "lo"), ACCEPT]);
    rules.push([
      { match: { op: "in", left: { ct: { key: "state" } }, right: "related" } },
      match(meta("l4proto"), { set: ["icmp", "ipv6-icmp"] }),
      ACCEPT,
    ]);
    rules.push([
      match({ payload: { protocol: "icmpv6", field: "type" } }, { set: NEIGHBOUR_DISCOVERY }),
      ACCEPT,
    ]);
    for (const dhcp of DHCP_PORTS) {
      rules.push([
        match(meta("l4proto"), "udp"),
        match({ payload: { protocol: "udp", field: chain.localPort } }, dhcp.client),
        match({ payload: { protocol: "udp", field: chain.peerPort } }, dhcp.server),
        ACCEPT,
      ]);
    }
    for (const rule of allow) rules.push(allowRule(chain, rule));
  }
  rules.push([
    match(meta("l4proto"), `@${ARMED_SET}`),
    match(meta("l4proto"), "tcp"),
    { reject: { type: "tcp reset" } },
  ]);
  rules.push([
    match(meta("l4proto"), `@${ARMED_SET}`),
    { reject: { type: "icmpx", expr: "admin-prohibited" } },
  ]);
  return rules;
}

function allowRule(chain: Chain, rule: AllowRule): NftObject[] {
  const [address, length] = rule.address.split("/");
  const protocol = isIP(address ?? "") === 6 ? "ip6" : "ip";
  const right = length === undefined ? address : { prefix: { addr: address, len: Number(length) } };
  const expr: NftObject[] = [
    match({ payload: { protocol, field: chain.peer } }, right),
  ];
  if (rule.port !== undefined) {
    expr.push(match(meta("l4proto"), rule.protocol ?? { set: ["tcp", "udp"] }));
    expr.push(match({ payload: { protocol: "th", field: chain.peerPort } }, rule.port));
  } else if (rule.protocol !== undefined) {
    expr.push(match(meta("l4proto"), rule.protocol));
  }
  expr.push(ACCEPT);
  return expr;
}

const ACCEPT: NftObject = { accept: null };

function meta(key: string): NftObject {
  return { meta: { key } };
}

function match(left: NftObject, right: unknown): NftObject {
  return { match: { op: "==", left, right } };
}
