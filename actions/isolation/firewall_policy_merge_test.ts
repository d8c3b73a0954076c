import { deepStrictEqual, strictEqual } from "node:assert/strict";
import type {
  RegistryMount,
  RegistryValueRecord,
  SourceWarning,
} from "../../collectors/registry/mod.ts";
import {
  firewallMergeVerdict,
  type MergeValue,
  readFirewallMergeVerdict,
  readMergeValuesFrom,
} from "./firewall_policy_merge.ts";

function dword(value: number): MergeValue {
  const data = new Uint8Array(4);
  new DataView(data.buffer).setUint32(0, value, true);
  return {
    state: "present",
    value: { name: "AllowLocalPolicyMerge", type: 4, reportedLength: 4, data },
  };
}

Deno.test("firewallMergeVerdict: no policy, or merge 1, allows a fallback", () => {
  const verdict = firewallMergeVerdict({
    DomainProfile: { state: "absent" },
    PrivateProfile: dword(1),
    PublicProfile: { state: "absent" },
  });
  strictEqual(verdict.fallbackAllowed, true);
  deepStrictEqual(verdict.profiles.map((p) => p.merge), ["allowed", "allowed", "allowed"]);
  strictEqual(verdict.detail, "every firewall profile merges local rules");
});

Deno.test("firewallMergeVerdict: AllowLocalPolicyMerge = 0 in any profile makes a fallback refuse", () => {
  const verdict = firewallMergeVerdict({
    DomainProfile: dword(0),
    PrivateProfile: dword(1),
    PublicProfile: { state: "absent" },
  });
  strictEqual(verdict.fallbackAllowed, false);
  deepStrictEqual(verdict.profiles.map((p) => p.merge), ["disabled", "allowed", "allowed"]);
  strictEqual(
    verdict.detail,
    "a firewall fallback would be inactive or unverifiable: HKLM\\SOFTWARE\\Policies\\Microsoft\\WindowsFirewall\\DomainProfile\\AllowLocalPolicyMerge = 0: Group Policy ignores local firewall rules",
  );
});

Deno.test("firewallMergeVerdict: a value that is unreadable or not a DWORD is not proof of merging", () => {
  const sz: MergeValue = {
    state: "present",
    value: { name: "AllowLocalPolicyMerge", type: 1, reportedLength: 4, decoded: "0" },
  };
  const verdict = firewallMergeVerdict({
    DomainProfile: { state: "absent" },
    PrivateProfile: sz,
    PublicProfile: { state: "unreadable", detail: "error 5" },
  });
  strictEqual(verdict.fallbackAllowed, false);
  deepStrictEqual(verdict.profiles.map((p) => p.merge), ["allowed", "unknown", "unknown"]);
  // reg query gives decoded numbers.
  const decoded = firewallMergeVerdict({
    DomainProfile: {
      state: "present",
      value: { name: "AllowLocalPolicyMerge", type: 4, reportedLength: 4, decoded: 0 },
    },
    PrivateProfile: { state: "absent" },
    PublicProfile: { state: "absent" },
  });
  strictEqual(decoded.profiles[0]!.merge, "disabled");
});

/** A SOFTWARE mount answering from recorded values; a key path in `denied` fails to open. */
function recordedSoftware(
  values: Record<string, RegistryValueRecord>,
  denied: string[] = [],
): RegistryMount {
  let warnings: SourceWarning[] = [];
  return {
    root: "HKEY_LOCAL_MACHINE",
    mountPath: "SOFTWARE",
    role: "SOFTWARE",
    walk: () => undefined,
    subkeyNames: () => undefined,
    readValue(path, name) {
      const key = path.join("\\");
      if (denied.includes(key)) {
        warnings.push({
          code: "live-open",
          message: `cannot open HKEY_LOCAL_MACHINE\\SOFTWARE\\${key}: error 5`,
        });
        return undefined;
      }
      return values[`${key}\\${name}`];
    },
    takeWarnings() {
      const out = warnings;
      warnings = [];
      return out;
    },
  };
}

Deno.test("readMergeValuesFrom: reads each profile's value; access denied is unreadable, not absent", () => {
  const zero = dword(0) as Extract<MergeValue, { state: "present" }>;
  const values = readMergeValuesFrom(recordedSoftware(
    { "Policies\\Microsoft\\WindowsFirewall\\PublicProfile\\AllowLocalPolicyMerge": zero.value },
    ["Policies\\Microsoft\\WindowsFirewall\\PrivateProfile"],
  ));
  deepStrictEqual(values.DomainProfile, { state: "absent" });
  deepStrictEqual(values.PrivateProfile, {
    state: "unreadable",
    detail:
      "cannot open HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\WindowsFirewall\\PrivateProfile: error 5",
  });
  deepStrictEqual(values.PublicProfile, zero);
  deepStrictEqual(readMergeValuesFrom(undefined).DomainProfile, {
    state: "unreadable",
    detail: "HKLM\\SOFTWARE is not mounted",
  });
});

Deno.test("readFirewallMergeVerdict: off Windows nothing is readable, so a fallback refuses", () => {
  const verdict = readFirewallMergeVerdict(() => "the live registry exists only on Windows");
  strictEqual(verdict.fallbackAllowed, false);
  deepStrictEqual(verdict.profiles.map((p) => p.merge), ["unknown", "unknown", "unknown"]);
  const live = readFirewallMergeVerdict(() => [recordedSoftware({})]);
  strictEqual(live.fallbackAllowed, true);
});
