import { deepStrictEqual, ok } from "node:assert/strict";
import type { IndicatorItem } from "../openioc/model.ts";
import { compileItem } from "./item_condition.ts";
import { ipInNetwork, parseCidr } from "./value_types.ts";

function holds(value: string, observed: string, negate = false): boolean | string {
  const item: IndicatorItem = {
    kind: "item",
    id: "ip",
    condition: "is",
    negate,
    preserveCase: false,
    context: { document: "PortItem", search: "PortItem/remoteIP", type: "mir" },
    content: { type: "IP", value },
    parameters: [],
  };
  const { test } = compileItem(item, "1.0", "given");
  if (test.kind === "not-evaluated") return test.reason;
  ok(test.kind === "direct", `expected a direct test, got ${test.kind}`);
  return test.test(observed) === true;
}

Deno.test("parseCidr() and ipInNetwork() handle IPv4, IPv6 and mapped addresses", () => {
  const v4 = parseCidr("10.0.0.0/8")!;
  deepStrictEqual(ipInNetwork(v4, "10.255.0.1"), true);
  deepStrictEqual(ipInNetwork(v4, "11.0.0.1"), false);
  deepStrictEqual(ipInNetwork(v4, "::ffff:10.1.2.3"), true);
  deepStrictEqual(ipInNetwork(v4, "2001:db8::1"), false);
  deepStrictEqual(ipInNetwork(v4, "not an ip"), false);
  const v6 = parseCidr("2001:DB8::/32")!;
  deepStrictEqual(ipInNetwork(v6, "2001:db8:ffff::1"), true);
  deepStrictEqual(ipInNetwork(v6, "2001:db9::1"), false);
  deepStrictEqual(ipInNetwork(parseCidr("0.0.0.0/0")!, "8.8.8.8"), true);
  deepStrictEqual(ipInNetwork(parseCidr("192.168.1.7/32")!, "192.168.1.7"), true);
  deepStrictEqual(parseCidr("10.0.0.0/33"), undefined);
  deepStrictEqual(parseCidr("10.0.0/8"), undefined);
});

Deno.test("is on an IP term accepts CIDR networks", () => {
  deepStrictEqual(holds("103.41.124.0/24", "103.41.124.77"), true);
  deepStrictEqual(holds(" 103.41.124.0/24 ", "103.41.125.1"), false);
  deepStrictEqual(holds("10.0.0.0/8", "10.9.9.9"), true);
  deepStrictEqual(holds("10.0.0.0/40", "10.9.9.9"), "invalid-value");
});
