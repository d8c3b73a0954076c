import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { effectiveCapabilitiesOf, linuxCapabilityNames } from "./linux_capabilities.ts";

Deno.test("effectiveCapabilitiesOf names each bit of CapEff, a bit past the table as CAP_<bit>", () => {
  const status = "Name:\tx\nCapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\n" +
    "CapEff:\t0000020000280002\nCapBnd:\t000001ffffffffff\n";
  deepStrictEqual(effectiveCapabilitiesOf(status), [
    "CAP_DAC_OVERRIDE",
    "CAP_SYS_PTRACE",
    "CAP_SYS_ADMIN",
    "CAP_41",
  ]);
  // root's full set (Linux 5.9+): every name of the table, in order.
  deepStrictEqual(effectiveCapabilitiesOf("CapEff:\t000001ffffffffff\n"), [
    ...linuxCapabilityNames,
  ]);
  deepStrictEqual(effectiveCapabilitiesOf("CapEff:\t0000000000000000\n"), []);
  strictEqual(linuxCapabilityNames[21], "CAP_SYS_ADMIN");
  strictEqual(linuxCapabilityNames.length, 41);
});

Deno.test("effectiveCapabilitiesOf: no CapEff line, or one that is no hex mask, is unknown", () => {
  strictEqual(effectiveCapabilitiesOf("Name:\tx\nUid:\t0\t0\t0\t0\n"), undefined);
  strictEqual(effectiveCapabilitiesOf("CapEff:\tzz\n"), undefined);
  strictEqual(effectiveCapabilitiesOf("CapEff:\t" + "f".repeat(17) + "\n"), undefined);
});
