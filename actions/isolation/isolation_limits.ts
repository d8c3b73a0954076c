/**
 * The isolation's fixed numbers and names: one definition each (docs/isolation.md).
 *
 * @module
 */

/** The one nftables table iocscan owns (family `inet`). */
export const ISOLATION_TABLE = "iocscan_isolation";

/** The shortest isolation: one minute. */
export const MIN_ISOLATION_MS = 60_000;

/** The longest isolation: 9,999 hours (Kaspersky's range). */
export const MAX_ISOLATION_MS = 9_999 * 3_600_000;

/** The isolation when no duration is given: 8 hours (Kaspersky's default). */
export const DEFAULT_ISOLATION_MS = 8 * 3_600_000;

/** Each half of the self-test ends within this many milliseconds. */
export const SELF_TEST_TIMEOUT_MS = 5_000;

/** The port the forbidden half of the self-test tries on the default gateway. */
export const DEFAULT_PROBE_PORT = 443;

/** How long a tool (`nft`, `ss`, `ip`, `resolvectl`) may run. */
export const TOOL_TIMEOUT_MS = 10_000;

/** How much a tool may print. */
export const TOOL_MAX_BYTES = 8 << 20;

/** How long resolving the allow-list's host names may take, each. */
export const RESOLVE_TIMEOUT_MS = 5_000;

/** How often the tamper check runs, in seconds (KES for Linux's interval). */
export const TAMPER_CHECK_SECONDS = 60;

/** The PostgreSQL port when a store URL names none. */
export const POSTGRES_DEFAULT_PORT = 5432;

/**
 * How much earlier than the stored deadline the kernel may lift a part of the isolation before
 * the tamper check calls it tampered (timeouts are whole seconds, rounded up when applied).
 */
export const KERNEL_DEADLINE_SLACK_MS = 5_000;
