import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { createHash } from "node:crypto";
import { FwpActionType, wfpConditions, wfpLayers } from "../../windows/layouts/wfp.ts";
import type { IsolationPlan } from "./contract.ts";
import {
  allowPrefix,
  buildWfpFilters,
  decodeTag,
  encodeTag,
  renderWfpFilters,
  toFilterRecord,
  wfpProviderKey,
  wfpRulesetHash,
  wfpSublayerKey,
} from "./wfp_filters.ts";

const plan: IsolationPlan = {
  id: "iso-1",
  expiresAt: "2026-12-07T14:00:00.000Z",
  allow: [
    { address: "10.1.2.3", port: 443, protocol: "tcp", why: "management server" },
    { address: "fd00:9::/64", why: "lab prefix" },
  ],
};

Deno.test("buildWfpFilters: built-in permits, one permit per rule and layer, the block last", () => {
  const filters = buildWfpFilters(plan);
  const summary = filters.map((f) => `${f.action} ${f.layer} ${f.weight} ${f.name}`);
  deepStrictEqual(summary, [
    "permit ALE_AUTH_CONNECT_V4 15 iocscan isolation: permit loopback",
    "permit ALE_AUTH_RECV_ACCEPT_V4 15 iocscan isolation: permit loopback",
    "permit ALE_AUTH_CONNECT_V6 15 iocscan isolation: permit loopback",
    "permit ALE_AUTH_RECV_ACCEPT_V6 15 iocscan isolation: permit loopback",
    "permit ALE_AUTH_CONNECT_V4 15 iocscan isolation: permit dhcp",
    "permit ALE_AUTH_RECV_ACCEPT_V4 15 iocscan isolation: permit dhcp",
    "permit ALE_AUTH_CONNECT_V6 15 iocscan isolation: permit dhcpv6",
    "permit ALE_AUTH_RECV_ACCEPT_V6 15 iocscan isolation: permit dhcpv6",
    "permit ALE_AUTH_CONNECT_V6 15 iocscan isolation: permit neighbour-discovery",
    "permit ALE_AUTH_RECV_ACCEPT_V6 15 iocscan isolation: permit neighbour-discovery",
    "permit ALE_AUTH_CONNECT_V4 15 iocscan isolation: allow 10.1.2.3/32:443/tcp",
    "permit ALE_AUTH_RECV_ACCEPT_V4 15 iocscan isolation: allow 10.1.2.3/32:443/tcp",
    "permit ALE_AUTH_CONNECT_V6 15 iocscan isolation: allow fd00:9::/64",
    "permit ALE_AUTH_RECV_ACCEPT_V6 15 iocscan isolation: allow fd00:9::/64",
    "block ALE_AUTH_CONNECT_V4 0 iocscan isolation: block",
    "block ALE_AUTH_RECV_ACCEPT_V4 0 iocscan isolation: block",
    "block ALE_AUTH_CONNECT_V6 0 iocscan isolation: block",
    "block ALE_AUTH_RECV_ACCEPT_V6 0 iocscan isolation: block",
  ]);
  deepStrictEqual(filters[10]!.conditions, [
    { field: "IP_REMOTE_ADDRESS", match: "equal", value: "10.1.2.3/32" },
    { field: "IP_PROTOCOL", match: "equal", value: 6 },
    { field: "IP_REMOTE_PORT", match: "equal", value: 443 },
  ]);
  strictEqual(filters[10]!.why, "management server");
  deepStrictEqual(filters[8]!.conditions.map((c) => `${c.field}=${c.value}`), [
    "IP_PROTOCOL=58",
    "IP_LOCAL_PORT=133",
    "IP_LOCAL_PORT=134",
    "IP_LOCAL_PORT=135",
    "IP_LOCAL_PORT=136",
    "IP_LOCAL_PORT=137",
  ]);
  deepStrictEqual(filters[4]!.conditions.map((c) => `${c.field}=${c.value}`), [
    "IP_PROTOCOL=17",
    "IP_REMOTE_PORT=67",
    "IP_REMOTE_PORT=68",
    "IP_LOCAL_PORT=67",
    "IP_LOCAL_PORT=68",
  ]);
  deepStrictEqual(filters[0]!.conditions, [{ field: "FLAGS", match: "flagsAllSet", value: 1 }]);
  deepStrictEqual(filters.at(-1)!.conditions, []);
});

Deno.test("buildWfpFilters: refuses a rule that is no address, or a port out of range", () => {
  throws(
    () => buildWfpFilters({ ...plan, allow: [{ address: "mgmt.example", why: "x" }] }),
    /not an IP address or prefix/,
  );
  throws(
    () => buildWfpFilters({ ...plan, allow: [{ address: "10.0.0.1", port: 70000, why: "x" }] }),
    /not between 1 and 65535/,
  );
});

Deno.test("allowPrefix: canonical prefixes, host bits cleared, mapped IPv6 as IPv4", () => {
  deepStrictEqual(allowPrefix({ address: "10.9.8.7/8", why: "" }), {
    cidr: "10.0.0.0/8",
    family: "v4",
  });
  deepStrictEqual(allowPrefix({ address: "::ffff:192.0.2.1", why: "" }), {
    cidr: "192.0.2.1/32",
    family: "v4",
  });
  deepStrictEqual(allowPrefix({ address: "2001:db8::1", why: "" }), {
    cidr: "2001:db8::1/128",
    family: "v6",
  });
});

Deno.test("renderWfpFilters and wfpRulesetHash: JSON of the list and its SHA-256, not the deadline", async () => {
  const text = renderWfpFilters(plan);
  const parsed = JSON.parse(text);
  strictEqual(parsed.provider, wfpProviderKey);
  deepStrictEqual(parsed.sublayer, { key: wfpSublayerKey, weight: 0xffff });
  strictEqual(parsed.filters.length, 18);
  const hash = await wfpRulesetHash(plan);
  strictEqual(hash, createHash("sha256").update(text).digest("hex"));
  strictEqual(await wfpRulesetHash({ ...plan, expiresAt: "2027-01-01T00:00:00.000Z" }), hash);
  const other = await wfpRulesetHash({ ...plan, allow: plan.allow.slice(1) });
  strictEqual(other === hash, false);
});

Deno.test("toFilterRecord: address masks, ports and protocols as FWP values, our keys", () => {
  const filters = buildWfpFilters({
    ...plan,
    allow: [{ address: "10.0.0.0/8", port: 53, protocol: "udp", why: "dns" }, plan.allow[1]!],
  });
  const data = encodeTag({ isolationId: "iso-1", expiresAt: plan.expiresAt, rulesetHash: "ab" });
  const v4 = toFilterRecord(filters[10]!, data);
  strictEqual(v4.layerKey, wfpLayers.ALE_AUTH_CONNECT_V4);
  strictEqual(v4.subLayerKey, wfpSublayerKey);
  strictEqual(v4.providerKey, wfpProviderKey);
  strictEqual(v4.action, FwpActionType.permit);
  strictEqual(v4.weight, 15);
  deepStrictEqual(v4.conditions, [
    {
      fieldKey: wfpConditions.IP_REMOTE_ADDRESS,
      matchType: 0,
      value: { type: "v4AddrMask", address: 0x0a000000, mask: 0xff000000 },
    },
    { fieldKey: wfpConditions.IP_PROTOCOL, matchType: 0, value: { type: "uint8", value: 17 } },
    { fieldKey: wfpConditions.IP_REMOTE_PORT, matchType: 0, value: { type: "uint16", value: 53 } },
  ]);
  const v6 = toFilterRecord(filters[12]!, data);
  deepStrictEqual(v6.conditions[0]!.value, {
    type: "v6AddrMask",
    address: Uint8Array.from([0xfd, 0, 0, 9, ...new Array(12).fill(0)]),
    prefixLength: 64,
  });
  const loopback = toFilterRecord(filters[0]!, data);
  deepStrictEqual(loopback.conditions[0], {
    fieldKey: wfpConditions.FLAGS,
    matchType: 6,
    value: { type: "uint32", value: 1 },
  });
  const block = toFilterRecord(filters.at(-1)!, data);
  strictEqual(block.action, FwpActionType.block);
  strictEqual(block.weight, 0);
  deepStrictEqual(decodeTag(block.providerData), {
    isolationId: "iso-1",
    expiresAt: plan.expiresAt,
    rulesetHash: "ab",
  });
  strictEqual(decodeTag(new TextEncoder().encode("{}")), undefined);
  strictEqual(decodeTag(Uint8Array.of(0xff)), undefined);
});
