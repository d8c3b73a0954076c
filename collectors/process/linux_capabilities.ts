/**
 * A Linux process's effective capabilities as `ProcessItem/EnabledPrivilege/Name`,
 * an iocscan extension: Linux has no Windows privileges, and the nearest
 * thing, what the kernel lets the process do beyond its uid, is its
 * effective set (`CapEff:` of `/proc/<pid>/status`, a hex mask). Each set bit
 * is named as `<linux/capability.h>` names it (`CAP_SYS_ADMIN`); a bit newer
 * than this table is `CAP_<bit>`. An IOC naming `SeDebugPrivilege` then
 * matches no Linux process, which is true.
 *
 * @module
 */

/** The capability names of `<linux/capability.h>`, by bit (Linux 5.9, bits 0–40). */
export const linuxCapabilityNames: readonly string[] = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_DAC_READ_SEARCH",
  "CAP_FOWNER",
  "CAP_FSETID",
  "CAP_KILL",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETPCAP",
  "CAP_LINUX_IMMUTABLE",
  "CAP_NET_BIND_SERVICE",
  "CAP_NET_BROADCAST",
  "CAP_NET_ADMIN",
  "CAP_NET_RAW",
  "CAP_IPC_LOCK",
  "CAP_IPC_OWNER",
  "CAP_SYS_MODULE",
  "CAP_SYS_RAWIO",
  "CAP_SYS_CHROOT",
  "CAP_SYS_PTRACE",
  "CAP_SYS_PACCT",
  "CAP_SYS_ADMIN",
  "CAP_SYS_BOOT",
  "CAP_SYS_NICE",
  "CAP_SYS_RESOURCE",
  "CAP_SYS_TIME",
  "CAP_SYS_TTY_CONFIG",
  "CAP_MKNOD",
  "CAP_LEASE",
  "CAP_AUDIT_WRITE",
  "CAP_AUDIT_CONTROL",
  "CAP_SETFCAP",
  "CAP_MAC_OVERRIDE",
  "CAP_MAC_ADMIN",
  "CAP_SYSLOG",
  "CAP_WAKE_ALARM",
  "CAP_BLOCK_SUSPEND",
  "CAP_AUDIT_READ",
  "CAP_PERFMON",
  "CAP_BPF",
  "CAP_CHECKPOINT_RESTORE",
];

/** The bits of a capability mask (64 since Linux 2.6.25). */
const capabilityBits = 64;

/**
 * The names of the effective capabilities of a `/proc/<pid>/status` text, in
 * bit order; undefined when it has no well-formed `CapEff:` line.
 *
 * @example
 * ```ts
 * import { effectiveCapabilitiesOf } from "./linux_capabilities.ts";
 * effectiveCapabilitiesOf("Name:\tx\nCapEff:\t0000000000200001\n"); // ["CAP_CHOWN", "CAP_SYS_ADMIN"]
 * effectiveCapabilitiesOf("CapEff:\t0000000000000000\n"); // []
 * ```
 */
export function effectiveCapabilitiesOf(status: string): string[] | undefined {
  const match = /^CapEff:\s*([0-9a-fA-F]{1,16})\s*$/m.exec(status);
  if (!match) return undefined;
  const mask = BigInt(`0x${match[1]}`);
  const names: string[] = [];
  for (let bit = 0; bit < capabilityBits; bit++) {
    if ((mask >> BigInt(bit)) & 1n) names.push(linuxCapabilityNames[bit] ?? `CAP_${bit}`);
  }
  return names;
}
