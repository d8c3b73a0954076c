/**
 * The Group Policy check a Windows Firewall fallback would need: a policy that sets
 * `HKLM\SOFTWARE\Policies\Microsoft\WindowsFirewall\<Profile>\AllowLocalPolicyMerge = 0` makes
 * Windows ignore locally added firewall rules in that profile, so isolation rules added through
 * the firewall would be silently inactive (Velociraptor #2957). A fallback must then refuse, not
 * report success. The WFP backend does not depend on this: WFP filters in our own sublayer are
 * not firewall rules and no merge policy applies to them; the check is for a fallback only.
 *
 * The decision is a pure function of the three values ({@linkcode firewallMergeVerdict}), tested
 * on recorded values; {@linkcode readFirewallMergeValues} reads them through the registry
 * collector's live source (advapi32 over FFI, `reg query` when FFI is unavailable).
 *
 * @module
 */
import {
  liveMounts,
  type RegistryMount,
  type RegistryValueRecord,
} from "../../collectors/registry/mod.ts";

/** The firewall profiles a merge policy is set per. */
export const firewallProfiles = ["DomainProfile", "PrivateProfile", "PublicProfile"] as const;
/** A firewall profile's key name. */
export type FirewallProfile = (typeof firewallProfiles)[number];

/** The policy key below `HKLM\SOFTWARE`. */
export const firewallPolicyPath: readonly string[] = ["Policies", "Microsoft", "WindowsFirewall"];
/** The value that, at 0, disables local rule merging. */
export const allowLocalPolicyMergeValue = "AllowLocalPolicyMerge";
/** `REG_DWORD`. */
export const regDword = 4;

/** What the registry holds for one profile: the value, none, or why it could not be read. */
export type MergeValue =
  | { readonly state: "absent" }
  | { readonly state: "present"; readonly value: RegistryValueRecord }
  | { readonly state: "unreadable"; readonly detail: string };

/** The verdict for one profile. */
export interface ProfileMerge {
  readonly profile: FirewallProfile;
  /** `allowed`: local rules apply; `disabled`: the policy drops them; `unknown`: not readable. */
  readonly merge: "allowed" | "disabled" | "unknown";
  readonly detail: string;
}

/** Whether a firewall fallback may run, and why. */
export interface FirewallMergeVerdict {
  /** True when every profile merges local rules; otherwise a fallback must refuse. */
  readonly fallbackAllowed: boolean;
  readonly profiles: readonly ProfileMerge[];
  readonly detail: string;
}

function dwordOf(value: RegistryValueRecord): number | undefined {
  if (value.type !== regDword) return undefined;
  if (typeof value.decoded === "number") return value.decoded;
  if (typeof value.decoded === "bigint") return Number(value.decoded);
  if (value.data !== undefined && value.data.byteLength >= 4) {
    return new DataView(value.data.buffer, value.data.byteOffset, 4).getUint32(0, true);
  }
  return undefined;
}

function profileMerge(profile: FirewallProfile, found: MergeValue): ProfileMerge {
  const where = `HKLM\\SOFTWARE\\${
    firewallPolicyPath.join("\\")
  }\\${profile}\\${allowLocalPolicyMergeValue}`;
  if (found.state === "absent") {
    return { profile, merge: "allowed", detail: `${where} is not set (local rules merge)` };
  }
  if (found.state === "unreadable") {
    return { profile, merge: "unknown", detail: `${where} could not be read: ${found.detail}` };
  }
  const dword = dwordOf(found.value);
  if (dword === undefined) {
    return {
      profile,
      merge: "unknown",
      detail: `${where} is not a REG_DWORD (type ${found.value.type})`,
    };
  }
  return dword === 0
    ? {
      profile,
      merge: "disabled",
      detail: `${where} = 0: Group Policy ignores local firewall rules`,
    }
    : { profile, merge: "allowed", detail: `${where} = ${dword}` };
}

/**
 * The verdict from the three profiles' values: a fallback is allowed only when no profile
 * disables merging and every value could be read (an unreadable one is not proof of merging).
 *
 * @example
 * ```ts
 * import { firewallMergeVerdict } from "./firewall_policy_merge.ts";
 * const verdict = firewallMergeVerdict({
 *   DomainProfile: { state: "present", value: { name: "AllowLocalPolicyMerge", type: 4, reportedLength: 4, data: new Uint8Array(4) } },
 *   PrivateProfile: { state: "absent" },
 *   PublicProfile: { state: "absent" },
 * });
 * console.log(verdict.fallbackAllowed); // false
 * ```
 */
export function firewallMergeVerdict(
  values: Readonly<Record<FirewallProfile, MergeValue>>,
): FirewallMergeVerdict {
  const profiles = firewallProfiles.map((profile) => profileMerge(profile, values[profile]));
  const blocking = profiles.filter((profile) => profile.merge !== "allowed");
  return {
    fallbackAllowed: blocking.length === 0,
    profiles,
    detail: blocking.length === 0
      ? "every firewall profile merges local rules"
      : `a firewall fallback would be inactive or unverifiable: ${
        blocking.map((p) => p.detail).join("; ")
      }`,
  };
}

/** Reads the three values from a `HKEY_LOCAL_MACHINE\SOFTWARE` mount. */
export function readMergeValuesFrom(
  software: RegistryMount | undefined,
): Record<FirewallProfile, MergeValue> {
  const read = (profile: FirewallProfile): MergeValue => {
    if (software === undefined) {
      return { state: "unreadable", detail: "HKLM\\SOFTWARE is not mounted" };
    }
    try {
      software.takeWarnings();
      const value = software.readValue(
        [...firewallPolicyPath, profile],
        allowLocalPolicyMergeValue,
      );
      // A key that exists but cannot be opened (access denied) reads as undefined too: the
      // source says so in a warning, and then the value is unknown, not absent.
      const warnings = software.takeWarnings();
      if (value === undefined && warnings.length > 0) {
        return { state: "unreadable", detail: warnings.map((w) => w.message).join("; ") };
      }
      return value === undefined ? { state: "absent" } : { state: "present", value };
    } catch (error) {
      return {
        state: "unreadable",
        detail: error instanceof Error ? error.message : String(error),
      };
    }
  };
  return {
    DomainProfile: read("DomainProfile"),
    PrivateProfile: read("PrivateProfile"),
    PublicProfile: read("PublicProfile"),
  };
}

/** The live verdict (64-bit registry view); every profile unreadable off Windows. */
export function readFirewallMergeVerdict(
  mounts: (view: 64 | 32) => RegistryMount[] | string = liveMounts,
): FirewallMergeVerdict {
  const found = mounts(64);
  if (typeof found === "string") {
    const unreadable: MergeValue = { state: "unreadable", detail: found };
    return firewallMergeVerdict({
      DomainProfile: unreadable,
      PrivateProfile: unreadable,
      PublicProfile: unreadable,
    });
  }
  const software = found.find((mount) =>
    mount.root === "HKEY_LOCAL_MACHINE" && mount.role === "SOFTWARE"
  );
  return firewallMergeVerdict(readMergeValuesFrom(software));
}
