import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { memberPath, nestedDocuments } from "./nested_documents.ts";

Deno.test("memberPath() reads PortItem terms and ProcessItem/PortList/PortItem terms inside one port", () => {
  deepStrictEqual(memberPath("ProcessItem", "PortItem", ["remoteIP"])?.path, ["remoteIP"]);
  deepStrictEqual(
    memberPath("ProcessItem", "ProcessItem", ["portlist", "PORTITEM", "localPort"])?.path,
    ["localPort"],
  );
  strictEqual(memberPath("ProcessItem", "ProcessItem", ["name"]), undefined);
  strictEqual(memberPath("ProcessItem", "ProcessItem", ["PortList", "PortItem"]), undefined);
  strictEqual(memberPath("PortItem", "PortItem", ["remoteIP"]), undefined);
});

Deno.test("nestedDocuments: a port is written as an analyst writes it, IPv6 in brackets", () => {
  const [port] = nestedDocuments;
  strictEqual(
    port!.describe({
      protocol: "TCP",
      localIP: "10.0.0.5",
      localPort: 49812,
      remoteIP: "103.41.124.9",
      remotePort: 443,
      state: "ESTABLISHED",
    }),
    "TCP 10.0.0.5:49812 → 103.41.124.9:443 ESTABLISHED",
  );
  strictEqual(
    port!.describe({ protocol: "UDP", localIP: "::1", localPort: 53 }),
    "UDP [::1]:53",
  );
  strictEqual(port!.describe({ remoteIP: "1.2.3.4" }), "→ 1.2.3.4:*");
});
